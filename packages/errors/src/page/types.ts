import type { Diagnostics, MetricsRegistry, Redactor } from '@lookout/core';
import type { CaptureContext, ErrorRecord, ErrorSink, Severity, TagValue } from '../types.js';

/**
 * Options of `createPageErrorCapture`. Every field is optional; each invalid one gets one
 * diagnostic naming it and its default is used (nothing throws unless `strict: true`).
 */
export interface PageErrorCaptureOptions {
  /** Where records go (the Sentry browser sink, `@lookout/browser`'s event sink, a test sink). Default none. */
  sinks?: readonly ErrorSink[];
  /** Where Lookout reports bad input and failing sinks. Default: core's `getDiagnostics()`, loaded on first use. */
  diagnostics?: Diagnostics;
  /**
   * Scrubs messages, breadcrumbs, context, tags and the user id before sinks see them (core's
   * `createRedactor()`; pass the one the page's event client uses so it is bundled once).
   * Default: none here. The page path's sinks scrub themselves (the event sink through the event
   * client); a sink that sends records elsewhere needs this option.
   */
  redactor?: Redactor;
  /** Records per fingerprint forwarded to sinks per minute; the rest are counted, not sent. Default 10. */
  maxPerGroupPerMinute?: number;
  /** Errors whose message contains one of these strings or matches one of these patterns are dropped (e.g. `'ResizeObserver loop'`). Default none. */
  ignoreErrors?: ReadonlyArray<string | RegExp>;
  /** Breadcrumbs kept for the next record (a ring). Default 20, at most 100. */
  maxBreadcrumbs?: number;
  /** Last look at each record: return it (changed or not), or `null` to drop it. A throw keeps the record. */
  beforeCapture?: (record: ErrorRecord) => ErrorRecord | null | undefined;
  /** Tags on every record (e.g. `{ release: '1.4.2', environment: 'production' }`). Default none. */
  tags?: Record<string, TagValue>;
  /**
   * When given, counts `{namespace}_errors_total{category,severity}` (core's standard metric) and
   * `lookout_errors_suppressed_total{reason}` in it. The metrics code is loaded with a dynamic
   * `import()` on the first count, so pages without a registry never download it.
   */
  registry?: MetricsRegistry;
  /** Metric namespace. Default `'app'`. */
  namespace?: string;
  /**
   * @deprecated No effect: the capture is loaded with the page (one chunk, smaller than a shell
   * plus a lazily loaded processor). Accepted so that existing options stay valid.
   */
  preload?: boolean;
  /** Throw a `LookoutConfigError` naming the invalid options instead of reporting them (for tests and development). Default `false`. */
  strict?: boolean;
}

/** A breadcrumb as given to {@link PageErrorCapture.addBreadcrumb}. */
export interface PageBreadcrumbInput {
  /** Default `'default'`. */
  category?: string;
  message: string;
  data?: Record<string, unknown>;
  /** Default `'info'`. */
  level?: 'debug' | 'info' | 'warning' | 'error' | 'fatal';
}

/** The lean error capture of a page. No method throws into the host; no promise rejects. */
export interface PageErrorCapture {
  /**
   * Captures anything thrown. Returns the record's id (32 hex), or `undefined` once shut down,
   * when ignored, or when `beforeCapture` dropped it. A record over the per-group rate limit gets
   * an id but reaches no sink. An object captured before (capture-and-rethrow, then the page's
   * `error` event) makes no second record: the first one's id is returned.
   */
  captureError(error: unknown, context?: CaptureContext): string | undefined;
  /** Captures a message at `severity` (default `'low'`). Returns the record's id. */
  captureMessage(message: string, severity?: Severity, context?: CaptureContext): string | undefined;
  /** Adds a breadcrumb; the ring keeps the last `maxBreadcrumbs`. */
  addBreadcrumb(breadcrumb: PageBreadcrumbInput): void;
  /**
   * For consent: forgets what was observed so far, the breadcrumbs, each group's count and
   * rate-limit window and which thrown objects were captured, so no later record carries any of it (`groupCount` starts again at 1). Call
   * it when consent is withdrawn and when it is granted after being `pending` or `denied`; the
   * user, the session, the tags and the listeners stay.
   */
  clear(): void;
  /** Sets the user id of later records; `undefined` clears it. */
  setUser(userId: string | undefined): void;
  /** Sets the session id of later records; `undefined` clears it. */
  setSession(sessionId: string | undefined): void;
  /**
   * Listens to the page's `error` and `unhandledrejection` events (the page's own handlers and
   * console output are untouched) and returns a function that removes the listeners. Records
   * are unhandled, with mechanism `onerror` or `unhandledRejection` (Sentry's `onunhandledrejection`).
   * A no-op where `globalThis.addEventListener` does not exist. A second call returns the same remover.
   */
  installGlobalHandlers(): () => void;
  /** Flushes every sink; resolves `true` when all reported nothing left, by `timeoutMs` (default 5000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Removes the listeners and shuts every sink down by `timeoutMs` (default 5000); later captures are no-ops. Idempotent. */
  shutdown(timeoutMs?: number): Promise<boolean>;
}
