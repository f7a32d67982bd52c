import { createSentrySink } from '../sentry/createSentrySink.js';
import type { SentrySdkLike, SentrySink, SentrySinkOptions } from '../sentry/createSentrySink.js';

export { makeSentryTransport, DEFAULT_SENTRY_MAX_QUEUE_ITEMS, DEFAULT_SENTRY_MAX_QUEUE_BYTES, DEFAULT_SENTRY_MAX_ENVELOPE_BYTES, DEFAULT_SENTRY_SEND_TIMEOUT_MS, DEFAULT_SENTRY_RETRY, DEFAULT_SENTRY_CIRCUIT } from '../sentry/makeSentryTransport.js';
export type { SentryTransportOptions, SentrySpool, SpooledEnvelope, LookoutSentryTransport, SentryTransportFactoryOptions } from '../sentry/makeSentryTransport.js';
export { toSentryEvent, SEVERITY_TO_SENTRY_LEVEL } from '../sentry/toSentryEvent.js';
export type { SentryEventLike } from '../sentry/toSentryEvent.js';
export { DEFAULT_SENTRY_GZIP_MIN_BYTES } from '../sentry/gzip.js';
export type { SentryGzip } from '../sentry/gzip.js';
export { DEFAULT_SENTRY_MAX_PENDING_EVENTS } from '../sentry/createSentrySink.js';
export type { SentrySink, SentrySinkOptions, SentryClientLike } from '../sentry/createSentrySink.js';

/** Deadline of the flush run when the page is hidden. */
export const DEFAULT_HIDE_FLUSH_TIMEOUT_MS = 1000;

/** Options of {@link createSentryBrowserSink}. */
export interface SentryBrowserSinkOptions extends SentrySinkOptions {
  /** `true` (default): flush when the page is hidden (`visibilitychange` to hidden, `pagehide`). */
  flushOnHide?: boolean;
}

type Listener = () => void;
interface PageView {
  addEventListener?(type: string, listener: Listener): void;
  removeEventListener?(type: string, listener: Listener): void;
  document?: { visibilityState?: string; addEventListener?(type: string, listener: Listener): void; removeEventListener?(type: string, listener: Listener): void };
}

/**
 * An error sink for pages that forwards records to Sentry through `@sentry/browser` (an optional
 * peer, imported only when `dsn` is set), with Lookout's transport (`keepalive` requests within
 * the page's beacon budget) unless `transport: false`. A `client` the host created is used as is.
 */
export function createSentryBrowserSink(options: SentryBrowserSinkOptions = {}): SentrySink {
  const o: SentryBrowserSinkOptions = typeof options === 'object' && options !== null ? options : {};
  return createSentrySink(
    {
      name: '@lookout/errors:sentry-browser',
      load: async (): Promise<SentrySdkLike> => {
        const sdk = await import('@sentry/browser');
        return { Client: sdk.BrowserClient as unknown as SentrySdkLike['Client'], stackParser: sdk.defaultStackParser };
      },
      transportDefaults: { keepalive: true, contentType: 'text/plain;charset=UTF-8' },
      install: (sink) => (o.flushOnHide === false ? () => {} : installHideHooks(sink)),
    },
    o,
  );
}

function installHideHooks(sink: SentrySink): () => void {
  const page = globalThis as PageView;
  const doc = page.document;
  if (typeof page.addEventListener !== 'function' || doc === undefined || typeof doc.addEventListener !== 'function') return () => {};
  const flush: Listener = () => {
    void sink.flush(DEFAULT_HIDE_FLUSH_TIMEOUT_MS);
  };
  const onVisibility: Listener = () => {
    if (doc.visibilityState === 'hidden') flush();
  };
  doc.addEventListener('visibilitychange', onVisibility);
  page.addEventListener('pagehide', flush);
  return () => {
    doc.removeEventListener?.('visibilitychange', onVisibility);
    page.removeEventListener?.('pagehide', flush);
  };
}
