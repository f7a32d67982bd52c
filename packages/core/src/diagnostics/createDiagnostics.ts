import {
  DEFAULT_DIAG_MAX_PER_MINUTE,
  MAX_DISTINCT_DIAGNOSTIC_KEYS,
  type DiagLevel,
  type DiagnosticCounts,
  type Diagnostics,
  type DiagnosticsOptions,
  type Logger,
} from './types.js';

const LEVEL_RANK: Record<DiagLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4 };
const PREFIX = '[lookout]';

let pristineConsole: Logger | undefined;

/**
 * The console as it was the first time Lookout needed it. A later patch of `console`
 * (by Lookout's own console capture or by the host) never sees Lookout's messages.
 */
function consoleLogger(): Logger {
  if (pristineConsole === undefined) {
    const c = (globalThis as { console?: Partial<Logger> }).console ?? {};
    const noop = (): void => {};
    const bind = (fn: ((message: string, ...a: unknown[]) => void) | undefined): ((message: string, ...a: unknown[]) => void) =>
      typeof fn === 'function' ? fn.bind(c) : noop;
    pristineConsole = { error: bind(c.error), warn: bind(c.warn), info: bind(c.info), debug: bind(c.debug) };
  }
  return pristineConsole;
}

/** Creates a level-gated, deduplicated, rate-limited sink for Lookout's own messages. */
export function createDiagnostics(options: DiagnosticsOptions = {}): Diagnostics {
  const rank = LEVEL_RANK[options.level ?? 'warn'] ?? LEVEL_RANK.warn;
  const maxPerMinute = options.maxPerMinute ?? DEFAULT_DIAG_MAX_PER_MINUTE;
  const now = options.now ?? Date.now;
  const seen = new Set<string>();
  const counts: DiagnosticCounts = { error: 0, warn: 0, info: 0, suppressed: 0 };
  let windowStart = -Infinity;
  let inWindow = 0;

  const write = (level: 'error' | 'warn' | 'info' | 'debug', code: string, message: string): void => {
    const logger = options.logger ?? consoleLogger();
    try {
      logger[level](`${PREFIX} ${code}: ${message}`);
    } catch {
      // A broken logger must not break the host; there is nowhere left to report to.
    }
  };

  const report = (level: 'error' | 'warn' | 'info', code: string, message: string, key?: string): void => {
    if (rank < LEVEL_RANK[level]) return;
    const dedupeKey = `${code}\u0000${key ?? ''}`;
    if (seen.has(dedupeKey)) {
      counts.suppressed++;
      return;
    }
    if (seen.size < MAX_DISTINCT_DIAGNOSTIC_KEYS) seen.add(dedupeKey);
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t;
      inWindow = 0;
    }
    if (inWindow >= maxPerMinute) {
      counts.suppressed++;
      return;
    }
    inWindow++;
    counts[level]++;
    write(level, code, message);
  };

  return {
    warn: (code, message, key) => report('warn', code, message, key),
    error: (code, message, key) => report('error', code, message, key),
    info: (code, message, key) => report('info', code, message, key),
    debug: (code, message) => {
      if (rank >= LEVEL_RANK.debug) write('debug', code, message);
    },
    internalError: (error, where) => {
      // Once per site and error: the same failure repeating is one message, a different one at the same site is another.
      const description = describeError(error);
      report('error', 'internal-error', `${where}: ${description}`, `${where}\u0000${description}`);
      if (options.onInternalError !== undefined) {
        try {
          options.onInternalError(error, where);
        } catch {
          // The host's handler failed; nothing more can be done without risking the host.
        }
      }
    },
    counts,
    enabled: (level) => rank >= LEVEL_RANK[level],
  };
}

/** A short, safe description of anything thrown; never throws itself (throwing getters, cycles). */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return typeof error === 'string' ? error : String(error);
  } catch {
    return '<unprintable error>';
  }
}

/**
 * `String(value)` for messages and labels, bounded to `max` characters, that never throws
 * (objects whose `toString` throws or is not a function, symbols, revoked proxies).
 */
export function safeString(value: unknown, max = 64): string {
  try {
    return (typeof value === 'string' ? value : typeof value === 'symbol' ? value.toString() : String(value)).slice(0, max);
  } catch {
    return `<${typeof value}>`;
  }
}
