import type { Diagnostics, FlushResult, MetricsRegistry } from '@lookout/core';
import type { ConsentState, TelemetryEvent } from '../types.js';

/**
 * Why a page client dropped events: `consent` (denied, opted out, Do Not Track / GPC),
 * `sampled` (sampling), `queue_full`, `invalid` (bad name or properties, or a `beforeSend`
 * result that is not an event), `before_send` (the hook returned `null`), `no_endpoint` (no
 * valid endpoint), `send_failed` (retries exhausted), `rejected` (the receiver answered a 4xx
 * other than 408/429), `page_hidden` (did not fit the keepalive budget at page hide and no
 * persistence), `too_large` (an event larger than a whole keepalive request at page hide,
 * kept in no store), `expired` (persisted events past their age) and `shutdown` (still queued
 * after `shutdown()`).
 */
export type PageDropReason =
  | 'consent'
  | 'sampled'
  | 'queue_full'
  | 'invalid'
  | 'before_send'
  | 'no_endpoint'
  | 'send_failed'
  | 'rejected'
  | 'page_hidden'
  | 'too_large'
  | 'expired'
  | 'shutdown';

/** Live counters of a {@link PageClient} (the same object for its lifetime), by event. */
export interface PageClientStats {
  /** Events held: queued, waiting for a retry or in flight. */
  readonly queued: number;
  /** Events the receiver accepted (page-hide sends included). */
  sent: number;
  /** Batches sent again after a retryable failure. */
  retried: number;
  /** Events handed to `fetch(…, { keepalive: true })` or `sendBeacon` at page hide. */
  beaconed: number;
  /** Events kept in IndexedDB at page hide or shutdown (`persistence: true`). */
  persisted: number;
  /** Events read back from IndexedDB and queued again. */
  restored: number;
  /** Events dropped, by reason; every reason is present (0 until it happens). */
  dropped: Record<PageDropReason, number>;
}

/** Input of `createPageClient`. Every field is optional; an invalid one gets one diagnostic and its default. */
export interface PageClientOptions {
  /**
   * Absolute http(s) URL of an OTLP/HTTP logs receiver (e.g. `https://collector.example.com/v1/logs`).
   * Without a valid one, events are dropped and counted as `no_endpoint`.
   */
  endpoint?: string;
  /** Headers sent with every batch (auth). With headers, page-hide sends always use keepalive `fetch`. Never logged. */
  headers?: Record<string, string>;
  /** `service.name` (default `unknown_service`) and `service.version` (default `0.0.0`). */
  app?: { name?: string; version?: string };
  /** Extra OTLP resource attributes. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Initial user id (1–256 characters), carried as `user.id`. */
  userId?: string;
  /** Session id (1–256 characters). Default: a random UUID per client. */
  sessionId?: string;
  /**
   * `granted` (default) sends; `pending` keeps events (up to `maxQueueEvents`) until `optIn()`;
   * `denied` drops them (counted `consent`).
   */
  consent?: ConsentState;
  /** Treat `navigator.doNotTrack === '1'` or `navigator.globalPrivacyControl` as `denied` until `optIn()`. Default `true`. */
  respectDoNotTrack?: boolean;
  /** Share of events kept per event name, in [0, 1]; names not listed keep every event. */
  sampling?: Record<string, number>;
  /**
   * Edits or drops each event before it is queued (return `null` to drop, counted
   * `before_send`). Called inside try/catch: a throw keeps the event as it was.
   */
  beforeSend?: (event: TelemetryEvent) => TelemetryEvent | null | undefined;
  /** Scrub properties and the user id with core's `scrubValue`/`scrubString` (after `beforeSend`). Default `true`. */
  redact?: boolean;
  /** Most events held (queued, retrying, in flight). Default 500. */
  maxQueueEvents?: number;
  /** A batch is sent at this many events. Default 50. */
  maxBatchEvents?: number;
  /** A batch is sent this long after its first event, in ms. Default 5000. */
  flushIntervalMs?: number;
  /** Per-request timeout in ms (where `AbortSignal.timeout` exists). Default 10000. */
  sendTimeoutMs?: number;
  /** Retries of network errors, 408, 429 and 5xx: exponential backoff with jitter, `Retry-After` honoured. */
  retry?: { maxAttempts?: number; initialBackoffMs?: number; maxBackoffMs?: number };
  /** Send what is queued when the page is hidden or closed. Default `true`. */
  flushOnPageHide?: boolean;
  /**
   * Keep what could not be sent at page hide (and at shutdown) in IndexedDB and send it on the
   * next page load. The store is loaded with a dynamic `import()` only when this is `true`. Default `false`.
   */
  persistence?: boolean;
  /** Export the client's counters as Lookout's own metrics into this registry (loaded on demand). */
  registry?: MetricsRegistry;
  /** Where diagnostics go. Default: core's process-wide diagnostics. */
  diagnostics?: Diagnostics;
}

/** A lean event client for pages. No method throws; `flush` and `shutdown` never reject. */
export interface PageClient {
  /**
   * Records an event: `name` 1–128 characters, `properties` a plain object of JSON values
   * (`undefined` values are left out). Returns its id when queued, else `undefined` (counted in
   * `stats.dropped`; the first drop of each reason gets a diagnostic where it is a host mistake).
   */
  track(name: string, properties?: Record<string, unknown>): string | undefined;
  /** Sets (or with `undefined` clears) the user id of later events. */
  identify(userId: string | undefined): void;
  /** Grants consent: queued and later events are sent, persisted ones restored. */
  optIn(): void;
  /** Withdraws consent: drops the queue (counted `consent`), clears persistence, sends nothing more. */
  optOut(): void;
  /** Current consent. */
  readonly consent: ConsentState;
  /** This client's session id. */
  readonly sessionId: string;
  /** Live counters. */
  readonly stats: Readonly<PageClientStats>;
  /** Sends what is queued; resolves by `timeoutMs` (default 5000) with what is left. */
  flush(timeoutMs?: number): Promise<FlushResult>;
  /**
   * Flushes until `timeoutMs` (default 5000), then stops: timers and listeners are removed, and
   * what is left is persisted (with `persistence`) or dropped as `shutdown`. Idempotent.
   */
  shutdown(timeoutMs?: number): Promise<FlushResult>;
}
