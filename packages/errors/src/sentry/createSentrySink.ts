import { describeError, getDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import type { ErrorRecord, ErrorSink } from '../types.js';
import { makeSentryTransport } from './makeSentryTransport.js';
import type { LookoutSentryTransport, SentryTransportOptions } from './makeSentryTransport.js';
import { toSentryEvent } from './toSentryEvent.js';

/** Records held while the Sentry SDK loads; more are dropped (and counted by a diagnostic). */
export const DEFAULT_SENTRY_MAX_PENDING_EVENTS = 100;

/**
 * The part of a Sentry client (`NodeClient`, `BrowserClient`, or the one `Sentry.init` returns)
 * this adapter calls. It is the API `@sentry/node` and `@sentry/browser` share.
 */
export interface SentryClientLike {
  captureEvent(event: object, hint?: object, scope?: unknown): string | undefined;
  flush(timeout?: number): PromiseLike<boolean>;
  close?(timeout?: number): PromiseLike<boolean>;
  getTransport?(): unknown;
  getDsn?(): unknown;
  startClientReportTracking?(): void;
}

/** What the adapter needs from a platform SDK module. */
export interface SentrySdkLike {
  /** `NodeClient` or `BrowserClient`. */
  Client: new (options: Record<string, unknown>) => SentryClientLike;
  /** `defaultStackParser` of the platform. */
  stackParser: unknown;
}

/** Options of the Sentry sinks. Either `dsn` or `client`; with neither, the sink does nothing. */
export interface SentrySinkOptions {
  /**
   * Where events go, e.g. `https://KEY@o1.ingest.sentry.io/1`. The platform's Sentry package is
   * imported only when this is set (and `client` is not). Never logged.
   */
  dsn?: string;
  /**
   * A client the host created itself (`Sentry.init(...)` returns it, or `Sentry.getClient()`). It
   * is used as is: its own transport, scope and integrations apply; Lookout never closes it. To
   * give it Lookout's delivery, pass `transport: makeSentryTransport()` in its own options.
   */
  client?: SentryClientLike;
  /** Sentry `environment` of a client this sink creates. */
  environment?: string;
  /** Sentry `release` of a client this sink creates. */
  release?: string;
  /** Delivery options of Lookout's transport. `false` keeps Sentry's own transport (not recommended; for comparisons). */
  transport?: SentryTransportOptions | false;
  /** More Sentry client options, merged last (e.g. `sendClientReports`, `maxValueLength`). */
  clientOptions?: Record<string, unknown>;
  /** Default {@link DEFAULT_SENTRY_MAX_PENDING_EVENTS}. */
  maxPendingEvents?: number;
  diagnostics?: Diagnostics;
}

/** A sink that forwards records to Sentry. */
export interface SentrySink extends ErrorSink {
  flush(timeoutMs: number): Promise<boolean>;
  shutdown(timeoutMs: number): Promise<boolean>;
  /** Resolves `true` once a client is ready, `false` when the sink is disabled (no DSN, SDK missing). */
  readonly ready: Promise<boolean>;
  /** The client in use, once ready. */
  getClient(): SentryClientLike | undefined;
  /** Lookout's transport of a client this sink created, once ready. */
  getTransport(): LookoutSentryTransport | undefined;
  /**
   * For consent withdrawn: forgets the records held while the Sentry SDK loads and drops the
   * envelopes Lookout's transport holds (see {@link LookoutSentryTransport.clear}), so nothing
   * captured before is sent. Records captured later are forwarded as usual. A host's own `client`
   * keeps its own queue.
   */
  clear(): void;
}

/** Platform glue given by `./sentry-node` and `./sentry-browser`. */
export interface SentryPlatform {
  /** Names the sink, e.g. `'@lookout/errors:sentry-node'`. */
  name: string;
  /** Imports the platform's Sentry package. */
  load(): Promise<SentrySdkLike>;
  /** Transport defaults of the platform (e.g. `keepalive` in browsers). */
  transportDefaults?: SentryTransportOptions;
  /** Installs exit or page-hide hooks once a client exists; returns their remover. */
  install?(sink: SentrySink): () => void;
}

/**
 * The one Sentry adapter, shared by both platforms: builds a Sentry event from each record (see
 * `toSentryEvent`) and hands it to the client with the record's id as `event_id`. Never throws;
 * a Sentry package that fails to load is one diagnostic and a disabled sink.
 */
export function createSentrySink(platform: SentryPlatform, options: SentrySinkOptions = {}): SentrySink {
  const o: SentrySinkOptions = typeof options === 'object' && options !== null ? options : {};
  const diagnostics = (): Diagnostics => o.diagnostics ?? getDiagnostics();
  const maxPending = typeof o.maxPendingEvents === 'number' && o.maxPendingEvents >= 0 ? Math.floor(o.maxPendingEvents) : DEFAULT_SENTRY_MAX_PENDING_EVENTS;
  let client: SentryClientLike | undefined;
  let transport: LookoutSentryTransport | undefined;
  let pending: ErrorRecord[] | undefined = [];
  let droppedWhileLoading = 0;
  let uninstall: (() => void) | undefined;
  let closed = false;

  const forward = (record: ErrorRecord): void => {
    if (client === undefined) return;
    try {
      client.captureEvent(toSentryEvent(record), { event_id: record.id });
    } catch (error) {
      diagnostics().error('errors/sentry-capture-failed', `${platform.name}: captureEvent failed: ${describeError(error)}`, `${platform.name}:capture`);
    }
  };

  const disable = (why: string): boolean => {
    pending = undefined;
    if (why !== '') diagnostics().warn('errors/sentry-disabled', `${platform.name}: ${why}; errors are not sent to Sentry`, `${platform.name}:disabled`);
    return false;
  };

  const sink: SentrySink = {
    name: platform.name,
    ready: Promise.resolve(false),
    getClient: () => client,
    getTransport: () => transport,
    capture(record) {
      if (closed) return;
      if (client !== undefined) {
        forward(record);
        return;
      }
      if (pending === undefined) return;
      if (pending.length < maxPending) pending.push(record);
      else if (droppedWhileLoading++ === 0) {
        diagnostics().warn('errors/sentry-pending-full', `${platform.name}: more than ${maxPending} errors while the Sentry SDK loads; later ones are dropped until it is ready`, platform.name);
      }
    },
    clear() {
      if (pending !== undefined) pending = [];
      transport?.clear();
    },
    async flush(timeoutMs) {
      await sink.ready;
      if (client === undefined) return true;
      try {
        return (await client.flush(timeoutMs)) !== false;
      } catch (error) {
        diagnostics().internalError(error, `${platform.name}.flush`);
        return false;
      }
    },
    async shutdown(timeoutMs) {
      if (closed) return true;
      const ready = await sink.ready;
      closed = true;
      uninstall?.();
      uninstall = undefined;
      if (!ready || client === undefined) return true;
      try {
        if (o.client !== undefined) return (await client.flush(timeoutMs)) !== false;
        // The client first: closing it stops its client-report timer and flushes its last client
        // report into the transport while that still sends; then the transport spools or drops
        // (counted) what is left by the deadline.
        const deadline = Date.now() + timeoutMs;
        const closedClean = client.close === undefined ? true : await client.close(timeoutMs);
        const delivered = transport !== undefined ? await transport.shutdown(Math.max(0, deadline - Date.now())) : true;
        return delivered && closedClean !== false;
      } catch (error) {
        diagnostics().internalError(error, `${platform.name}.shutdown`);
        return false;
      }
    },
  };

  const start = async (): Promise<boolean> => {
    if (isClient(o.client)) {
      client = o.client;
    } else {
      if (o.client !== undefined) diagnostics().warn('errors/invalid-options', `${platform.name}: client must be a Sentry client (captureEvent, flush)`, `${platform.name}:client`);
      if (o.dsn === undefined || o.dsn === '') return disable('');
      // Checked here with Sentry's own grammar: a DSN Sentry refuses would be printed, key and all,
      // by @sentry/core, and leave a client without a transport that drops every event.
      const dsn = typeof o.dsn === 'string' ? o.dsn.trim() : o.dsn;
      if (!isDsn(dsn)) return disable('dsn is not a valid Sentry DSN (http(s)://PUBLIC_KEY@HOST[:PORT]/[PATH/]PROJECT_ID, a key of letters, digits and _, a numeric project id)');
      let sdk: SentrySdkLike;
      try {
        sdk = await platform.load();
      } catch (error) {
        return disable(`the Sentry package could not be loaded (${describeError(error)}); install it as a dependency`);
      }
      const factory =
        o.transport === false
          ? undefined
          : makeSentryTransport({ ...(platform.transportDefaults ?? {}), ...(o.transport ?? {}), ...(o.diagnostics === undefined ? {} : { diagnostics: o.diagnostics }) });
      const clientOptions: Record<string, unknown> = {
        stackParser: sdk.stackParser,
        // Lookout owns global handlers, breadcrumbs and grouping; Sentry only delivers.
        integrations: [],
        sendClientReports: true,
        ...(o.environment === undefined ? {} : { environment: o.environment }),
        ...(o.release === undefined ? {} : { release: o.release }),
        ...(o.clientOptions ?? {}),
        // After clientOptions: the DSN checked above is the one used.
        dsn,
      };
      if (factory !== undefined) {
        clientOptions['transport'] = (sentryOptions: Parameters<typeof factory>[0]) => {
          transport = factory(sentryOptions);
          return transport;
        };
      }
      try {
        client = new sdk.Client(clientOptions);
      } catch (error) {
        return disable(`the Sentry client could not be created (${describeError(error)})`);
      }
      // A client without a DSN (or, with Lookout's transport, without one) throws events away.
      if ((typeof client.getDsn === 'function' && client.getDsn() === undefined) || (factory !== undefined && transport === undefined)) {
        client = undefined;
        return disable('Sentry refused the DSN');
      }
      // Without Sentry.init nothing starts the periodic client reports (drops told to Sentry);
      // Node's client has this method, the browser's sends them on page hide by itself.
      try {
        client.startClientReportTracking?.();
      } catch (error) {
        diagnostics().internalError(error, `${platform.name}.clientReports`);
      }
    }
    if (closed) return false;
    const queued = pending ?? [];
    pending = undefined;
    for (const record of queued) forward(record);
    if (droppedWhileLoading > 0) diagnostics().warn('errors/sentry-pending-dropped', `${platform.name}: ${droppedWhileLoading} error(s) were dropped while the Sentry SDK loaded`, `${platform.name}:pending-dropped`);
    try {
      uninstall = platform.install?.(sink);
    } catch (error) {
      diagnostics().internalError(error, `${platform.name}.install`);
    }
    return true;
  };
  (sink as { ready: Promise<boolean> }).ready = start().catch((error: unknown) => {
    diagnostics().internalError(error, `${platform.name}.start`);
    return disable('');
  });
  return sink;
}

function isClient(value: unknown): value is SentryClientLike {
  return typeof value === 'object' && value !== null && typeof (value as SentryClientLike).captureEvent === 'function' && typeof (value as SentryClientLike).flush === 'function';
}

/**
 * `http(s)://PUBLIC_KEY[:SECRET]@HOST[:PORT]/[PATH/]PROJECT_ID` as @sentry/core reads it
 * (`makeDsn`: its DSN_REGEX, an `http`/`https` protocol, and a last path segment starting with
 * the numeric project id), checked without echoing it. Line breaks are refused too.
 */
const DSN = /^https?:\/\/\w+(?::\w*)?@(?:\[[:.%\w]+\]|[\w.-]+)(?::\d+)?\/(?:.*\/)?\d[^/]*$/;

function isDsn(dsn: unknown): dsn is string {
  return typeof dsn === 'string' && !/[\r\n\u2028\u2029]/.test(dsn) && DSN.test(dsn);
}
