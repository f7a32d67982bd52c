import { diagnosticsIn, getDiagnostics } from '@lookout/core/page';
import type { Diagnostics } from '@lookout/core';
import { readWebVitalsOptions } from '../config.js';
import { softNavigationSupport, unlessSoftNavigation } from './softNavigationSupport.js';
import { reportedBefore } from './reportedBefore.js';
import { urlOf } from './urlOf.js';
import type { AttributionSummary, SoftNavigation, VitalName, VitalRating, VitalReport, WebVitalsCollector, WebVitalsOptions } from '../types.js';
import type { VitalRecorder } from './histograms.js';
import { cleanRoute, routeFromLocation, routeFromPath, UNKNOWN_ROUTE } from './route.js';

/** The fields of a `web-vitals` metric read here (both builds). */
export interface MetricLike {
  name: string;
  value: number;
  delta: number;
  rating: string;
  id: string;
  navigationType?: string;
  navigationURL?: string;
  attribution?: unknown;
}

type ReportOptions = { reportAllChanges?: boolean; reportSoftNavs?: boolean };

/** The `web-vitals` functions a collector subscribes through, and how attribution is summarised. */
export interface VitalsSource {
  onCLS(callback: (metric: MetricLike) => void, options?: ReportOptions): void;
  onFCP(callback: (metric: MetricLike) => void, options?: ReportOptions): void;
  onINP(callback: (metric: MetricLike) => void, options?: ReportOptions): void;
  onLCP(callback: (metric: MetricLike) => void, options?: ReportOptions): void;
  onTTFB(callback: (metric: MetricLike) => void, options?: ReportOptions): void;
  /** Bounded summary of `metric.attribution` (the attribution build only). */
  summarise?: (metric: MetricLike, maxLength: number) => AttributionSummary | undefined;
}

// Metric instances remembered (budget breaches, histogram records); a page with more is long-lived enough to forget old ones.
const MAX_REMEMBERED_IDS = 128;
// URL paths whose route names are remembered.
const MAX_NAMED_PATHS = 50;
// Reports recorded while the histograms module loads; a page reports a handful, so this is a guard only.
const MAX_REPORTS_BEFORE_HISTOGRAMS = 32;
// A router-driven navigation whose next frame does not come (hidden page) is sent without a duration.
const NEXT_FRAME_TIMEOUT_MS = 1000;

interface PageGlobals {
  document?: { visibilityState?: string };
  PerformanceObserver?: unknown;
  performance?: { now(): number };
  requestAnimationFrame?: (callback: () => void) => unknown;
  setTimeout?: (callback: () => void, ms?: number) => unknown;
  addEventListener?(type: string, listener: () => void, capture: boolean): void;
  removeEventListener?(type: string, listener: () => void, capture: boolean): void;
}

/**
 * The collector behind both entries: subscribes to the chosen metrics of `source`, and turns each
 * report into a {@link VitalReport} that goes to `onReport`, the telemetry client, the histograms
 * and the budget check. Never throws (unless `strict: true` and the options are invalid).
 */
