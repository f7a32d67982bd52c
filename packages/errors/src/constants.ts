// The tracker's defaults, apart from config.ts so that code which must not load zod (the page
// capture) reads the same values.

/** Breadcrumbs kept for the next error. */
export const DEFAULT_MAX_BREADCRUMBS = 50;
/** Distinct groups remembered; the least recently seen is forgotten past this. */
export const DEFAULT_MAX_GROUPS = 1000;
/** In-app frames that go into a fingerprint. */
export const DEFAULT_FINGERPRINT_FRAMES = 3;
/** Frames kept per stack (innermost first). */
export const DEFAULT_MAX_STACK_FRAMES = 50;
/** Longest message kept, in UTF-16 code units. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 8192;
/** Records per group forwarded to sinks per rate-limit window. */
export const DEFAULT_RATE_LIMIT_PER_GROUP = 10;
/** Per-group rate-limit window. */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/** Spike window. */
export const DEFAULT_SPIKE_WINDOW_MS = 60_000;
/** Occurrences of one group within the window that make a spike. */
export const DEFAULT_SPIKE_GROUP_THRESHOLD = 50;
/** Occurrences of one category within the window that make a spike. */
export const DEFAULT_SPIKE_CATEGORY_THRESHOLD = 200;
/** After a spike fires for a key, it cannot fire again for that key for this long. */
export const DEFAULT_SPIKE_COOLDOWN_MS = 10 * 60_000;
/** Most custom categories; more would make `errors_total` unbounded. Extra ones count as `other`. */
export const MAX_CUSTOM_CATEGORIES = 32;
/** Metric namespace: `{ns}_errors_total`. */
export const DEFAULT_ERRORS_NAMESPACE = 'app';
/** Default deadline of `flush` and `shutdown`. */
export const DEFAULT_ERRORS_FLUSH_TIMEOUT_MS = 5000;
