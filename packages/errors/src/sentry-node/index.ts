import { createSentrySink } from '../sentry/createSentrySink.js';
import type { SentrySdkLike, SentrySink, SentrySinkOptions } from '../sentry/createSentrySink.js';
import { makeSentryTransport as makeTransport } from '../sentry/makeSentryTransport.js';
import type { LookoutSentryTransport, SentryTransportFactoryOptions, SentryTransportOptions } from '../sentry/makeSentryTransport.js';
import { zlibGzip } from './zlibGzip.js';

export { DEFAULT_SENTRY_MAX_QUEUE_ITEMS, DEFAULT_SENTRY_MAX_QUEUE_BYTES, DEFAULT_SENTRY_MAX_ENVELOPE_BYTES, DEFAULT_SENTRY_SEND_TIMEOUT_MS, DEFAULT_SENTRY_RETRY, DEFAULT_SENTRY_CIRCUIT } from '../sentry/makeSentryTransport.js';
export type { SentryTransportOptions, SentrySpool, SpooledEnvelope, LookoutSentryTransport, SentryTransportFactoryOptions } from '../sentry/makeSentryTransport.js';
export { toSentryEvent, SEVERITY_TO_SENTRY_LEVEL } from '../sentry/toSentryEvent.js';
export type { SentryEventLike } from '../sentry/toSentryEvent.js';
export { DEFAULT_SENTRY_GZIP_MIN_BYTES } from '../sentry/gzip.js';
export type { SentryGzip } from '../sentry/gzip.js';
export { DEFAULT_SENTRY_MAX_PENDING_EVENTS } from '../sentry/createSentrySink.js';
export type { SentrySink, SentrySinkOptions, SentryClientLike } from '../sentry/createSentrySink.js';

/**
 * {@link SentryTransportOptions | Lookout's Sentry transport} for Node: as on every platform, with
 * envelopes of `gzipMinBytes` (32 KiB) and more compressed by zlib on Node's thread pool unless
 * `gzip` says otherwise. For a client the host creates: `new NodeClient({ transport: makeSentryTransport(), … })`.
 */
export function makeSentryTransport(options: SentryTransportOptions = {}): (sentryOptions: SentryTransportFactoryOptions) => LookoutSentryTransport {
  return makeTransport(withZlib(options));
}

function withZlib(options: SentryTransportOptions | undefined): SentryTransportOptions {
  const o: SentryTransportOptions = typeof options === 'object' && options !== null ? options : {};
  return o.gzip === undefined ? { ...o, gzip: zlibGzip } : o;
}

/**
 * Deadline of the flush run when the event loop first empties (`beforeExit`): one absolute
 * deadline per process, however often the loop empties again. Past it, what is left is spooled
 * (with `transport.spool`) or dropped and counted as `shutdown`, and the transport is closed.
 */
export const DEFAULT_EXIT_FLUSH_TIMEOUT_MS = 2000;

/** Options of {@link createSentryNodeSink}. */
export interface SentryNodeSinkOptions extends SentrySinkOptions {
  /**
   * `true` (default): flush when the event loop empties (`beforeExit`), by one deadline
   * (`exitFlushTimeoutMs`) after which what is left is spooled or dropped (counted) and the
   * transport closed, so a finished process exits; and on `exit` (a crash included) hand what is
   * still held, the send in flight too, to the transport's spool hook (`transport.spool`),
   * synchronously, or without one count it as dropped (`shutdown`) with one diagnostic.
   */
  flushOnExit?: boolean;
  /** Deadline of the `beforeExit` flush, from the first time the loop empties. Default {@link DEFAULT_EXIT_FLUSH_TIMEOUT_MS}. */
  exitFlushTimeoutMs?: number;
}

type Listener = () => void;
interface ProcessView {
  on(event: string, listener: Listener): unknown;
  off?(event: string, listener: Listener): unknown;
}

/**
 * An error sink for Node.js servers and CLIs that forwards records to Sentry through
 * `@sentry/node` (an optional peer, imported only when `dsn` is set), with Lookout's transport
 * (`makeSentryTransport`) unless `transport: false`. A `client` the host created is used as is.
 */
export function createSentryNodeSink(options: SentryNodeSinkOptions = {}): SentrySink {
  const o: SentryNodeSinkOptions = typeof options === 'object' && options !== null ? options : {};
  return createSentrySink(
    {
      name: '@lookout/errors:sentry-node',
      load: async (): Promise<SentrySdkLike> => {
        const sdk = await import('@sentry/node');
        return { Client: sdk.NodeClient as unknown as SentrySdkLike['Client'], stackParser: sdk.defaultStackParser };
      },
      transportDefaults: { gzip: zlibGzip },
      install: (sink) => (o.flushOnExit === false ? () => {} : installExitHooks(sink, o.exitFlushTimeoutMs)),
    },
    o,
  );
}

function installExitHooks(sink: SentrySink, timeoutMs: number | undefined): () => void {
  const proc = (globalThis as { process?: ProcessView }).process;
  if (proc === undefined || typeof proc.on !== 'function') return () => {};
  const budget = typeof timeoutMs === 'number' && timeoutMs >= 0 ? timeoutMs : DEFAULT_EXIT_FLUSH_TIMEOUT_MS;
  // One absolute deadline, from the first time the loop empties: each `beforeExit` flush keeps the
  // loop alive, so a flush per round would restart the clock for as long as the queue retries.
  let deadlineAt: number | undefined;
  let expired = false;
  const expire = (): void => {
    if (expired) return;
    expired = true;
    // Closes the client (its last client report included) and the transport, which spools what is
    // left (in flight included) or drops it, counted as `shutdown`; nothing more is retried.
    void sink.shutdown(0);
  };
  const onBeforeExit: Listener = () => {
    const transport = sink.getTransport();
    // Only when something is held: a flush with nothing to do must not keep the loop alive forever.
    if (expired || transport === undefined || transport.stats.queuedItems === 0) return;
    const now = Date.now();
    deadlineAt ??= now + budget;
    const left = deadlineAt - now;
    if (left <= 0) {
      expire();
      return;
    }
    void sink.flush(left).then((flushed) => {
      if (!flushed && Date.now() >= (deadlineAt ?? 0)) expire();
    });
  };
  const onExit: Listener = () => {
    // A crash (uncaughtException under 'default') ends here, its envelope usually in flight.
    sink.getTransport()?.exitNow();
  };
  proc.on('beforeExit', onBeforeExit);
  proc.on('exit', onExit);
  return () => {
    proc.off?.('beforeExit', onBeforeExit);
    proc.off?.('exit', onExit);
  };
}
