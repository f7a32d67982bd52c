import type { MetricsRegistry } from '@lookout/core';
import type { MetricInfo, MetricKind, RawSeries } from './types.js';

/**
 * The parts of a registry instrument the viewer reads (see core's `metrics/internal`): its
 * descriptor, its series table and, for histograms, its bucket bounds. Read structurally so the
 * viewer depends on core's public `instruments()` only.
 */
interface InstrumentView {
  d: { name: string; kind: string; unit: string; description: string; keys: readonly string[] };
  table: { forEach(fn: (s: SeriesView, values: readonly string[] | undefined) => void): void };
  bounds?: readonly number[];
}

interface SeriesView {
  v?: number;
  counts?: readonly number[];
  sum?: number;
  count?: number;
}

const KINDS: Record<string, MetricKind> = {
  counter: 'counter',
  observablecounter: 'counter',
  updowncounter: 'updowncounter',
  gauge: 'gauge',
  observablegauge: 'gauge',
  histogram: 'histogram',
};

const infoCache = new WeakMap<object, MetricInfo>();

/**
 * Reads every series of `registry` (after `prepareCollection()`), calling `emit` for each. The
 * overflow series past an instrument's cardinality limit comes with `otel_metric_overflow="true"`.
 * An instrument that cannot be read is skipped and reported through `onError`.
 */
export function readRegistry(registry: MetricsRegistry, source: string, emit: (series: RawSeries) => void, onError: (error: unknown, name: string) => void): void {
  for (const raw of registry.instruments() as Iterable<unknown>) {
    const inst = raw as InstrumentView;
    try {
      const kind = KINDS[inst.d.kind];
      if (kind === undefined) continue;
      let metric = infoCache.get(inst);
      if (metric === undefined || metric.source !== source) {
        metric = { name: inst.d.name, kind, unit: inst.d.unit, description: inst.d.description, source };
        if (kind === 'histogram' && inst.bounds !== undefined) metric.bounds = inst.bounds;
        infoCache.set(inst, metric);
      }
      const keys = inst.d.keys;
      const prefix = `${source}\u0001${metric.name}\u0001`;
      const info = metric;
      inst.table.forEach((s, values) => {
        const labels: Record<string, string> = {};
        let key: string;
        if (values === undefined) {
          labels.otel_metric_overflow = 'true';
          key = `${prefix}\u0003overflow`;
        } else {
          for (let i = 0; i < keys.length; i++) if (values[i] !== '') labels[keys[i]!] = values[i]!;
          key = prefix + values.join('\u0002');
        }
        if (kind === 'histogram') emit({ metric: info, labels, key, value: s.count ?? 0, sum: s.sum ?? 0, counts: s.counts ?? [] });
        else emit({ metric: info, labels, key, value: s.v ?? 0 });
      });
    } catch (error) {
      onError(error, inst?.d?.name ?? 'unknown');
    }
  }
}
