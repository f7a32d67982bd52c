import { snapshotRegistry } from '@lookout/core';
import type { MetricsRegistry } from '@lookout/core';
import type { MetricInfo, MetricKind, RawSeries } from './types.js';

const KINDS: Record<string, MetricKind> = {
  counter: 'counter',
  observablecounter: 'counter',
  updowncounter: 'updowncounter',
  gauge: 'gauge',
  observablegauge: 'gauge',
  histogram: 'histogram',
};

/** One {@link MetricInfo} per metric and source, kept across reads. */
const infoCache = new WeakMap<MetricsRegistry, Map<string, MetricInfo>>();

/**
 * Reads every series of `registry` (after `prepareCollection()`) through core's
 * `snapshotRegistry`, calling `emit` for each, labelled by OpenTelemetry attribute keys. The
 * overflow series past an instrument's cardinality limit comes with `otel_metric_overflow="true"`.
 * A metric that cannot be read is skipped and reported through `onError`.
 */
export function readRegistry(registry: MetricsRegistry, source: string, emit: (series: RawSeries) => void, onError: (error: unknown, name: string) => void): void {
  let cache = infoCache.get(registry);
  if (cache === undefined) infoCache.set(registry, (cache = new Map()));
  for (const m of snapshotRegistry(registry)) {
    try {
      const kind = KINDS[m.kind];
      if (kind === undefined) continue;
      let metric = cache.get(m.name);
      if (metric === undefined || metric.source !== source || metric.kind !== kind) {
        metric = { name: m.name, kind, unit: m.unit, description: m.description, source };
        if (kind === 'histogram' && m.bounds !== undefined) metric.bounds = m.bounds;
        cache.set(m.name, metric);
      }
      const info = metric;
      const prefix = `${source}\u0001${m.name}\u0001`;
      for (const s of m.series) {
        const labels = s.overflow ? { otel_metric_overflow: 'true' } : (s.attributes as Record<string, string>);
        const key = s.overflow ? `${prefix}\u0003overflow` : prefix + m.attributeKeys.map((k) => s.attributes[k] ?? '').join('\u0002');
        if (kind === 'histogram') emit({ metric: info, labels, key, value: s.count ?? 0, sum: s.sum ?? 0, counts: s.counts ?? [] });
        else emit({ metric: info, labels, key, value: s.value });
      }
    } catch (error) {
      onError(error, m.name);
    }
  }
}
