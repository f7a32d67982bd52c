import { isPlainObject, scrubString } from '@lookout/core/page';
import type { FieldCheck } from '@lookout/core/page';
import { createRateGate, describeThrown, watchPageErrors } from '@lookout/errors/lite';
import type { LiteMechanism } from '@lookout/errors/lite';
import { createLiteClient } from '@lookout/telemetry/lite';
import type { LiteClient } from '@lookout/telemetry/lite';
import { BUDGETS_CHECK, cleanRoute, DEFAULT_SOFT_NAVIGATION_EVENT_NAME, DEFAULT_VITAL_EVENT_NAME, routeFromPath, softNavigationSupport, startLiteVitals, unlessSoftNavigation } from '@lookout/web-vitals/lite';
import { DEFAULT_SERVICE_NAME, DEFAULT_SHUTDOWN_TIMEOUT_MS, DOWNLOAD_EVENT_NAME, ERROR_EVENT_NAME } from '../constants.js';
import { NAME_CHECK, SHARED_FIELD_CHECKS, VERSION_CHECK } from '../fieldChecks.js';
import type { LiteVitalsOptions } from '@lookout/web-vitals/lite';
import { createPendingCalls } from '../init/pendingCalls.js';
import type { LiteErrorOptions, LiteMonitoring, LiteMonitoringOptions } from './types.js';

/** Default of `errors.maxPerMinute`. */
export const DEFAULT_LITE_ERRORS_PER_MINUTE = 10;

const count = (min: number): FieldCheck => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) < 1e9;
const is = (type: string): FieldCheck => (v) => typeof v == type;
/** `true`, `false`, or a plain object whose fields pass `fields` (else the first wrong field's name). */
const part =
  (fields: Record<string, FieldCheck>): FieldCheck =>
  (v) =>
    v === !!v || (isPlainObject(v) && (Object.keys(v).find((k) => v[k] !== undefined && fields[k]?.(v[k]) !== true) ?? true));

/** One check per option; those shared with `@lookout/browser` are its checks (held to its zod schema), so both entries take the same values. */
export const LITE_FIELD_CHECKS: Readonly<Record<keyof LiteMonitoringOptions, FieldCheck>> = {
  ...SHARED_FIELD_CHECKS,
  webVitals: part({
    budgets: BUDGETS_CHECK,
    onBudgetExceeded: is('function'),
    reportAllChanges: is('boolean'),
    reportSoftNavs: is('boolean'),
  }),
  errors: part({ maxPerMinute: count(1) }),
  maxQueueEvents: count(1),
  maxBatchEvents: count(1),
  flushIntervalMs: count(0),
  maxAttempts: count(1),
  diagnostics: (v) => is('function')((v as { warn?: unknown } | null)?.warn),
};

type Warn = (code: string, message: string) => void;

// Page-wide state; nothing runs at import.
let current: LiteMonitoring | undefined;
// The instance started last, stopped or not: calls after its shutdown go to it, which drops and counts them.
let last: LiteMonitoring | undefined;
const pending = createPendingCalls<LiteMonitoring>();

/**
 * Starts the lite tier of page monitoring, for pages where every kilobyte counts: usage events
 * (`track`, `trackDownload`), errors (the page's `error` and `unhandledrejection`, and
 * `captureException`; the same error at most `errors.maxPerMinute` times a minute) and Core Web
 * Vitals (CLS, INP, LCP, FCP, TTFB with budgets and route labels), sent as the same OTLP/HTTP log
 * records as `@lookout/browser` through `@lookout/telemetry/lite`: batched, retried, flushed at
 * page hide inside the page's shared keepalive budget, scrubbed with core's redaction.
 *
 * Calls made before init (up to 100) are replayed in order; a second call warns and returns the
 * running instance; after `shutdown()` a new one may start. Each invalid or unknown option gets
 * one diagnostic and its default. Never throws.
 */
