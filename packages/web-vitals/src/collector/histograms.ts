import type { Histogram, MetricsRegistry } from '@lookout/core';
import type { VitalName } from '../types.js';

/** Buckets of LCP and FCP, in seconds: 100 ms to 20 s, dense around the 1.8–4 s thresholds. */
export const PAINT_BUCKETS_S: readonly number[] = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 1.8, 2, 2.5, 3, 4, 5, 7.5, 10, 20];
/** Buckets of INP, in seconds: 16 ms (one frame) to 2 s, dense around the 200/500 ms thresholds. */
export const INP_BUCKETS_S: readonly number[] = [0.016, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2];
/** Buckets of TTFB, in seconds: 50 ms to 5 s, around the 800/1800 ms thresholds. */
export const TTFB_BUCKETS_S: readonly number[] = [0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.4, 1.8, 2.5, 3, 5];
/** Buckets of CLS (unitless), around the 0.1/0.25 thresholds. */
export const CLS_BUCKETS: readonly number[] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1];

/** The labels of every vitals histogram. */
export type VitalLabel = 'route' | 'rating' | 'navigation_type';

const SPECS: Record<VitalName, { buckets: readonly number[]; unit: 's' | '1'; description: string }> = {
  LCP: { buckets: PAINT_BUCKETS_S, unit: 's', description: 'Largest Contentful Paint of page views' },
  FCP: { buckets: PAINT_BUCKETS_S, unit: 's', description: 'First Contentful Paint of page views' },
  INP: { buckets: INP_BUCKETS_S, unit: 's', description: 'Interaction to Next Paint of page views' },
  TTFB: { buckets: TTFB_BUCKETS_S, unit: 's', description: 'Time to First Byte of page views' },
  CLS: { buckets: CLS_BUCKETS, unit: '1', description: 'Cumulative Layout Shift of page views' },
};

/**
 * Defines one histogram per metric in `registry`: `web_vitals.lcp` (exported to Prometheus as
 * `web_vitals_lcp_seconds`) and so on, timings in seconds and CLS unitless, labelled by route,
 * rating and navigation type.
 */
export function defineVitalHistograms(registry: MetricsRegistry, metrics: readonly VitalName[]): Partial<Record<VitalName, Histogram<VitalLabel>>> {
  const out: Partial<Record<VitalName, Histogram<VitalLabel>>> = {};
  for (const name of metrics) {
    const spec = SPECS[name];
    out[name] = registry.histogram<VitalLabel>(`web_vitals.${name.toLowerCase()}`, {
      description: spec.description,
      unit: spec.unit,
      buckets: spec.buckets,
      labels: ['route', 'rating', 'navigation_type'],
    });
  }
  return out;
}

/** A report value in the histogram's unit: milliseconds become seconds, CLS stays as is. */
export function toHistogramValue(name: VitalName, value: number): number {
  return name === 'CLS' ? value : value / 1000;
}
