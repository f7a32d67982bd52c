import type { Histogram, MetricsRegistry } from '@lookout/core';
import type { VitalName } from '../types.js';
import { CLS_BUCKETS, INP_BUCKETS_S, PAINT_BUCKETS_S, TTFB_BUCKETS_S } from './buckets.js';

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

/** Records reports in the vitals histograms, one observation per metric instance. */
export interface VitalRecorder {
  /** Takes one report of instance `id`; recorded once the instance is final. */
  record(name: VitalName, id: string, value: number, labels: Record<VitalLabel, string>): void;
  /** The instances still open are final (the page is unloaded or put in the bfcache, or the collector stops): records them. */
  settle(): void;
}

/**
 * Defines the histograms (see {@link defineVitalHistograms}) and returns a recorder that makes
 * one observation per metric instance, with its final value: web-vitals reports CLS and INP again
 * (same id) at each later hide where they grew, and every change with `reportAllChanges`. The
 * last report of each open instance is held (one per metric) until it is final: replaced by a
 * new instance of the metric (soft navigation, bfcache restore), or `settle()`. TTFB, FCP and LCP
 * are final at their one report unless `reportAllChanges`.
 */
export function createVitalRecorder(registry: MetricsRegistry, metrics: readonly VitalName[], reportAllChanges: boolean): VitalRecorder {
  const histograms = defineVitalHistograms(registry, metrics);
  const held = new Map<VitalName, [id: string, value: number, labels: Record<VitalLabel, string>]>();
  const close = (name: VitalName): void => {
    const last = held.get(name);
    held.delete(name);
    if (last !== undefined) histograms[name]?.record(toHistogramValue(name, last[1]), last[2]);
  };
  return {
    record(name, id, value, labels) {
      if (held.get(name)?.[0] !== id) close(name);
      held.set(name, [id, value, labels]);
      if (!reportAllChanges && name !== 'CLS' && name !== 'INP') close(name);
    },
    settle() {
      for (const name of [...held.keys()]) close(name);
    },
  };
}
