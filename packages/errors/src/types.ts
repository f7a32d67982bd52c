import type { BatchQueueStats, CompressionStats, DropReason } from '@lookout/core';
import type { ErrorTrackerChanges } from './tracker/resolveErrorTrackerChanges.js';

/** How bad an error is. Maps to Sentry levels: `critical`→`fatal`, `high`→`error`, `medium`→`warning`, `low`→`info`. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** The built-in categories. Custom ones are any other `[a-z][a-z0-9_]*` name (see `ErrorTrackerOptions.categories`). */
export type BuiltInCategory =
  | 'javascript'
  | 'api'
  | 'network'
  | 'database'
  | 'configuration'
  | 'security'
  | 'performance'
  | 'business';

/** A built-in category or a custom one. */
export type ErrorCategory = BuiltInCategory | (string & {});

/** A value a tag may hold; stringified when sent. */
export type TagValue = string | number | boolean;

/** One stack frame, as parsed from a V8 or SpiderMonkey/JavaScriptCore stack string. */
export interface StackFrame {
  /** Function name as printed by the engine (`Foo.bar`, `new Foo`), without V8's `async ` or Firefox's `async*` prefix; absent for anonymous frames. */
  function?: string;
  /** File or URL as printed; `node:internal/...` for Node internals; `<native>` for built-ins such as `Promise.all (index 0)`. */
  filename?: string;
  /** 1-based line. */
  lineno?: number;
  /** 1-based column. */
  colno?: number;
  /** Whether the frame is the host's own code (not `node_modules`, not Node internals, not Lookout). */
  inApp: boolean;
}

/** One event before an error: a log line, a request, a navigation, an earlier error. */
export interface Breadcrumb {
  /** Milliseconds since the epoch. Default: when it was added. */
  timestamp: number;
  /** What kind of event, e.g. `http`, `navigation`, `error`, `retry`. Default `'default'`. */
  category: string;
  /** Human-readable text (scrubbed). */
  message: string;
  /** Default `'info'`. */
  level: 'debug' | 'info' | 'warning' | 'error' | 'fatal';
  /** Structured data (scrubbed). */
  data?: Record<string, unknown>;
}

/** What a host may pass to {@link Breadcrumb}-adding calls; every field but `message` is optional. */
export interface BreadcrumbInput {
  message: string;
  category?: string;
  level?: Breadcrumb['level'];
  data?: Record<string, unknown>;
  timestamp?: number;
}

/** How an error reached the tracker. */
export type CaptureMechanism =
  | 'manual'
  | 'uncaughtException'
  | 'unhandledRejection'
  | 'onerror'
  | 'retry'
  | 'fallback';

/** Optional details given with {@link ErrorTracker.captureError} and {@link ErrorTracker.captureMessage}. */
export interface CaptureContext {
  /** Overrides the category inferred from the error. */
  category?: ErrorCategory;
  /** Overrides the severity inferred from the error. */
  severity?: Severity;
  /** Overrides the tracker's current user id for this capture. */
  userId?: string;
  /** Overrides the tracker's current session id for this capture. */
  sessionId?: string;
  /** Low-cardinality key/values (become Sentry tags). */
  tags?: Record<string, TagValue>;
  /** Free context (scrubbed; becomes a Sentry context). */
  context?: Record<string, unknown>;
  /** Replaces the computed fingerprint: errors with the same parts form one group. */
  fingerprint?: readonly string[];
  /** Whether the host handled the error. Default `false` for the global handlers' mechanisms (`uncaughtException`, `unhandledRejection`, `onerror`), `true` otherwise (manual, `retry`, a recovered `fallback`). */
  handled?: boolean;
  /** How it was captured. Default `'manual'`. */
  mechanism?: CaptureMechanism;
}

/** One link of an error's `cause` chain, outermost first after the error itself, or one inner error of an AggregateError. */
export interface ErrorCause {
  type: string;
  message: string;
  stack: StackFrame[];
  /** `errors[i]` for an AggregateError's inner error; absent for a `cause` link. */
  source?: string;
}

/**
 * What the tracker records for one capture and hands to every sink. Messages, context, tags,
 * breadcrumbs and stack strings are already scrubbed by the redactor.
 */
