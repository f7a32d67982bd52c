/** Severity of a Lookout diagnostic, from quietest to loudest. `none` silences everything. */
export type DiagLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

/**
 * Where Lookout writes its own messages. Any object with these four methods works
 * (`console`, pino, winston). Lookout never throws out of a call into it.
 */
export interface Logger {
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

/** What Lookout reports about itself: bad input, failed sinks, dropped data. */
export interface Diagnostics {
  /**
   * Reports a problem the host can fix (bad input, bad config). Deduplicated by `key`
   * (defaults to `code`): the same key is reported once per process lifetime of this
   * Diagnostics, bounded to {@link MAX_DISTINCT_DIAGNOSTIC_KEYS} keys.
   */
  warn(code: string, message: string, key?: string): void;
  /** Reports a failure inside Lookout or one of its sinks. Deduplicated like `warn`. */
  error(code: string, message: string, key?: string): void;
  /** Informational; deduplicated like `warn`. */
  info(code: string, message: string, key?: string): void;
  /** Verbose tracing; not deduplicated, only emitted at level `debug`. */
  debug(code: string, message: string): void;
  /** Passes an unexpected internal error to the handler set with `onInternalError`, never throws. */
  internalError(error: unknown, where: string): void;
  /** Counts of what was emitted and suppressed, by level, for Lookout's self-metrics. */
  readonly counts: DiagnosticCounts;
  /** Whether a message at this level would be emitted. */
  enabled(level: Exclude<DiagLevel, 'none'>): boolean;
}

export interface DiagnosticCounts {
  error: number;
  warn: number;
  info: number;
  /** Reports not emitted because the same key was already reported or the rate limit was hit. */
  suppressed: number;
}

export interface DiagnosticsOptions {
  /** Where messages go. Default: the console as it was when Lookout first logged (never a patched one). */
  logger?: Logger;
  /** Lowest level that is emitted. Default `'warn'`: problems a user should see are visible by default. */
  level?: DiagLevel;
  /** At most this many messages per minute (a positive integer); the rest are counted as suppressed. Default 60. */
  maxPerMinute?: number;
  /** Receives unexpected internal errors. Called inside try/catch. */
  onInternalError?: (error: unknown, where: string) => void;
  /** Clock in ms; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

/** Distinct dedupe keys remembered; past this, new keys are still rate-limited but not deduplicated. */
export const MAX_DISTINCT_DIAGNOSTIC_KEYS = 1000;
export const DEFAULT_DIAG_MAX_PER_MINUTE = 60;
