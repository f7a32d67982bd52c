import type { Diagnostics, MetricsRegistry } from '@lookout/core';

/** The metrics collected: the Core Web Vitals (CLS, INP, LCP) and two diagnostics of loading (FCP, TTFB). */
export type VitalName = 'CLS' | 'FCP' | 'INP' | 'LCP' | 'TTFB';

/** What a host may ask for: a {@link VitalName}, or `FID`, which `web-vitals` 5+ no longer has and which is served as INP. */
export type RequestedVital = VitalName | 'FID';

/** The rating `web-vitals` gives a value against the metric's published thresholds. */
export type VitalRating = 'good' | 'needs-improvement' | 'poor';

/** A bounded summary of why a metric has its value (from `@lookout/web-vitals/attribution` only). */
export type AttributionSummary = Record<string, string | number>;

/** One report of one metric, as handed to `onReport` and (flattened) sent as a telemetry event. */
export interface VitalReport {
  name: VitalName;
  /** Current value: milliseconds for FCP, LCP, INP and TTFB, unitless for CLS. */
  value: number;
  /** Change since the last report of the same metric instance (`value` on the first report). */
  delta: number;
  rating: VitalRating;
  /** Unique per metric instance (a new one after a bfcache restore or a soft navigation). */
  id: string;
  /** `navigate`, `reload`, `back-forward`, `back-forward-cache`, `prerender`, `restore` or `soft-navigation`. */
  navigationType: string;
  /** The page or route label (see `WebVitalsOptions.getRoute`). */
  route: string;
  /** The budget of this metric, when one applies. */
  budget?: number;
  /** Whether `value` is over `budget`. */
  overBudget: boolean;
  /** Attribution summary, when collected through `@lookout/web-vitals/attribution`. */
  attribution?: AttributionSummary;
}

/** Passed to `onBudgetExceeded`, at most once per metric instance. */
export interface BudgetBreach {
  name: VitalName;
  value: number;
  budget: number;
  rating: VitalRating;
  route: string;
  navigationType: string;
  id: string;
}

/** Per-metric budgets: milliseconds for FCP, LCP, INP and TTFB, unitless for CLS; `false` turns one off. */
export type VitalBudgets = Partial<Record<VitalName, number | false>>;

/** Where reports go as events: a `@lookout/telemetry` client, or anything with the same `track`. */
export interface VitalsEventSink {
  track(name: string, properties?: Record<string, unknown>): unknown;
}

/** A router-driven soft navigation, passed to `onSoftNavigation` and sent as an event. */
export interface SoftNavigation {
  /** Route before the change. */
  from: string;
  /** Route after the change. */
  to: string;
  /** `browser` when the browser reported it (Soft Navigation API), `router` when the host called `setRoute`. */
  source: 'browser' | 'router';
  /** Milliseconds from the route change to the next frame, where it could be measured. */
  durationMs?: number;
}

/** Input of `createWebVitalsCollector`. Every field is optional. */
export interface WebVitalsOptions {
  /** Metrics to collect. Default all five. `FID` is accepted and collected as INP (with a diagnostic). */
  metrics?: readonly RequestedVital[];
  /** Sends each report as an event (e.g. a telemetry client, which flushes it when the page is hidden). */
  telemetry?: VitalsEventSink;
  /** Name of those events. Default `web_vital`. */
  eventName?: string;
  /** Name of the router-driven soft navigation events. Default `soft_navigation`. */
  softNavigationEventName?: string;
  /**
   * Records each value in an OpenTelemetry-style histogram of this registry (`createMetricsRegistry()`
   * or `getDefaultRegistry()` from `@lookout/core`), labelled by route, rating and navigation type:
   * `web_vitals_lcp` etc. in seconds, `web_vitals_cls` unitless. Off unless given, so pages that do
   * not want metrics do not pay for the registry.
   */
  registry?: MetricsRegistry;
  /** Per-metric budgets. Defaults: FCP 2000 ms, LCP 3000 ms, CLS 0.1, INP 200 ms; TTFB none. */
  budgets?: VitalBudgets;
  /** Called (inside try/catch) when a metric instance first goes over its budget. */
  onBudgetExceeded?: (breach: BudgetBreach) => void;
  /** Called (inside try/catch) with every report. */
  onReport?: (report: VitalReport) => void;
  /** Called (inside try/catch) on each soft navigation. */
  onSoftNavigation?: (navigation: SoftNavigation) => void;
  /**
   * Names the current page or route, e.g. from an SPA router (`() => router.currentRoute.name`).
   * Called inside try/catch at report time. Default: the last `setRoute()` value, else
   * `location.pathname` with ids (numbers, UUIDs, long hex) replaced by `:id`.
   */
  getRoute?: () => string | undefined;
  /**
   * Ask `web-vitals` to report per soft navigation where the browser supports the Soft
   * Navigation API. Elsewhere `setRoute()` is the signal. Default `true`.
   */
  reportSoftNavs?: boolean;
  /**
   * The URL the page landed on, as `location.href` gave it (1 to `MAX_LANDING_URL_LENGTH`, 8192,
   * characters). Default: the document's URL when the collector is created. A host that creates
   * the collector later than the page starts (as `@lookout/browser` does, a task after
   * `initMonitoring`) passes the URL it saw, so that a router that moved on meanwhile still sends
   * its first soft navigation, from the landing route.
   */
  landingUrl?: string;
  /** Report every change of a value, not only final ones. Default `false`. */
  reportAllChanges?: boolean;
  /** Longest attribution text (selectors), in characters. Default 100. Used by `./attribution` only. */
  maxAttributionLength?: number;
  /** Where problems are reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
  /** Throw `LookoutConfigError` on invalid options instead of falling back to defaults. */
  strict?: boolean;
}

/** A running collector. No method throws. */
export interface WebVitalsCollector {
  /**
   * The router-driven signal: names the route from now on. When the route changes with the URL, a
   * soft navigation event is sent, unless the browser reports soft navigations itself and reports
   * this one (a `soft-navigation` entry for the new path) within 1 s: Chromium reports only URL
   * changes that follow a user interaction, so a redirect on a timer still gets the event.
   */
  setRoute(route: string): void;
  /** The route label reports would carry now. */
  readonly route: string;
  /** Whether the browser reports soft navigations to `web-vitals` (Soft Navigation API). */
  readonly softNavigationSupport: boolean;
  /** Counts of reports by metric. */
  readonly counts: Readonly<Record<VitalName, number>>;
  /** Stops reporting (the `web-vitals` observers cannot be removed; their callbacks become no-ops). */
  stop(): void;
}
