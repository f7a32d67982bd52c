import { getDiagnostics } from '@lookout/core';
import type { Diagnostics, Histogram } from '@lookout/core';
import { resolveWebVitalsOptions } from '../config.js';
import type { AttributionSummary, SoftNavigation, VitalName, VitalRating, VitalReport, WebVitalsCollector, WebVitalsOptions } from '../types.js';
import { defineVitalHistograms, toHistogramValue } from './histograms.js';
import type { VitalLabel } from './histograms.js';
import { cleanRoute, routeFromLocation, routeFromPath } from './route.js';

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

// Breaches remembered per page; a page with more metric instances than this is long-lived enough to forget old ones.
const MAX_REMEMBERED_BREACHES = 64;
// URL paths whose route names are remembered.
const MAX_NAMED_PATHS = 50;
// A router-driven navigation whose next frame does not come (hidden page) is sent without a duration.
const NEXT_FRAME_TIMEOUT_MS = 1000;

interface PageGlobals {
  document?: { visibilityState?: string };
  PerformanceObserver?: { supportedEntryTypes?: readonly string[] };
  PerformanceSoftNavigation?: { prototype?: { getLargestInteractionContentfulPaint?: unknown } };
  performance?: { now(): number };
  requestAnimationFrame?: (callback: () => void) => unknown;
  setTimeout?: (callback: () => void, ms?: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/**
 * The collector behind both entries: subscribes to the chosen metrics of `source`, and turns each
 * report into a {@link VitalReport} that goes to `onReport`, the telemetry client, the histograms
 * and the budget check. Never throws (unless `strict: true` and the options are invalid).
 */
export function createCollector(source: VitalsSource, input: WebVitalsOptions | undefined): WebVitalsCollector {
  const early = pickDiagnostics(input);
  const o = resolveWebVitalsOptions(input, early).options;
  const diagnostics: Diagnostics = o.diagnostics ?? early ?? getDiagnostics();
  const g = globalThis as PageGlobals;
  const counts: Record<VitalName, number> = { CLS: 0, FCP: 0, INP: 0, LCP: 0, TTFB: 0 };
  const breached = new Set<string>();
  const recorded = new Set<string>();
  let stopped = false;
  let currentRoute: string | undefined;
  // URL path → the route the host named while the page was there, so a metric reported later for
  // an earlier URL (at a soft navigation, or at hide) carries the route it was measured on.
  const named = new Map<string, string>();

  const softNavigationSupport =
    o.reportSoftNavs &&
    Array.isArray(g.PerformanceObserver?.supportedEntryTypes) &&
    (g.PerformanceObserver?.supportedEntryTypes ?? []).includes('soft-navigation') &&
    typeof g.PerformanceSoftNavigation?.prototype?.getLargestInteractionContentfulPaint === 'function';

  let histograms: Partial<Record<VitalName, Histogram<VitalLabel>>> = {};
  if (o.registry !== undefined) {
    try {
      histograms = defineVitalHistograms(o.registry, o.metrics);
    } catch (error) {
      diagnostics.internalError(error, 'web-vitals.histograms');
    }
  }

  const routeNow = (): string => {
    if (o.getRoute !== undefined) {
      try {
        const named = cleanRoute(o.getRoute());
        if (named !== undefined) return named;
      } catch (error) {
        diagnostics.internalError(error, 'web-vitals.getRoute');
      }
    }
    return currentRoute ?? routeFromLocation();
  };

  const routeOf = (url: string | undefined): string => {
    const path = url === undefined ? undefined : pathOf(url);
    const here = currentPath();
    if (path === undefined || path === here) {
      const now = routeNow();
      if (here !== undefined) nameRoute(here, now);
      return now;
    }
    return named.get(path) ?? routeFromPath(path);
  };

  const nameRoute = (path: string, route: string): void => {
    if (named.size >= MAX_NAMED_PATHS && !named.has(path)) named.delete(named.keys().next().value as string);
    named.set(path, route);
  };

  const call = <T>(hook: ((value: T) => void) | undefined, value: T, where: string): void => {
    if (hook === undefined) return;
    try {
      hook(value);
    } catch (error) {
      diagnostics.internalError(error, `web-vitals.${where}`);
    }
  };

  const send = (name: string, properties: Record<string, unknown>, where: string): void => {
    if (o.telemetry === undefined) return;
    try {
      o.telemetry.track(name, properties);
    } catch (error) {
      diagnostics.internalError(error, `web-vitals.${where}`);
    }
  };

  const onMetric = (metric: MetricLike): void => {
    if (stopped) return;
    try {
      const name = metric.name as VitalName;
      counts[name] = (counts[name] ?? 0) + 1;
      const route = routeOf(metric.navigationURL);
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
      if (source.summarise !== undefined && metric.attribution !== undefined) {
        try {
          const summary = source.summarise(metric, o.maxAttributionLength);
          if (summary !== undefined) report.attribution = summary;
        } catch (error) {
          diagnostics.internalError(error, 'web-vitals.attribution');
        }
      }
      send(o.eventName, toEventProperties(report), 'telemetry');
      const histogram = histograms[name];
      if (histogram !== undefined && !recorded.has(report.id)) {
        remember(recorded, report.id);
        histogram.record(toHistogramValue(name, report.value), { route, rating: report.rating, navigation_type: report.navigationType });
      }
      if (report.overBudget && budget !== undefined && !breached.has(report.id)) {
        remember(breached, report.id);
        call(o.onBudgetExceeded, { name, value: report.value, budget, rating: report.rating, route, navigationType: report.navigationType, id: report.id }, 'onBudgetExceeded');
      }
      call(o.onReport, report, 'onReport');
    } catch (error) {
      diagnostics.internalError(error, 'web-vitals.report');
    }
  };

  const isBrowser = typeof g.document === 'object' && g.document !== null && typeof g.PerformanceObserver === 'function';
  if (isBrowser) {
    const reportOptions = { reportAllChanges: o.reportAllChanges, reportSoftNavs: o.reportSoftNavs };
    for (const name of o.metrics) {
      try {
        source[`on${name}`](onMetric, reportOptions);
      } catch (error) {
        diagnostics.internalError(error, `web-vitals.on${name}`);
      }
    }
  } else {
    diagnostics.debug('web-vitals/not-a-browser', 'createWebVitalsCollector: no document or PerformanceObserver here; nothing is collected');
  }

  const softNavigation = (from: string, to: string): void => {
    const emit = (durationMs?: number): void => {
      if (stopped) return;
      const navigation: SoftNavigation = { from, to, source: 'router' };
      const properties: Record<string, unknown> = { from, to, route: to, source: 'router' };
      if (durationMs !== undefined) {
        navigation.durationMs = durationMs;
        properties['duration_ms'] = round(durationMs, 1);
      }
      send(o.softNavigationEventName, properties, 'softNavigation');
      call(o.onSoftNavigation, navigation, 'onSoftNavigation');
    };
    const now = g.performance?.now.bind(g.performance);
    if (now === undefined || typeof g.requestAnimationFrame !== 'function' || typeof g.setTimeout !== 'function' || g.document?.visibilityState !== 'visible') {
      emit();
      return;
    }
    // Time to the frame after the one the route change renders in (what the user sees).
    const started = now();
    let done = false;
    const finish = (withDuration: boolean): void => {
      if (done) return;
      done = true;
      emit(withDuration ? now() - started : undefined);
    };
    const fallback = g.setTimeout(() => finish(false), NEXT_FRAME_TIMEOUT_MS);
    g.requestAnimationFrame(() => {
      g.setTimeout?.(() => {
        g.clearTimeout?.(fallback);
        finish(true);
      }, 0);
    });
  };

  return {
    setRoute(route) {
      try {
        const next = cleanRoute(route);
        if (next === undefined) {
          diagnostics.warn('web-vitals/invalid-route', 'setRoute: the route must be a non-empty string; ignored', 'web-vitals:setRoute');
          return;
        }
        const previous = currentRoute ?? routeFromLocation();
        currentRoute = next;
        const here = currentPath();
        if (here !== undefined) nameRoute(here, next);
        if (!stopped && isBrowser && next !== previous && !softNavigationSupport) softNavigation(previous, next);
      } catch (error) {
        diagnostics.internalError(error, 'web-vitals.setRoute');
      }
    },
    get route() {
      try {
        return routeNow();
      } catch {
        return currentRoute ?? 'unknown';
      }
    },
    softNavigationSupport,
    counts,
    stop() {
      stopped = true;
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

function currentPath(): string | undefined {
  const path = (globalThis as { location?: { pathname?: unknown } }).location?.pathname;
  return typeof path === 'string' ? path : undefined;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * f) / f : 0;
}

function remember(set: Set<string>, id: string): void {
  if (set.size >= MAX_REMEMBERED_BREACHES) set.clear();
  set.add(id);
}

function pickDiagnostics(input: unknown): Diagnostics | undefined {
  try {
    const d = (input as { diagnostics?: Diagnostics } | null | undefined)?.diagnostics;
    return typeof d === 'object' && d !== null && typeof d.warn === 'function' && typeof d.internalError === 'function' ? d : undefined;
  } catch {
    // Hostile getters: resolveOptions reports the options as unreadable.
    return undefined;
  }
}
