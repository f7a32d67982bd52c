import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { DEFAULT_BUDGETS } from '../constants.js';
import { reportedBefore } from '../collector/reportedBefore.js';
import { urlOf } from '../collector/urlOf.js';
import type { VitalName, VitalRating } from '../types.js';
import type { LiteVitalsOptions } from './types.js';

interface Metric {
  name: string;
  value: number;
  delta: number;
  rating: VitalRating;
  id: string;
  navigationType?: string;
  /** The URL of the (hard or soft) navigation the metric belongs to. */
  navigationURL?: string;
}

/** `value` rounded to `digits` decimals (non-finite values give 0). */
const round = (value: number, digits: number): number => (isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : 0);

/**
 * Reports CLS, FCP, INP, LCP and TTFB through `web-vitals` (standard build) for pages where every
 * kilobyte counts: each report goes to `send` as the properties `@lookout/web-vitals` gives a
 * `web_vital` event (`metric`, `value`, `delta`, `rating`, `id`, `navigation_type`, `route`,
 * `over_budget`, `budget`), with the route `route` gives for the URL of the navigation the metric
 * belongs to (so CLS and INP of a page load keep its route after an SPA moved on). A metric over its budget
 * (defaults FCP 2000 ms, LCP 3000 ms, CLS 0.1, INP 200 ms; TTFB none; `false` turns one off) calls `onBudgetExceeded`
 * once per metric instance. A throw in `send`, `route` or the callback goes to `failed`. Call
 * only in a page (`document` and `PerformanceObserver` present). Returns a function that stops reporting.
 */
export function startLiteVitals(
  options: LiteVitalsOptions,
  route: (url: string | undefined) => string,
  send: (properties: Record<string, unknown>) => void,
  failed: (error: unknown) => void,
): () => void {
  const defaults: Readonly<Record<string, number | undefined>> = DEFAULT_BUDGETS;
  const breached = new Set<string>();
  let stopped = false;
  /** `fn()`; a throw goes to `failed`, so one failing step does not skip the next. */
  const attempt = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      failed(error);
    }
  };
  const report = (metric: Metric): void => {
    if (stopped || reportedBefore(metric, report)) return;
    attempt(() => {
      const name = metric.name as VitalName;
      const limit = options.budgets?.[name] ?? defaults[name];
      const budget = limit === false ? undefined : limit;
      const over = metric.value > (budget ?? Infinity);
      const digits = name == 'CLS' ? 4 : 1;
      const at = route(urlOf(metric));
      const properties: Record<string, unknown> = {
        metric: name,
        value: round(metric.value, digits),
        delta: round(metric.delta, digits),
        rating: metric.rating,
        id: metric.id,
        navigation_type: metric.navigationType ?? 'navigate',
        route: at,
        over_budget: over,
      };
      if (budget !== undefined) properties['budget'] = budget;
      attempt(() => send(properties));
      if (over && !breached.has(metric.id)) {
        // The 128 instances breached last are remembered (a long-lived SPA makes more).
        if (breached.size >= 128) breached.delete(breached.values().next().value!);
        breached.add(metric.id);
        options.onBudgetExceeded?.({ name, value: metric.value, budget: budget!, rating: metric.rating, route: at, navigationType: properties['navigation_type'] as string, id: metric.id });
      }
    });
  };
  // One metric failing to subscribe leaves the others running (and this function returning).
  for (const on of [onCLS, onFCP, onINP, onLCP, onTTFB]) attempt(() => on(report, { reportAllChanges: options.reportAllChanges, reportSoftNavs: options.reportSoftNavs }));
  return () => void (stopped = true);
}
