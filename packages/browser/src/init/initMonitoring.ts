import { diagnosticsIn, getDiagnostics, scrubber } from '@lookout/core/page';
import type { Diagnostics } from '@lookout/core';
import { createPageErrorCapture } from '@lookout/errors/page';
import type { CaptureContext, ErrorSink, PageErrorCapture, Severity } from '@lookout/errors/page';
import type { ConsentState } from '@lookout/telemetry';
import { createPageClient } from '@lookout/telemetry/page';
import type { PageClientOptions } from '@lookout/telemetry/page';
import { createWebVitalsCollector, MAX_LANDING_URL_LENGTH, routeFromPath } from '@lookout/web-vitals';
import type { WebVitalsCollector, WebVitalsOptions } from '@lookout/web-vitals';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, DOWNLOAD_EVENT_NAME, MAX_PENDING_CALLS, readMonitoringOptions } from '../config.js';
import { createErrorEventSink } from '../errors/eventSink.js';
import { createLazySentrySink } from '../errors/lazySentrySink.js';
import { createPendingCalls } from './pendingCalls.js';
import type { Monitoring, MonitoringOptions } from '../types.js';


// Page-wide state. Nothing runs at import: these are plain values until initMonitoring().
let current: Monitoring | undefined;
// The instance started last, stopped or not: calls made after its shutdown go to it, which drops
// and counts them, instead of being queued for (and replayed into) a later instance.
let last: Monitoring | undefined;
const pending = createPendingCalls<Monitoring>();

const MAX_DOWNLOAD_FIELD_LENGTH = 128;

/**
 * Starts monitoring the page: one event client (`@lookout/telemetry/page`: batches to
 * `endpoint` as OTLP/HTTP logs, flushes when the page is hidden inside the page's shared 64 KiB
 * keepalive budget, optional IndexedDB persistence loaded only then), error capture
 * (`@lookout/errors/page`: global `error` and `unhandledrejection`, sent as `error` events; also
 * to Sentry when `sentry.dsn` is set, loading `@sentry/browser` only then) and web vitals
 * (`@lookout/web-vitals`: CLS, INP, LCP, FCP, TTFB with budgets, sent as `web_vital` events).
 *
 * Calls of `track`, `trackDownload`, `captureException`, `setRoute`, `identify`, `optIn` and
 * `optOut` made before init (up to 100) are replayed in order. A second call warns and returns
 * the running instance; after `shutdown()` a new one may start. Invalid options get one
 * diagnostic each and fall back to defaults. Never throws (unless `strict: true` and the options
 * are invalid): if something inside fails, the page gets a handle that does nothing.
 */
export function initMonitoring(options?: MonitoringOptions): Monitoring {
  const early = diagnosticsIn(options);
  if (current !== undefined) {
    (early ?? getDiagnostics()).warn('browser/already-initialised', 'initMonitoring: already running; the running instance is returned (call shutdown() first to start over)', 'browser:already-initialised');
    return current;
  }
  let monitoring: Monitoring;
  try {
    monitoring = start(options, early);
  } catch (error) {
    if ((error as Error | undefined)?.name === 'LookoutConfigError') throw error;
    failedIn(early ?? getDiagnostics(), error, 'browser.initMonitoring');
    monitoring = createNoopMonitoring();
  }
  current = last = monitoring;
  replay(monitoring, early ?? getDiagnostics());
  return monitoring;
}

/** The running instance, or `undefined` before `initMonitoring` (and after `shutdown`). */
export function getMonitoring(): Monitoring | undefined {
  return current;
}

