import { setTimer } from '../capture/timers.js';
import type { BackoffOptions, RetryOptions } from '../types.js';
import type { RecoveryReporter } from './reporter.js';
import { shortDescription } from './reporter.js';

/** Default attempts of `retry`, the first included. */
export const DEFAULT_RETRY_ATTEMPTS = 3;
/** Most attempts `retry` accepts. */
export const MAX_RETRY_ATTEMPTS = 100;
/** Default wait before the second attempt. */
export const DEFAULT_RETRY_INITIAL_MS = 100;
/** Default longest wait between attempts. */
export const DEFAULT_RETRY_MAX_MS = 10_000;

interface Policy {
  attempts: number;
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: boolean;
}

/** Runs `fn` with retries, reporting each step; see `ErrorTracker.retry`. */
export async function runRetry<T>(fn: (attempt: number) => T | Promise<T>, options: RetryOptions | undefined, reporter: RecoveryReporter): Promise<T> {
  const o = typeof options === 'object' && options !== null ? options : {};
  const policy = resolvePolicy(o, reporter);
  const name = typeof o.name === 'string' && o.name !== '' ? o.name : fnName(fn);
  if (typeof fn !== 'function') {
    reporter.diagnostics().warn('errors/invalid-argument', 'retry() needs a function; nothing was run', 'retry:fn');
    return undefined as T;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await fn(attempt);
      if (attempt > 1) reporter.breadcrumb({ category: 'retry', level: 'info', message: `${name}: succeeded on attempt ${attempt}` });
      reporter.outcome('retry', attempt === 1 ? 'success' : 'recovered');
      return value;
    } catch (error) {
      const last = attempt >= policy.attempts;
      let retryable = !last;
      if (retryable && typeof o.retryOn === 'function') {
        try {
          retryable = o.retryOn(error, attempt) === true;
        } catch (hookError) {
          reporter.diagnostics().internalError(hookError, 'errors.retry.retryOn');
          retryable = false;
        }
      }
      if (!retryable) {
        const outcome = last ? 'exhausted' : 'not_retryable';
        reporter.outcome('retry', outcome);
        if (o.capture !== false) {
          const base = o.context ?? {};
          reporter.capture(error, {
            ...base,
            mechanism: 'retry',
            context: { ...(base.context ?? {}), retry: { name, attempts: attempt, outcome } },
          });
        }
        throw error;
      }
      const delay = backoffMs(policy, attempt, reporter);
      reporter.breadcrumb({
        category: 'retry',
        level: 'warning',
        message: `${name}: attempt ${attempt} of ${policy.attempts} failed (${shortDescription(error)}); retrying in ${delay} ms`,
      });
      await sleep(delay);
    }
  }
}

function resolvePolicy(o: RetryOptions, reporter: RecoveryReporter): Policy {
  const bad: string[] = [];
  const int = (name: string, value: unknown, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return Math.floor(value);
    bad.push(name);
    return fallback;
  };
  const attempts = int('attempts', o.attempts, DEFAULT_RETRY_ATTEMPTS, 1, MAX_RETRY_ATTEMPTS);
  let backoff: BackoffOptions = {};
  if (typeof o.backoff === 'number') backoff = { initialMs: o.backoff, factor: 1, maxMs: o.backoff };
  else if (typeof o.backoff === 'object' && o.backoff !== null) backoff = o.backoff;
  else if (o.backoff !== undefined) bad.push('backoff');
  const policy: Policy = {
    attempts,
    initialMs: int('backoff.initialMs', backoff.initialMs, DEFAULT_RETRY_INITIAL_MS, 0, 3_600_000),
    maxMs: int('backoff.maxMs', backoff.maxMs, DEFAULT_RETRY_MAX_MS, 0, 3_600_000),
    factor: typeof backoff.factor === 'number' && Number.isFinite(backoff.factor) && backoff.factor >= 1 ? backoff.factor : 2,
    jitter: o.jitter !== false,
  };
  if (backoff.factor !== undefined && policy.factor !== backoff.factor) bad.push('backoff.factor');
  if (o.retryOn !== undefined && typeof o.retryOn !== 'function') bad.push('retryOn');
  if (bad.length > 0) {
    reporter.diagnostics().warn('errors/invalid-options', `retry(): ignoring invalid ${bad.join(', ')} (using defaults)`, `retry:${bad.join(',')}`);
  }
  return policy;
}

/** Wait after failed attempt `attempt`: `initialMs × factor^(attempt-1)`, capped, full jitter unless disabled. */
function backoffMs(p: Policy, attempt: number, reporter: RecoveryReporter): number {
  const ceiling = Math.min(p.maxMs, p.initialMs * p.factor ** Math.min(attempt - 1, 60));
  if (!p.jitter) return Math.round(ceiling);
  const r = reporter.random();
  return Math.round((Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5) * ceiling);
}

function sleep(ms: number): Promise<void> {
  // Not unref'd: the host is awaiting this retry, so it is the host's work.
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimer(resolve, ms, false));
}

function fnName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : 'operation';
  } catch {
    return 'operation';
  }
}
