import { isHistogram, type AnyInstrument } from './internal/instruments.js';
import { finiteTotal } from './internal/series.js';
import type { HistogramSeries, ScalarSeries } from './internal/series.js';
import type { MetricsRegistry } from './MetricsRegistry.js';
import type { InstrumentKind } from './types.js';

/** One series of an instrument, copied out of the registry. */
export interface SeriesSnapshot {
  /** Prometheus label name → value; the overflow series has `otel_metric_overflow: 'true'`. */
  readonly labels: Readonly<Record<string, string>>;
  /** The same values under their OpenTelemetry attribute keys (`http.method`); none for the overflow series. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The series that holds what the cardinality limit turned away (`otel.metric.overflow=true`). */
  readonly overflow?: true;
  /**
   * When this series' cumulative stream started (ms since the epoch, registry clock): its creation
   * or restart, to the second, never before the instrument's {@link MetricSnapshot.startTime}.
   * The start time of its OTLP points.
   */
  readonly startTime: number;
  /** Counter total, gauge value or up-down counter value. `0` for histograms. */
  readonly value: number;
  /** Histogram only: per-bucket counts (not cumulative), the last one being `+Inf`. */
  readonly counts?: readonly number[];
  /** Histogram only: sum of the observations. */
  readonly sum?: number;
  /** Histogram only: number of observations. */
  readonly count?: number;
  /** Histogram only, once something was observed: the smallest and largest value. A negative `min` means the sum is not a counter (OTLP and OpenMetrics leave it out). */
  readonly min?: number;
  readonly max?: number;
}

/** What one instrument holds at one moment. */
export interface MetricSnapshot {
  /** The OpenTelemetry name as defined, e.g. `app.startup.duration`. */
  readonly name: string;
  /** The Prometheus family name, e.g. `app_startup_duration_seconds`. */
  readonly promName: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** Prometheus label names, in declaration order. */
  readonly labelNames: readonly string[];
  /** OpenTelemetry attribute keys, in the same order as {@link labelNames}. */
  readonly attributeKeys: readonly string[];
  /** When the instrument was created (ms since the epoch, registry clock); each series' own start is its `startTime` (never earlier). */
  readonly startTime: number;
  /** Histogram only: finite upper bounds; one more bucket (`+Inf`) follows the last. */
  readonly bounds?: readonly number[];
  readonly series: readonly SeriesSnapshot[];
}

/** Options of {@link snapshotMetric}. */
export interface SnapshotOptions {
  /**
   * Keep only series whose labels equal these values (Prometheus label names). A matcher on a
   * label the instrument does not have matches only the empty value, as in PromQL.
   */
  matchers?: Readonly<Record<string, string>>;
}

/**
 * Copies the series of one instrument, found by its Prometheus family name or its OpenTelemetry
 * name, or `undefined` when the registry has no such instrument. Reads what was recorded so far
 * and runs no observable callbacks: call `await registry.prepareCollection()` first to refresh
 * observable instruments. Never throws.
 */
export function snapshotMetric(registry: MetricsRegistry, name: string, options: SnapshotOptions = {}): MetricSnapshot | undefined {
  try {
    const inst = registry.getInstrument(name) as AnyInstrument | undefined;
    if (inst === undefined || typeof (inst as { d?: unknown }).d !== 'object') return undefined;
    return snapshotInstrument(inst, options.matchers);
  } catch (error) {
    registry.diag.internalError(error, 'snapshotMetric');
    return undefined;
  }
}

/** Snapshots of every instrument in the registry, in registration order. Never throws. */
export function snapshotRegistry(registry: MetricsRegistry): MetricSnapshot[] {
  const out: MetricSnapshot[] = [];
  try {
    for (const inst of registry.instruments()) out.push(snapshotInstrument(inst, undefined));
  } catch (error) {
    registry.diag.internalError(error, 'snapshotRegistry');
  }
  return out;
}

function snapshotInstrument(inst: AnyInstrument, matchers: Readonly<Record<string, string>> | undefined): MetricSnapshot {
  const d = inst.d;
  const names = d.labelNames;
  const keys = d.keys;
  const checks = matcherChecks(names, matchers);
  const series: SeriesSnapshot[] = [];
  const histogram = isHistogram(inst);
  (inst.table as { forEach(fn: (s: ScalarSeries | HistogramSeries, values: readonly string[] | undefined) => void): void }).forEach((s, values) => {
    if (checks === null) return;
    if (values === undefined) {
      // The overflow series carries none of the declared labels.
      if (checks.some(([i, v]) => i >= 0 || v !== '')) return;
    } else if (!checks.every(([i, v]) => (i < 0 ? v === '' : values[i] === v))) {
      return;
    }
    const labels: Record<string, string> = {};
    const attributes: Record<string, string> = {};
    if (values === undefined) labels['otel_metric_overflow'] = 'true';
    else
      for (let i = 0; i < names.length; i++) {
        if (values[i] === '') continue;
        labels[names[i]!] = values[i]!;
        attributes[keys[i]!] = values[i]!;
      }
    const startTime = inst.seriesStartTime(s);
    const common = values === undefined ? { labels, attributes, overflow: true as const, startTime } : { labels, attributes, startTime };
    if (histogram) {
      const h = s as HistogramSeries;
      const range = h.count > 0 ? { min: h.min, max: h.max } : {};
      series.push({ ...common, value: 0, counts: h.counts.slice(), sum: finiteTotal(h.sum), count: h.count, ...range });
    } else {
      series.push({ ...common, value: finiteTotal((s as ScalarSeries).v) });
    }
  });
  return {
    name: d.name,
    promName: d.promName,
    kind: d.kind,
    unit: d.unit,
    description: d.description,
    labelNames: names.slice(),
    attributeKeys: keys.slice(),
    startTime: inst.startTime,
    ...(histogram ? { bounds: inst.bounds.slice() } : {}),
    series,
  };
}

/** `[label index or -1, wanted value]` pairs; `null` when no series can match. */
function matcherChecks(names: readonly string[], matchers: Readonly<Record<string, string>> | undefined): Array<[number, string]> | null {
  const checks: Array<[number, string]> = [];
  if (matchers === undefined || matchers === null || typeof matchers !== 'object') return checks;
  for (const [key, value] of Object.entries(matchers)) {
    if (typeof value !== 'string') return null;
    checks.push([names.indexOf(key), value]);
  }
  return checks;
}