function start(input: MonitoringOptions | undefined, early: Diagnostics | undefined): Monitoring {
  const o = readMonitoringOptions(input, early);
  const diagnostics = o.diagnostics ?? early ?? getDiagnostics();
  const resourceAttributes: Record<string, string> = {};
  if (o.environment !== undefined) resourceAttributes['deployment.environment.name'] = o.environment;
  const telemetryOptions: PageClientOptions = {
    ...o.telemetry,
    app: o.serviceVersion === undefined ? { name: o.serviceName } : { name: o.serviceName, version: o.serviceVersion },
    headers: o.headers,
    consent: o.consent,
    persistence: o.persistence,
    diagnostics,
    resourceAttributes: { ...(o.telemetry.resourceAttributes ?? {}), ...resourceAttributes },
  };
  if (o.endpoint !== undefined) telemetryOptions.endpoint = o.endpoint;
  if (o.userId !== undefined) telemetryOptions.userId = o.userId;
  if (o.registry !== undefined) telemetryOptions.registry = o.registry;
  const telemetry = createPageClient(telemetryOptions);

  let vitals: WebVitalsCollector | undefined;
  const route = (): string => {
    if (vitals !== undefined) return vitals.route;
    const path = (globalThis as { location?: { pathname?: unknown } }).location?.pathname;
    return typeof path === 'string' ? routeFromPath(path) : 'unknown';
  };

  let errors: PageErrorCapture | undefined;
  let sentry: ReturnType<typeof createLazySentrySink> | undefined;
  if (o.errors !== false) {
    const sinks: ErrorSink[] = [createErrorEventSink(telemetry, route)];
    if (o.sentry !== undefined) sinks.push((sentry = createLazySentrySink(o.sentry, () => telemetry.consent === 'granted', diagnostics)));
    errors = createPageErrorCapture({
      // Records are scrubbed before any sink sees them (Sentry's included), with the event client's rules.
      redactor: scrubber,
      ...o.errors,
      sinks,
      diagnostics,
      ...(o.registry === undefined ? {} : { registry: o.registry }),
    });
    if (o.userId !== undefined) errors.setUser(o.userId);
    errors.setSession(telemetry.sessionId);
    // The page's `error` and `unhandledrejection` events only (under Node, in a test runner or an SSR pass, nothing is installed).
    errors.installGlobalHandlers();
  }

  // Vitals start in a task of their own, so init does not block the page in one piece (their
  // options, observers and web-vitals' setup cost a few ms on a cold page). web-vitals reads
  // buffered performance entries, so nothing before the start is missed; a page hidden first
  // starts them at once.
  let stopped = false;
  let pendingRoute: string | undefined;
  // The URL as the page landed, before a router that starts in this task moves on: the collector,
  // created a task later, compares with it to tell a first navigation from naming the landing page.
  const landingUrl = (globalThis as { location?: { href?: unknown } }).location?.href;
  let cancelStart: () => void = () => undefined;
  const startVitals = (): void => {
    if (stopped || vitals !== undefined || o.webVitals === false) return;
    cancelStart();
    const { createCollector, ...vitalsOptions } = o.webVitals;
    const collectorOptions: WebVitalsOptions = { ...vitalsOptions, telemetry, diagnostics };
    if (collectorOptions.landingUrl === undefined && typeof landingUrl === 'string' && landingUrl.length > 0 && landingUrl.length <= MAX_LANDING_URL_LENGTH) collectorOptions.landingUrl = landingUrl;
    if (o.registry !== undefined) collectorOptions.registry = o.registry;
    try {
      vitals = typeof createCollector === 'function' ? createCollector(collectorOptions) : createWebVitalsCollector(collectorOptions);
      if (pendingRoute !== undefined) vitals.setRoute(pendingRoute);
    } catch (error) {
      failedIn(diagnostics, error, 'browser.webVitals');
    }
  };
  cancelStart = scheduleStart(o.webVitals === false ? undefined : startVitals);

  const guard = <A extends unknown[], R>(where: string, fallback: R, fn: (...args: A) => R) => {
    return (...args: A): R => {
      try {
        return fn(...args);
      } catch (error) {
        failedIn(diagnostics, error, `browser.${where}`);
        return fallback;
      }
    };
  };

  // After shutdown the capture is closed: a record is dropped, and counted as the event client counts its events.
  const capturing = (): PageErrorCapture | undefined => (stopped ? void (errors && telemetry.stats.dropped.shutdown++) : errors);

  let stopping: Promise<void> | undefined;
  const monitoring: Monitoring = {
    track: guard('track', undefined, (name: string, properties?: Record<string, unknown>) => telemetry.track(name, properties)),
    trackDownload: guard('trackDownload', undefined, (platform: string, method: string, version: string) => {
      const fields = { platform, method, version };
      for (const [key, value] of Object.entries(fields)) {
        if (typeof value !== 'string' || value.length === 0 || value.length > MAX_DOWNLOAD_FIELD_LENGTH) {
          diagnostics.warn('browser/invalid-download', `trackDownload: ${key} must be a string of 1–${MAX_DOWNLOAD_FIELD_LENGTH} characters; event dropped`, `browser:download:${key}`);
          return undefined;
        }
      }
      return telemetry.track(DOWNLOAD_EVENT_NAME, fields);
    }),
    captureException: guard('captureException', undefined, (error: unknown, context?: CaptureContext) => capturing()?.captureError(error, context)),
    captureMessage: guard('captureMessage', undefined, (message: string, severity?: Severity, context?: CaptureContext) => capturing()?.captureMessage(message, severity, context)),
    setRoute: guard('setRoute', undefined, (name: string) => {
      if (vitals !== undefined) vitals.setRoute(name);
      else pendingRoute = name;
      errors?.addBreadcrumb({ category: 'navigation', message: typeof name === 'string' ? name : String(name) });
    }),
    identify: guard('identify', undefined, (userId: string | undefined) => {
      telemetry.identify(userId);
      errors?.setUser(userId);
    }),
    optIn: guard('optIn', undefined, () => {
      // Consent given now: nothing observed before (held records, breadcrumbs, group counts) leaves later.
      if (telemetry.consent !== 'granted') sentry?.clear(), errors?.clear();
      telemetry.optIn();
    }),
    optOut: guard('optOut', undefined, () => {
      telemetry.optOut();
      // Nothing captured before goes to Sentry either: held records and queued envelopes are dropped, breadcrumbs forgotten.
      sentry?.clear();
      errors?.clear();
    }),
    get consent(): ConsentState {
      return telemetry.consent;
    },
    async flush(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      try {
        // Errors first: their sink writes into the event client, which then sends everything.
        const started = Date.now();
        const sent = (await errors?.flush(timeoutMs)) ?? true;
        const flushed = await telemetry.flush(Math.max(0, timeoutMs - (Date.now() - started)));
        return sent && flushed.complete;
      } catch (error) {
        failedIn(diagnostics, error, 'browser.flush');
        return false;
      }
    },
    shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      stopping ??= (async () => {
        if (current === monitoring) current = undefined;
        try {
          stopped = true;
          cancelStart();
          vitals?.stop();
          // Errors first (shutdown removes their listeners): their sink writes into the event client, which then sends everything.
          await errors?.shutdown(timeoutMs);
          await telemetry.shutdown(timeoutMs);
        } catch (error) {
          failedIn(diagnostics, error, 'browser.shutdown');
        }
      })();
      return stopping;
    },
    telemetry,
    errors,
    get vitals() {
      return vitals;
    },
  };
  return monitoring;
}

