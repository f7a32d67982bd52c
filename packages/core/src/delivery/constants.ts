/** Default bound of items held by a queue. */
export const DEFAULT_MAX_QUEUE_ITEMS = 1000;
/** Default bound of bytes held by a queue: 1 MiB. */
export const DEFAULT_MAX_QUEUE_BYTES = 1024 * 1024;
/** Default items per batch. */
export const DEFAULT_MAX_BATCH_ITEMS = 100;
/** Default bytes per batch: 256 KiB. */
export const DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
/** Default age of a batch before it is sent. */
export const DEFAULT_FLUSH_INTERVAL_MS = 5000;
/** Default per-send timeout. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
/** Default time `flush`/`shutdown` may take. */
export const DEFAULT_FLUSH_DEADLINE_MS = 5000;
/** Default attempts per batch, the first send included. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 5;
/** Default backoff ceiling before the first retry. */
export const DEFAULT_RETRY_INITIAL_BACKOFF_MS = 1000;
/** Default largest backoff ceiling. */
export const DEFAULT_RETRY_MAX_BACKOFF_MS = 30_000;
/** Default clamp on a receiver's `Retry-After`: 5 minutes. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 5 * 60_000;
/** Default consecutive failed sends that open the circuit. */
export const DEFAULT_CIRCUIT_FAILURE_THRESHOLD = 5;
/** Default time the circuit stays open before a probe. */
export const DEFAULT_CIRCUIT_COOLDOWN_MS = 30_000;
/**
 * Default page-lifetime budget for keepalive requests and beacons: 64 KiB, the limit browsers
 * apply to all in-flight keepalive bodies of a page together (Fetch spec, "keepalive").
 */
export const DEFAULT_BEACON_BUDGET_BYTES = 65_536;