export interface ErrorRecord {
  /** 32 lowercase hex characters; also the Sentry `event_id`. */
  id: string;
  /** `error` for {@link ErrorTracker.captureError}, `message` for {@link ErrorTracker.captureMessage}. */
  kind: 'error' | 'message';
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Error name (`TypeError`, `DatabaseError`), or `NonError` when something else was thrown. */
  type: string;
  message: string;
  category: ErrorCategory;
  severity: Severity;
  /** Group id: a 16-hex-character hash of the fingerprint parts. */
  fingerprint: string;
  /** What the fingerprint was computed from (type, normalised message, top in-app frames), or the caller's parts. */
  fingerprintParts: readonly string[];
  userId?: string;
  sessionId?: string;
  /** Low-cardinality fields: typed error fields, caller tags. */
  tags: Record<string, string>;
  /** Structured fields of a typed error (e.g. `{ stage, reason }`). */
  details: Record<string, unknown>;
  /** Free context from the caller (and what could be read from a non-Error throwable). */
  context: Record<string, unknown>;
  /** Parsed frames, innermost first. */
  stack: StackFrame[];
  /** The `cause` chain, then an AggregateError's inner errors (at most 5 in all). */
  causes: ErrorCause[];
  /** Breadcrumbs before this capture, oldest first. */
  breadcrumbs: Breadcrumb[];
  handled: boolean;
  mechanism: CaptureMechanism;
  /** Occurrences of this group so far, this one included. */
  groupCount: number;
}

/**
 * A destination for error records (Sentry, a log, a test). `capture` is called synchronously on
 * the capture path: do I/O asynchronously. Every call is guarded: a throw or a rejected promise
 * becomes a diagnostic, never the host's problem.
 */
export interface ErrorSink {
  /** Stable name for diagnostics, e.g. `'@lookout/errors:sentry-node'`. */
  readonly name: string;
  capture(record: ErrorRecord): void;
  /** Sends what is pending; resolves `true` when nothing is left, by `timeoutMs`. */
  flush?(timeoutMs: number): Promise<boolean>;
  /** Flushes, then releases resources; resolves by `timeoutMs`. */
  shutdown?(timeoutMs: number): Promise<boolean>;
}

/** Counts of one group (errors with the same fingerprint). */
export interface GroupSnapshot {
  fingerprint: string;
  type: string;
  /** Normalised message of the first occurrence. */
  message: string;
  category: ErrorCategory;
  severity: Severity;
  /** Occurrences seen. */
  count: number;
  /** Occurrences not forwarded to sinks because of the per-group rate limit. */
  suppressed: number;
  /** Milliseconds since the epoch. */
  firstSeen: number;
  lastSeen: number;
}

/** Passed to `spike.onSpike` when a group's or a category's rate crosses its threshold. */
export interface SpikeEvent {
  /** What crossed: one group, or a whole category. */
  kind: 'group' | 'category';
  /** The fingerprint (kind `group`) or the category name (kind `category`). */
  key: string;
  /** Occurrences within the window, when it fired. */
  count: number;
  /** The threshold that was crossed. */
  threshold: number;
  windowMs: number;
  /** `count` per minute. */
  ratePerMinute: number;
  category: ErrorCategory;
  /** The group (kind `group`) or the group of the error that crossed it (kind `category`). */
  group: GroupSnapshot;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** How {@link ErrorTracker.retry} waits between attempts. */
export interface BackoffOptions {
  /** Wait before the second attempt, in ms. Default 100. */
  initialMs?: number;
  /** Largest wait, in ms. Default 10 000. */
  maxMs?: number;
  /** Growth per attempt. Default 2 (exponential); 1 gives a constant wait. */
  factor?: number;
}

/** Options of {@link ErrorTracker.retry}. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  attempts?: number;
  /** A backoff policy, or a fixed wait in ms. Default `{ initialMs: 100, maxMs: 10_000, factor: 2 }`. */
  backoff?: BackoffOptions | number;
  /** `true` (default): wait a random time in [0, backoff) ("full jitter"). */
  jitter?: boolean;
  /** Whether a failure is worth another attempt. Default: always. A throw counts as `false`. */
  retryOn?: (error: unknown, attempt: number) => boolean;
  /** A name for breadcrumbs and the captured error's context, e.g. `'fetch-config'`. */
  name?: string;
  /** Capture the final failure in the tracker (it is rethrown either way). Default `true`. */
  capture?: boolean;
  /** Context for the captured failure. */
  context?: CaptureContext;
}

/** Options of {@link ErrorTracker.withFallback}. */
export interface FallbackOptions {
  name?: string;
  /** Capture the primary's failure (severity `medium` and `handled: true` by default, since it was recovered). Default `true`. */
  capture?: boolean;
  context?: CaptureContext;
}

/** How uncaught errors and rejections are handled once captured. */
export interface GlobalHandlerOptions {
  /**
   * Node `uncaughtException`. `'default'`: observe through `uncaughtExceptionMonitor`, so Node
   * prints the error and exits as it would without Lookout (pending sends are then left to the
   * sinks' exit hooks). `'continue'`: install an `uncaughtException` listener, which keeps the
   * process alive. `false`: do not listen. Default `'default'`.
   */
  uncaughtException?: 'default' | 'continue' | false;
  /**
   * Node `unhandledRejection`. `'default'`: capture, then do what Node would have done without a
   * listener, by the `--unhandled-rejections` mode of `NODE_OPTIONS` and the command line (under
   * the default `throw`, rethrow as an uncaught exception when no listener but Lookout's
   * `'default'` ones exists; `warn-with-error-code` warns and sets the exit code). With several
   * trackers in one process, each captures and Node's action is applied once. `'continue'`:
   * capture only (like a host listener, Node's action is then off). `false`: do not listen.
   * Default `'default'`.
   */
  unhandledRejection?: 'default' | 'continue' | false;
  /** Browser `error` events on `globalThis` (handlers set before keep running). Default `true`. */
  onerror?: boolean;
  /** Browser `unhandledrejection` events. Default `true`. */
  onunhandledrejection?: boolean;
}