interface TaskGlobals {
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  document?: { visibilityState?: string; addEventListener?(type: string, listener: () => void, options?: { capture?: boolean }): void; removeEventListener?(type: string, listener: () => void, options?: { capture?: boolean }): void };
}

/**
 * Runs `start` in the next task, or at once when the page is hidden before that; returns a
 * function that cancels both. Without timers, `start` runs at once.
 */
function scheduleStart(start: (() => void) | undefined): () => void {
  if (start === undefined) return () => undefined;
  const g = globalThis as TaskGlobals;
  const doc = g.document;
  if (typeof g.setTimeout !== 'function') {
    start();
    return () => undefined;
  }
  const onHidden = (): void => {
    if (doc?.visibilityState === 'hidden') start();
  };
  const timer = g.setTimeout(start, 0);
  doc?.addEventListener?.('visibilitychange', onHidden, { capture: true });
  return () => {
    g.clearTimeout?.(timer);
    doc?.removeEventListener?.('visibilitychange', onHidden, { capture: true });
  };
}

/** Reports an internal failure; a host's diagnostics that throws has nowhere to report to, so nothing escapes into the page. */
function failedIn(diagnostics: Diagnostics, error: unknown, where: string): void {
  try {
    diagnostics.internalError(error, where);
  } catch {}
}

function replay(monitoring: Monitoring, diagnostics: Diagnostics): void {
  const { calls, dropped } = pending.take();
  if (dropped > 0) {
    monitoring.telemetry.stats.dropped.queue_full += dropped;
    diagnostics.warn('browser/pending-overflow', `initMonitoring: ${dropped} call(s) made before init were dropped (at most ${MAX_PENDING_CALLS} are kept)`, 'browser:pending-overflow');
  }
  for (const call of calls) {
    try {
      call(monitoring);
    } catch (error) {
      failedIn(diagnostics, error, 'browser.replay');
    }
  }
}

/**
 * Runs `call` on the running instance, or keeps it for `initMonitoring` (at most
 * {@link MAX_PENDING_CALLS}; later ones are counted `queue_full` in the new instance's stats and
 * reported at init). After `shutdown()`, until the next init, `call` runs on the stopped
 * instance, which drops what it would send (counted `shutdown`).
 */
export function callOrQueue<R>(call: (monitoring: Monitoring) => R): R | undefined {
  const target = current ?? last;
  if (target !== undefined) return call(target);
  pending.add(call);
  return undefined;
}

/** Test hook: forgets the running instance and the queued calls without shutting anything down. */
export function resetMonitoringForTests(): void {
  current = last = undefined;
  pending.take();
}

function createNoopMonitoring(): Monitoring {
  const telemetry = createPageClient({ consent: 'denied', flushOnPageHide: false });
  return {
    track: () => undefined,
    trackDownload: () => undefined,
    captureException: () => undefined,
    captureMessage: () => undefined,
    setRoute: () => undefined,
    identify: () => undefined,
    optIn: () => undefined,
    optOut: () => undefined,
    consent: 'denied',
    flush: () => Promise.resolve(true),
    shutdown: () => {
      if (current !== undefined && current.telemetry === telemetry) current = undefined;
      return Promise.resolve();
    },
    telemetry,
    errors: undefined,
    vitals: undefined,
  };
}
