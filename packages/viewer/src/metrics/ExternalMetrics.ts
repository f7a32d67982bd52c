import type { OtlpMetricGroup } from '../ingest/decodeOtlp.js';
import type { MetricInfo, RawSeries } from './types.js';

/** Most label pairs kept per posted series. */
const MAX_LABELS = 16;
const MAX_LABEL_VALUE_LENGTH = 256;

interface Entry extends RawSeries {
  counts: number[];
}

/**
 * Series that other processes posted over OTLP, kept as cumulative values (delta points are
 * added up) and bounded: past `maxSeries`, points of new series are dropped and counted.
 */
export class ExternalMetrics {
  private readonly _series = new Map<string, Entry>();
  private readonly _metrics = new Map<string, MetricInfo>();
  /** Points refused because the store was full. */
  dropped = 0;

  constructor(private readonly _maxSeries: number) {}

  get size(): number {
    return this._series.size;
  }

  /** Adds the points of an OTLP metrics request; `source` is the resource's `service.name`. */
  add(groups: readonly OtlpMetricGroup[], sourceOf: (resource: Record<string, unknown>) => string): number {
    let points = 0;
    for (const group of groups) {
      const source = sourceOf(group.resource);
      for (const m of group.metrics) {
        const metricKey = `${source}\u0001${m.name}`;
        let info = this._metrics.get(metricKey);
        if (info === undefined || info.kind !== m.kind) {
          info = { name: m.name, kind: m.kind, unit: m.unit, description: m.description, source };
          if (this._metrics.size < this._maxSeries) this._metrics.set(metricKey, info);
        }
        for (const p of m.points) {
          const labels = toLabels(p.attributes);
          const key = `${metricKey}\u0001${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join('\u0002')}`;
          let entry = this._series.get(key);
          if (entry === undefined) {
            if (this._series.size >= this._maxSeries) {
              this.dropped++;
              continue;
            }
            entry = { metric: info, labels, key, value: 0, counts: [] };
            if (m.kind === 'histogram') entry.sum = 0;
            this._series.set(key, entry);
          }
          points++;
          if (m.kind === 'histogram') {
            const bounds = p.bounds ?? [];
            const counts = p.bucketCounts ?? [];
            if (info.bounds === undefined || !sameBounds(info.bounds, bounds)) {
              info.bounds = bounds;
              entry.counts = [];
            }
            if (!m.delta || entry.counts.length !== counts.length) {
              entry.counts = counts.slice();
              entry.value = p.count ?? 0;
              entry.sum = p.sum ?? 0;
            } else {
              for (let i = 0; i < counts.length; i++) entry.counts[i]! += counts[i]!;
              entry.value += p.count ?? 0;
              entry.sum = (entry.sum ?? 0) + (p.sum ?? 0);
            }
          } else if (p.value !== undefined) {
            entry.value = m.delta ? entry.value + p.value : p.value;
          }
        }
      }
    }
    return points;
  }

  forEach(fn: (series: RawSeries) => void): void {
    this._series.forEach(fn);
  }

  clear(): void {
    this._series.clear();
    this._metrics.clear();
  }
}

function toLabels(attributes: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  let n = 0;
  for (const key of Object.keys(attributes).sort()) {
    if (n++ >= MAX_LABELS) break;
    const v = attributes[key];
    const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
    labels[key] = text.length > MAX_LABEL_VALUE_LENGTH ? text.slice(0, MAX_LABEL_VALUE_LENGTH) : text;
  }
  return labels;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