/** The error tracker. No method throws into the host. */
export interface ErrorTracker {
  /**
   * Captures anything thrown (Errors, strings, null, objects with cycles or throwing getters)
   * with optional context. Returns the record's id, or `undefined` when the tracker is disabled
   * or shut down, or `beforeCapture` dropped the record (nothing was sent). A record over the
   * per-group rate limit gets an id but reaches no sink (it is counted in its group). An object
   * captured before gives the first record's id.
   */
  captureError(error: unknown, context?: CaptureContext): string | undefined;
  /** Captures a message at `severity` (default `'low'`). Returns the record's id. */
  captureMessage(message: string, severity?: Severity, context?: CaptureContext): string | undefined;
  /** Adds a breadcrumb (scrubbed); the buffer keeps the last `maxBreadcrumbs`. */
  addBreadcrumb(breadcrumb: BreadcrumbInput): void;
  /** Sets the user id added to later captures (scrubbed); `undefined` clears it. */
  setUser(userId: string | undefined): void;
  /** Sets the session id added to later captures; `undefined` clears it. */
  setSession(sessionId: string | undefined): void;
  /**
   * Runs `fn` up to `options.attempts` times with backoff. Resolves with its first success;
   * rejects with its last error (the host's error, unchanged). Each retry is a breadcrumb; the
   * final failure is captured; outcomes are counted in `{ns}_error_recoveries_total`.
   */
  retry<T>(fn: (attempt: number) => T | Promise<T>, options?: RetryOptions): Promise<T>;
  /**
   * Runs `fn`; when it throws (or rejects), captures the error and returns `fallback` (a value, or
   * a function of the error). A failing fallback function's error passes through to the host.
   */
  withFallback<T>(fn: () => T | Promise<T>, fallback: T | ((error: unknown) => T | Promise<T>), options?: FallbackOptions): Promise<T>;
  /** Installs the global handlers (opt-in); returns a function that removes them. Idempotent. */
  installGlobalHandlers(options?: GlobalHandlerOptions): () => void;
  /** Groups seen, most recent last. */
  getGroups(): GroupSnapshot[];
  /** One group by fingerprint. */
  getGroup(fingerprint: string): GroupSnapshot | undefined;
  /** Adds a sink after creation. */
  addSink(sink: ErrorSink): void;
  /**
   * Changes at run time what may change, keeping the state: `rateLimit`, `spike`, `classify`,
   * `beforeCapture`, `tags`, `maxBreadcrumbs` and `enabled`. Groups keep their counts and
   * rate-limit windows (a new `perGroup` applies to the current window), breadcrumbs are kept
   * (the oldest dropped when the ring shrinks), and so are the user and session. Spike windows are
   * kept unless `spike.windowMs` or `spike.cooldownMs` changes. `rateLimit` and `spike` objects
   * change only the fields given; `false` turns them off. Options fixed at creation (sinks,
   * registry, redactor, grouping limits …), unknown options and invalid values get one diagnostic
   * each and are left as they were; the rest applies. Never throws; a no-op after `shutdown`.
   */
  configure(changes: ErrorTrackerChanges): void;
  /** Flushes every sink; resolves `true` when all reported nothing left, by `timeoutMs` (default 5000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Removes global handlers, shuts every sink down by `timeoutMs`; later captures are no-ops. */
  shutdown(timeoutMs?: number): Promise<boolean>;
}

/**
 * Why a Sentry transport dropped envelopes: the kernel's reasons, and `rate_limited` (a Sentry
 * rate limit covered their category; reported to Sentry as `ratelimit_backoff`, except the
 * envelope a 429 refused, which Sentry counted itself).
 */
export type SentryDropReason = DropReason | 'rate_limited';

/** Live counters of a Sentry transport queue, as the kernel keeps them, plus spooled and rate-limited envelopes. */
export interface SentryTransportStats extends Omit<BatchQueueStats, 'dropped'> {
  /** Envelopes dropped, by reason (exported as `lookout_delivery_items_dropped_total{reason}`). */
  dropped: Record<SentryDropReason, number>;
  /** Envelopes handed to the spool hook instead of being dropped. */
  spooled: number;
  /** What the gzip step did (bodies, bytes before and after, failures). */
  compression: CompressionStats;
}