export function initMonitoring(options?: LiteMonitoringOptions): LiteMonitoring {
  const said = new Set<string>();
  let out: Warn = (_, message) => console.warn(`[lookout] ${message}`);
  try {
    const host = options?.diagnostics;
    if (LITE_FIELD_CHECKS.diagnostics(host) === true) out = (code, message) => host!.warn(code, message);
  } catch {
    // A hostile getter or a revoked proxy: the console it is.
  }
  // Each problem once; a host's diagnostics that throws has nowhere to report to.
  const warn: Warn = (code, message) => void (said.has(code) || (said.add(code), attempt(() => out(code, message))));
  if (current) {
    warn('browser/already-initialised', 'initMonitoring: already running; the running instance is returned');
    return current;
  }
  const o: Record<string, unknown> = {};
  const keys = attempt(() => (options === undefined ? [] : isPlainObject(options) ? Object.keys(options) : undefined));
  if (!keys) warn('config.invalid', 'initMonitoring: options must be a plain object; the defaults are used');
  for (const key of keys ?? []) {
    // Own checks only (`__proto__`, `toString` are unknown keys), each key on its own: one bad getter costs that option only.
    const verdict = attempt(() => {
      const value = (options as Record<string, unknown>)[key];
      const ok = value === undefined || (Object.prototype.hasOwnProperty.call(LITE_FIELD_CHECKS, key) && LITE_FIELD_CHECKS[key as keyof LiteMonitoringOptions](value));
      if (ok === true) o[key] = value;
      return ok;
    });
    if (verdict !== true) warn(`config.invalid:${key}`, `initMonitoring: ${key}${typeof verdict == 'string' ? `.${verdict}` : ''} is invalid or unknown; the default is used`);
  }
  // Never breaks the page: if starting fails in a way nothing above foresaw, a handle that does nothing.
  const monitoring = (current = last = attempt(() => start(o as LiteMonitoringOptions, warn), (error) => warn('browser/internal:init', `initMonitoring: could not start: ${(error as Error | undefined)?.message}`)) ?? inert());
  const { calls, dropped } = pending.take();
  if (dropped) {
    const counts = monitoring.stats.dropped as Record<string, number>;
    counts.queue_full = ~~counts.queue_full! + dropped;
    warn('browser/pending-overflow', `initMonitoring: ${dropped} call(s) made before init were dropped`);
  }
  for (const call of calls) call(monitoring);
  return monitoring;
}

/** The running instance, or `undefined` before `initMonitoring` (and after `shutdown`). */
export function getMonitoring(): LiteMonitoring | undefined {
  return current;
}

/**
 * Runs `call` on the running instance, or keeps it for `initMonitoring` (at most 100; more are
 * counted `queue_full` in the new instance's stats). After `shutdown()`, until the next init, on
 * the stopped instance, which drops what it would send (counted `shutdown`).
 */
export function callOrQueue<R>(call: (monitoring: LiteMonitoring) => R): R | undefined {
  const target = current ?? last;
  if (target) return call(target);
  pending.add(call);
  return undefined;
}

/** Test hook: forgets the running instance and the queued calls without stopping anything. */
export function resetLiteMonitoringForTests(): void {
  current = last = undefined;
  pending.take();
}

/** `fn()`, or `undefined` when it throws (the error goes to `failed`). */
function attempt<R>(fn: () => R, failed?: (error: unknown) => void): R | undefined {
  try {
    return fn();
  } catch (error) {
    failed?.(error);
    return undefined;
  }
}

/** A handle that does nothing (consent `denied`), for when starting failed. */
function inert(): LiteMonitoring {
  const nothing = (): undefined => undefined;
  const handle: LiteMonitoring = {
    track: nothing,
    trackDownload: nothing,
    captureException: nothing,
    setRoute: nothing,
    identify: nothing,
    optIn: nothing,
    optOut: nothing,
    consent: 'denied',
    sessionId: '',
    stats: { queued: 0, sent: 0, retried: 0, dropped: {} as LiteMonitoring['stats']['dropped'] },
    flush: () => Promise.resolve(true),
    shutdown: () => Promise.resolve(void (current == handle && (current = undefined))),
  };
  return handle;
}

