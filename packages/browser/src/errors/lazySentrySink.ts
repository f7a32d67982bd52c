import type { Diagnostics } from '@lookout/core';
import { describeError } from '@lookout/core/page';
import type { ErrorRecord, ErrorSink } from '@lookout/errors/page';
import type { SentrySink } from '@lookout/errors/sentry-browser';
import type { MonitoringSentryOptions } from '../types.js';

/** Records held while `@lookout/errors/sentry-browser` loads; more are dropped with a diagnostic. */
export const MAX_RECORDS_BEFORE_SENTRY = 50;

/**
 * A sink that loads `@lookout/errors/sentry-browser` (and through it `@sentry/browser`) with a
 * dynamic import when it is created, so pages without a DSN never download either. Records
 * captured meanwhile are held (up to {@link MAX_RECORDS_BEFORE_SENTRY}) and forwarded once it is
 * ready. Consent (`allowed()`) is checked when a record is captured and again when it is handed
 * to Sentry, at the end of the task or once loaded: an `optOut()` in the same task as the capture
 * (or queued before init) keeps it from Sentry, as it does from the event client. `clear()` (the
 * page's `optOut()`, and `optIn()` when consent was not granted) forgets what is held and drops
 * what Lookout's transport still holds; the page's error capture forgets its breadcrumbs at the
 * same moments: nothing from before goes to Sentry.
 */
export function createLazySentrySink(options: MonitoringSentryOptions, allowed: () => boolean, diagnostics: Diagnostics): ErrorSink & { clear(): void } {
  let sink: SentrySink | undefined;
  let failed = false;
  let held: ErrorRecord[] = [];
  // Counts `clear()` calls: a record handed over at the end of its task goes only if none came between.
  let cleared = 0;
  const loading = import('@lookout/errors/sentry-browser')
    .then((m) => {
      sink = m.createSentryBrowserSink({ ...options, diagnostics });
      for (const record of held.splice(0)) if (allowed()) sink.capture(record);
    })
    .catch((error: unknown) => {
      failed = true;
      held = [];
      diagnostics.warn('browser/sentry-load', `initMonitoring: the Sentry adapter could not be loaded; errors are not forwarded to Sentry: ${describeError(error)}`, 'browser:sentry-load');
    });
  return {
    name: '@lookout/browser:sentry',
    capture(record) {
      if (failed || !allowed()) return;
      // Sentry prepares and queues an event synchronously: handing it over at the end of the task
      // lets an `optOut()` made in the same task apply first.
      const at = cleared;
      if (sink !== undefined) void Promise.resolve().then(() => at == cleared && allowed() && sink!.capture(record));
      else if (held.length < MAX_RECORDS_BEFORE_SENTRY) held.push(record);
      else diagnostics.warn('browser/sentry-backlog', `initMonitoring: more than ${MAX_RECORDS_BEFORE_SENTRY} errors before Sentry loaded; later ones are not forwarded to Sentry`, 'browser:sentry-backlog');
    },
    clear() {
      cleared++;
      held = [];
      sink?.clear();
    },
    async flush(timeoutMs) {
      await loading;
      return (await sink?.flush?.(timeoutMs)) ?? true;
    },
    async shutdown(timeoutMs) {
      await loading;
      return (await sink?.shutdown?.(timeoutMs)) ?? true;
    },
  };
}
