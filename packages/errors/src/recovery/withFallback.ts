import type { FallbackOptions } from '../types.js';
import type { RecoveryReporter } from './reporter.js';

/** Runs `fn`, falling back on failure; see `ErrorTracker.withFallback`. */
export async function runWithFallback<T>(
  fn: () => T | Promise<T>,
  fallback: T | ((error: unknown) => T | Promise<T>),
  options: FallbackOptions | undefined,
  reporter: RecoveryReporter,
): Promise<T> {
  const o = typeof options === 'object' && options !== null ? options : {};
  if (typeof fn !== 'function') {
    reporter.diagnostics().warn('errors/invalid-argument', 'withFallback() needs a function; the fallback was used', 'withFallback:fn');
    return typeof fallback === 'function' ? (fallback as (e: unknown) => T | Promise<T>)(undefined) : fallback;
  }
  const name = typeof o.name === 'string' && o.name !== '' ? o.name : 'operation';
  try {
    const value = await fn();
    reporter.outcome('fallback', 'primary');
    return value;
  } catch (error) {
    if (o.capture !== false) {
      const base = o.context ?? {};
      reporter.capture(error, {
        severity: 'medium',
        ...base,
        mechanism: 'fallback',
        context: { ...(base.context ?? {}), fallback: { name } },
      });
    }
    reporter.breadcrumb({ category: 'fallback', level: 'warning', message: `${name}: failed, using the fallback` });
    try {
      const value = typeof fallback === 'function' ? await (fallback as (e: unknown) => T | Promise<T>)(error) : fallback;
      reporter.outcome('fallback', 'fallback');
      return value;
    } catch (fallbackError) {
      reporter.outcome('fallback', 'failed');
      throw fallbackError;
    }
  }
}