export function createCollector(source: VitalsSource, input: WebVitalsOptions | undefined): WebVitalsCollector {
  const early = diagnosticsIn(input);
  const o = readWebVitalsOptions(input, early);
  const diagnostics: Diagnostics = o.diagnostics ?? early ?? getDiagnostics();
  const g = globalThis as PageGlobals;
  const counts: Record<VitalName, number> = { CLS: 0, FCP: 0, INP: 0, LCP: 0, TTFB: 0 };
  // `b<id>` once a breach of the instance was reported.
  const remembered = new Set<string>();
  let stopped = false;
  let currentRoute: string | undefined;
  // URL path → the route the host named while the page was there, so a metric reported later for
  // an earlier URL (at a soft navigation, or at hide) carries the route it was measured on.
  const named = new Map<string, string>();
  const startPath = o.landingUrl === undefined ? currentPath() : pathOf(o.landingUrl);
  const startHref = o.landingUrl ?? currentHref();

  const guard = (where: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      // A host's diagnostics that throws has nowhere to report to: nothing escapes into the page.
      try {
        diagnostics.internalError(error, `web-vitals.${where}`);
      } catch {}
    }
  };
  const firstTime = (key: string): boolean => {
    if (remembered.has(key)) return false;
    // The oldest is forgotten, one at a time: clearing all forgot live instances (the page's INP
    // and CLS, reported again at the next hide), whose breach was then reported twice.
    if (remembered.size >= MAX_REMEMBERED_IDS) remembered.delete(remembered.values().next().value!);
    remembered.add(key);
    return true;
  };
  const track = (name: string, properties: Record<string, unknown>, where: string): void => {
    const telemetry = o.telemetry;
    if (telemetry !== undefined) guard(where, () => telemetry.track(name, properties));
  };

  const softNavigations = o.reportSoftNavs && softNavigationSupport();

  // Histograms only with a registry, from a module loaded then, so pages without one never
  // download it. Reports made while it loads are recorded when it arrives. It records each metric
  // instance once, with its final value: at `pagehide` (page unloaded or put in the bfcache)
  // and at stop, the instances still open are final.
  const registry = o.registry;
  let recorder: VitalRecorder | undefined;
  let beforeHistograms: Array<Parameters<VitalRecorder['record']>> | undefined;
  const onPageHide = (): void => guard('histograms', () => recorder?.settle());
  if (registry !== undefined) {
    beforeHistograms = [];
    import('./histograms.js')
      .then((m) => {
        const created = m.createVitalRecorder(registry, o.metrics, o.reportAllChanges);
        for (const args of beforeHistograms ?? []) created.record(...args);
        recorder = created;
        if (stopped) onPageHide();
      })
      .catch((error: unknown) => diagnostics.internalError(error, 'web-vitals.histograms'))
      .finally(() => {
        beforeHistograms = undefined;
      });
    g.addEventListener?.('pagehide', onPageHide, true);
  }

  const routeNow = (): string => {
    let route: string | undefined;
    if (o.getRoute !== undefined) guard('getRoute', () => (route = cleanRoute(o.getRoute?.())));
    return route ?? currentRoute ?? routeFromLocation();
  };
  const nameRoute = (path: string | undefined, route: string): void => {
    if (path === undefined) return;
    if (named.size >= MAX_NAMED_PATHS && !named.has(path)) named.delete(named.keys().next().value as string);
    named.set(path, route);
  };
  const routeOf = (url: string | undefined): string => {
    const path = url === undefined ? undefined : pathOf(url);
    const here = currentPath();
    if (path !== undefined && path !== here) return named.get(path) ?? routeFromPath(path);
    const now = routeNow();
    nameRoute(here, now);
    return now;
  };

  const onMetric = (metric: MetricLike): void => {
    if (stopped || reportedBefore(metric, onMetric)) return;
    guard('report', () => {
      const name = metric.name as VitalName;
      counts[name]++;
      const route = routeOf(urlOf(metric));
      const budget = o.budgets[name];
      const report: VitalReport = {
        name,
        value: metric.value,
        delta: metric.delta,
        rating: metric.rating as VitalRating,
        id: metric.id,
        navigationType: metric.navigationType ?? 'navigate',
        route,
        overBudget: budget !== undefined && metric.value > budget,
      };
      if (budget !== undefined) report.budget = budget;
      const summarise = source.summarise;
      if (summarise !== undefined && metric.attribution !== undefined) {
        guard('attribution', () => {
          const summary = summarise(metric, o.maxAttributionLength);
          if (summary !== undefined) report.attribution = summary;
        });
      }
      track(o.eventName, toEventProperties(report), 'telemetry');
      if (registry !== undefined) {
        const args: Parameters<VitalRecorder['record']> = [name, report.id, report.value, { route, rating: report.rating, navigation_type: report.navigationType }];
        if (recorder !== undefined) recorder.record(...args);
        else if (beforeHistograms !== undefined && beforeHistograms.length < MAX_REPORTS_BEFORE_HISTOGRAMS) beforeHistograms.push(args);
      }
      const onBudgetExceeded = o.onBudgetExceeded;
      if (report.overBudget && budget !== undefined && onBudgetExceeded !== undefined && firstTime(`b${report.id}`)) {
        guard('onBudgetExceeded', () => onBudgetExceeded({ name, value: report.value, budget, rating: report.rating, route, navigationType: report.navigationType, id: report.id }));
      }
      const onReport = o.onReport;
      if (onReport !== undefined) guard('onReport', () => onReport(report));
    });
  };

  const isBrowser = typeof g.document === 'object' && g.document !== null && typeof g.PerformanceObserver === 'function';
  if (isBrowser) {
    const reportOptions = { reportAllChanges: o.reportAllChanges, reportSoftNavs: o.reportSoftNavs };
    for (const name of o.metrics) guard(`on${name}`, () => source[`on${name}`](onMetric, reportOptions));
  } else {
    diagnostics.debug('web-vitals/not-a-browser', 'createWebVitalsCollector: no document or PerformanceObserver here; nothing is collected');
  }

  // `performance.now()` when the route last changed with the URL: a soft-navigation entry of the
  // browser that started before it belongs to an earlier navigation.
  let movedAt = 0;
  // The router-driven signal: an event when the frame after the route change has rendered. Where
  // the browser reports soft navigations, only if it did not report this one (`unlessSoftNavigation`).
  const softNavigation = (from: string, to: string): void => {
    const performance = g.performance;
    const started = performance?.now();
    const path = currentPath() ?? '';
    const since = movedAt;
    movedAt = started ?? 0;
    let done = false;
    const emit = (timed: boolean): void => {
      if (stopped || done) return;
      done = true;
      const navigation: SoftNavigation = { from, to, source: 'router' };
      const properties: Record<string, unknown> = { from, to, route: to, source: 'router' };
      if (timed && started !== undefined && performance !== undefined) {
        navigation.durationMs = performance.now() - started;
        properties['duration_ms'] = round(navigation.durationMs, 1);
      }
      const send = (): void => {
        if (stopped) return;
        track(o.softNavigationEventName, properties, 'softNavigation');
        const onSoftNavigation = o.onSoftNavigation;
        if (onSoftNavigation !== undefined) guard('onSoftNavigation', () => onSoftNavigation(navigation));
      };
      if (softNavigations) unlessSoftNavigation(path, since, send);
      else send();
    };
    const setTimer = g.setTimeout;
    if (started === undefined || typeof g.requestAnimationFrame !== 'function' || typeof setTimer !== 'function' || g.document?.visibilityState !== 'visible') {
      emit(false);
      return;
    }
    setTimer(() => emit(false), NEXT_FRAME_TIMEOUT_MS);
    g.requestAnimationFrame(() => setTimer(() => emit(true), 0));
  };

  return {
    setRoute(route) {
      guard('setRoute', () => {
        const next = cleanRoute(route);
        if (next === undefined) {
          diagnostics.warn('web-vitals/invalid-route', 'setRoute: the route must be a non-empty string; ignored', 'web-vitals:setRoute');
          return;
        }
        // Routers call this after `pushState`: before the first call, the route left is the one of the URL the page started on.
        const previous = currentRoute ?? (startPath === undefined ? routeFromLocation() : routeFromPath(startPath));
        // Naming the page the visit landed on (a router's first call, no URL change) is not a navigation.
        const moved = currentRoute !== undefined || currentHref() !== startHref;
        currentRoute = next;
        nameRoute(currentPath(), next);
        if (moved && !stopped && isBrowser && next !== previous) softNavigation(previous, next);
      });
    },
    get route() {
      let route = currentRoute ?? UNKNOWN_ROUTE;
      guard('route', () => (route = routeNow()));
      return route;
    },
    softNavigationSupport: softNavigations,
    counts,
    stop() {
      stopped = true;
      onPageHide();
      g.removeEventListener?.('pagehide', onPageHide, true);
    },
  };
}