interface Page {
  location?: { pathname?: string; href?: string };
  document?: { visibilityState?: string };
  PerformanceObserver?: unknown;
  addEventListener?(type: string, listener: () => void, capture: boolean): void;
  removeEventListener?(type: string, listener: () => void, capture: boolean): void;
}

function start(o: LiteMonitoringOptions, warn: Warn): LiteMonitoring {
  if (!o.serviceName) warn('browser/no-service-name', `initMonitoring: serviceName is not set; events are sent as ${DEFAULT_SERVICE_NAME}`);
  if (!o.endpoint) warn('browser/no-endpoint', 'initMonitoring: no valid endpoint; events are dropped (no_endpoint)');
  const client = createLiteClient({ ...o, resourceAttributes: o.environment ? { 'deployment.environment.name': o.environment } : {}, warn });
  // What was installed, undone in reverse if a later step throws: a failed start leaves nothing running.
  const undo: Array<() => void> = [() => (client.optOut(), void client.shutdown(0))];
  try {
    return wire(o, warn, client, undo);
  } catch (error) {
    for (const step of undo.reverse()) attempt(step);
    throw error;
  }
}

function wire(o: LiteMonitoringOptions, warn: Warn, client: LiteClient, undo: Array<() => void>): LiteMonitoring {
  const g = globalThis as Page;
  const failed = (where: string) => (error: unknown) => warn(`browser/internal:${where}`, `initMonitoring: internal error in ${where}: ${(error as Error | undefined)?.message}`);
  const path = (): string => g.location?.pathname ?? '/';
  const href = (): string | undefined => g.location?.href ?? g.location?.pathname;
  const landing = path();
  const landingHref = href();
  let route: string | undefined;
  /** URL path → the route the host named there (at most 50), for metrics reported after the SPA moved on. */
  const named = new Map<string, string>();
  const routeNow = (): string => route ?? routeFromPath(path());
  const routeOf = (url: string | undefined): string => {
    const at = attempt(() => new URL(url!).pathname);
    return at && at != path() ? (named.get(at) ?? routeFromPath(at)) : routeNow();
  };

  const errors: LiteErrorOptions | false = o.errors !== false && { ...(o.errors as LiteErrorOptions) };
  const gate = createRateGate((errors && errors.maxPerMinute) || DEFAULT_LITE_ERRORS_PER_MINUTE);
  /** Thrown objects sent, with their event id: one event per object (capture-and-rethrow, then the page's `error` event). */
  const sent = new WeakMap<object, string>();
  const capture = (thrown: unknown, mechanism: LiteMechanism): string | undefined => {
    const before = sent.get(thrown as object);
    if (before) return before;
    // Scrubbed before it is cut: a secret cut at the limit would no longer be recognised.
    const error = describeThrown(thrown, mechanism, scrubString);
    // While consent is denied the client drops it (counted `consent`): it does not use up the minute's allowance.
    if (client.consent == 'denied' || gate(error.type + error.message)) {
      const id = client.track(ERROR_EVENT_NAME, { ...error, route: routeNow() });
      if (id && thrown === Object(thrown)) sent.set(thrown as object, id);
      return id;
    }
    client.stats.dropped.rate_limited++;
  };
  const unwatch = errors ? watchPageErrors((thrown, mechanism) => void attempt(() => capture(thrown, mechanism), failed('errors'))) : undefined;
  if (unwatch) undo.push(unwatch);

  // Vitals start in a task of their own, so init does not block the page in one piece (web-vitals
  // reads buffered entries, so nothing is missed), or at once when the page is hidden first: in the
  // window's capture phase, before the client's page-hide flush on the document.
  const vitals: LiteVitalsOptions | false = o.webVitals !== false && { ...(o.webVitals as LiteVitalsOptions) };
  if (vitals) vitals.reportSoftNavs ??= true;
  // Where the browser reports soft navigations, web-vitals does (per navigation, with its URL), and
  // `setRoute()` sends the router-driven `soft_navigation` event only for one the browser did not
  // report within a second (not started by the user: a redirect on a timer); elsewhere it always does.
  const browserSoftNavs = vitals && vitals.reportSoftNavs && softNavigationSupport();
  // `performance.now()` at the last route change with the URL: a browser entry that started earlier is of an earlier navigation.
  let movedAt = 0;
  let stopVitals: (() => void) | undefined;
  const startVitals = (): void =>
    void attempt(() => {
      if (stopVitals || !vitals || !g.document || !g.PerformanceObserver) return;
      stopVitals = startLiteVitals(vitals, routeOf, (properties) => client.track(DEFAULT_VITAL_EVENT_NAME, properties), failed('webVitals'));
    }, failed('webVitals'));
  const onHidden = (): void => void (g.document?.visibilityState == 'hidden' && startVitals());
  const timer = vitals ? setTimeout(startVitals) : undefined;
  undo.push(() => clearTimeout(timer), () => stopVitals?.());
  if (vitals) g.addEventListener?.('visibilitychange', onHidden, true);

  let stopping: Promise<void> | undefined;
  const api: Record<string, (...args: never[]) => unknown> = {
    track: (name: string, properties?: Record<string, unknown>) => client.track(name, properties),
    trackDownload(platform: string, method: string, version: string) {
      if ([platform, method, version].every((v) => VERSION_CHECK(v) === true)) return client.track(DOWNLOAD_EVENT_NAME, { platform, method, version });
      warn('browser/invalid-download', 'trackDownload: platform, method and version must be strings of 1–128 characters; event dropped');
      client.stats.dropped.invalid++;
    },
    captureException: (error: unknown) => (errors ? capture(error, 'manual') : undefined),
    setRoute(name: string) {
      const next = cleanRoute(name);
      if (!next) return warn('browser/invalid-route', 'setRoute: the route must be a non-empty string; ignored');
      // Routers call this after `pushState`: before the first call, the route left is the landing page's.
      const from = route ?? routeFromPath(landing);
      // Naming the page the visit landed on is not a navigation.
      const moved = route !== undefined || href() != landingHref;
      route = next;
      // The 50 paths named last are remembered.
      named.delete(path());
      if (named.size >= 50) named.delete(named.keys().next().value!);
      named.set(path(), next);
      if (moved && next != from) {
        const send = () => void client.track(DEFAULT_SOFT_NAVIGATION_EVENT_NAME, { from, to: next, route: next, source: 'router' });
        if (browserSoftNavs) unlessSoftNavigation(path(), movedAt, send);
        else send();
        movedAt = performance.now();
      }
    },
    identify(userId: string | undefined) {
      if (userId === undefined || NAME_CHECK(userId) === true) client.identify(userId);
      else warn('browser/invalid-user', 'identify: the user id must be a string of 1–256 characters or undefined; ignored');
    },
    optIn: () => client.optIn(),
    optOut: () => client.optOut(),
    flush: (ms = DEFAULT_SHUTDOWN_TIMEOUT_MS) => client.flush(ms),
    shutdown: (ms = DEFAULT_SHUTDOWN_TIMEOUT_MS) =>
      (stopping ??= (() => {
        if (current == monitoring) current = undefined;
        clearTimeout(timer);
        stopVitals?.();
        stopVitals = () => undefined;
        unwatch?.();
        g.removeEventListener?.('visibilitychange', onHidden, true);
        return client.shutdown(ms);
      })()),
  };
  // No exception escapes into the page: a failure inside Lookout is one diagnostic and `undefined`.
  for (const key in api) {
    const fn = api[key]!;
    api[key] = (...args) => attempt(() => fn(...args), failed(key));
  }
  const monitoring = Object.defineProperties(api, {
    consent: { get: () => client.consent, enumerable: true },
    sessionId: { value: client.sessionId, enumerable: true },
    stats: { value: client.stats, enumerable: true },
  }) as unknown as LiteMonitoring;
  return monitoring;
}
