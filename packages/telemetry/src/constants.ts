// The client's defaults, apart from config.ts so that code which must not load zod (the page
// client) reads the same values.
import type { TelemetryFormat } from './types.js';

/** Default bound of events held by a client (queued, retrying, in flight). */
export const DEFAULT_MAX_QUEUE_EVENTS = 1000;
/** Default bound of bytes held by a client: 2 MiB of event JSON. */
export const DEFAULT_MAX_QUEUE_BYTES = 2 * 1024 * 1024;
/** Default events per batch. */
export const DEFAULT_MAX_BATCH_EVENTS = 200;
/** Default bytes per batch: 256 KiB. */
export const DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
/** Default age of a batch before it is sent: events leave at least every 2 s. */
export const DEFAULT_FLUSH_INTERVAL_MS = 2000;
/** Default per-request timeout. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
/** Default attempts per batch, the first included. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 8;
/** Default first backoff ceiling; doubles per attempt, with full jitter. */
export const DEFAULT_RETRY_INITIAL_BACKOFF_MS = 500;
/** Default largest backoff ceiling. */
export const DEFAULT_RETRY_MAX_BACKOFF_MS = 30_000;
/** Default longest `Retry-After` honoured. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Default failed sends in a row that open the circuit. */
export const DEFAULT_CIRCUIT_FAILURE_THRESHOLD = 5;
/** Default pause before the circuit probes the receiver again. */
export const DEFAULT_CIRCUIT_COOLDOWN_MS = 5000;
/** Default wire format. */
export const DEFAULT_FORMAT: TelemetryFormat = 'otlp-proto';
/** `service.name` when `app.name` is not given (OTel's own fallback). */
export const DEFAULT_APP_NAME = 'unknown_service';
/** `appVersion` when `app.version` is not given. */
export const DEFAULT_APP_VERSION = '0.0.0';
/** The `signal` label of the client's delivery metrics. */
export const DEFAULT_SIGNAL = 'events';
/** Longest event name, in characters. */
export const MAX_EVENT_NAME_LENGTH = 256;
/** Default most events a page client holds. */
export const DEFAULT_PAGE_MAX_QUEUE_EVENTS = 500;
/** Default events per batch of a page client. */
export const DEFAULT_PAGE_MAX_BATCH_EVENTS = 50;