/** The event form of a report: flat, snake_case properties; attribution keys under `attribution.`. */
export function toEventProperties(report: VitalReport): Record<string, unknown> {
  const precision = report.name === 'CLS' ? 4 : 1;
  const out: Record<string, unknown> = {
    metric: report.name,
    value: round(report.value, precision),
    delta: round(report.delta, precision),
    rating: report.rating,
    id: report.id,
    navigation_type: report.navigationType,
    route: report.route,
    over_budget: report.overBudget,
  };
  if (report.budget !== undefined) out['budget'] = report.budget;
  if (report.attribution !== undefined) for (const [k, v] of Object.entries(report.attribution)) out[`attribution.${k}`] = v;
  return out;
}

/** The path of a URL (absolute or relative), or `undefined`. */
function pathOf(url: string): string | undefined {
  try {
    const UrlCtor = (globalThis as { URL?: new (url: string, base?: string) => { pathname: string } }).URL;
    return UrlCtor === undefined ? undefined : new UrlCtor(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** The whole URL of the document (the path where there is no `href`), to tell a route change from naming the landing page. */
function currentHref(): unknown {
  const location = (globalThis as { location?: { href?: unknown; pathname?: unknown } }).location;
  return location?.href ?? location?.pathname;
}

function currentPath(): string | undefined {
  const path = (globalThis as { location?: { pathname?: unknown } }).location?.pathname;
  return typeof path === 'string' ? path : undefined;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * f) / f : 0;
}
