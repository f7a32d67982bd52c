import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { snapshotMetric, type MetricSnapshot } from '../metrics/snapshot.js';
import type { Budget, BudgetAggregation, BudgetDirection, BudgetState } from './types.js';

/** What a budget needs to read its value: a budget, or the same fields without thresholds. */
export type BudgetQuery = Pick<Budget, 'metric' | 'aggregation' | 'direction' | 'labels' | 'total' | 'windowMs'>;

/** The data of one budget's metric at one moment, summed (or worst-of) across matching series. */
export interface BudgetSample {
  /** When it was read (ms, registry clock). */
  readonly t: number;
  /** When the instrument started counting (ms): the implicit zero of cumulative data. */
  readonly start: number;
  /** Histograms: per-bucket counts summed over the matching series. */
  readonly counts?: readonly number[];
  readonly bounds?: readonly number[];
  /** Histograms: sum and count of observations. */
  readonly sum: number;
  readonly count: number;
  /** Gauges: the worst matching series; counters: the total; ratios: the numerator. Undefined without series. */
  readonly value: number | undefined;
  /**
   * Gauges: the value of each matching series, keyed by its labels. The window is reduced per
   * series before the worst series is taken, as `max(avg_over_time(x[w]))` does; a sample without
   * it counts as one series of `value`.
   */
  readonly series?: ReadonlyMap<string, number>;
  /** Ratios: the denominator's total. */
  readonly den?: number;
}

const QUANTILES: Readonly<Partial<Record<BudgetAggregation, number>>> = { p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99 };

/** The quantile `q` of an aggregation (`p95` → 0.95), or undefined for other aggregations. */
export function quantileOf(aggregation: BudgetAggregation): number | undefined {
  return QUANTILES[aggregation];
}

/** Whether the aggregation reads a histogram. */
export function isHistogramAggregation(aggregation: BudgetAggregation): boolean {
  return aggregation === 'mean' || QUANTILES[aggregation] !== undefined;
}

/** Whether the aggregation reads a gauge over time. */
export function isGaugeAggregation(aggregation: BudgetAggregation): boolean {
  return aggregation === 'avg' || aggregation === 'max' || aggregation === 'min' || aggregation === 'last';
}

/**
 * Prometheus' `histogram_quantile` on one histogram: `counts` per bucket (not cumulative), the
 * last being `+Inf`, `bounds` the finite upper bounds. Linear interpolation inside the bucket
 * that holds the rank, the first bucket starting at 0; a rank in the `+Inf` bucket gives the
 * highest finite bound. NaN without observations.
 */
export function histogramQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let total = 0;
  for (const c of counts) total += c;
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const previous = cumulative;
    cumulative += counts[i]!;
    if (cumulative >= rank && counts[i]! > 0) {
      if (i >= bounds.length) return bounds.length > 0 ? bounds[bounds.length - 1]! : NaN;
      const end = bounds[i]!;
      if (i === 0 && end <= 0) return end;
      const start = i === 0 ? 0 : bounds[i - 1]!;
      return start + (end - start) * ((rank - previous) / counts[i]!);
    }
  }
  return bounds.length > 0 ? bounds[bounds.length - 1]! : NaN;
}

/**
 * Reads a budget's metric from the registry as it is now (no observable callbacks are run:
 * `prepareCollection()` does that). Undefined when the registry has no such metric.
 */
export function readBudgetSample(registry: MetricsRegistry, q: BudgetQuery, t: number): BudgetSample | undefined {
  const snap = snapshotMetric(registry, q.metric, { matchers: q.labels });
  if (snap === undefined) return undefined;
  if (isHistogramAggregation(q.aggregation)) return histogramSample(snap, t);
  if (isGaugeAggregation(q.aggregation)) {
    let worst: number | undefined;
    // `last` reads only the newest sample: its worst series is all it needs.
    const series = q.aggregation === 'last' ? undefined : new Map<string, number>();
    for (const s of snap.series) {
      series?.set(JSON.stringify(s.labels), s.value);
      if (worst === undefined || isWorse(q.direction, s.value, worst)) worst = s.value;
    }
    return series === undefined ? { t, start: snap.startTime, sum: 0, count: 0, value: worst } : { t, start: snap.startTime, sum: 0, count: 0, value: worst, series };
  }
  let total = 0;
  for (const s of snap.series) total += s.value;
  if (q.aggregation === 'ratio') {
    const totalMetric = q.total?.metric ?? q.metric;
    const den = snapshotMetric(registry, totalMetric, { matchers: q.total?.labels ?? {} });
    if (den === undefined) return undefined;
    let denTotal = 0;
    for (const s of den.series) denTotal += s.value;
    return { t, start: Math.min(snap.startTime, den.startTime), sum: 0, count: 0, value: total, den: denTotal };
  }
  return { t, start: snap.startTime, sum: 0, count: 0, value: total };
}

function histogramSample(snap: MetricSnapshot, t: number): BudgetSample {
  const bounds = snap.bounds ?? [];
  const counts = new Array<number>(bounds.length + 1).fill(0);
  let sum = 0;
  let count = 0;
  for (const s of snap.series) {
    const c = s.counts ?? [];
    for (let i = 0; i < counts.length; i++) counts[i]! += c[i] ?? 0;
    sum += s.sum ?? 0;
    count += s.count ?? 0;
  }
  return { t, start: snap.startTime, counts, bounds, sum, count, value: undefined };
}

/**
 * The budget's value at the newest sample, over its window: rates and quantiles from the
 * difference between the newest sample and the newest one at least a window older (or the
 * instrument's start, while the monitor has not seen a whole window); gauges from the samples
 * inside the window. A counter that went backwards (a reset) counts from zero. Undefined when the
 * window holds no data.
 */
export function computeBudgetValue(q: BudgetQuery, samples: readonly BudgetSample[]): number | undefined {
  const current = samples[samples.length - 1];
  if (current === undefined) return undefined;
  const from = current.t - q.windowMs;
  if (isGaugeAggregation(q.aggregation)) {
    if (q.aggregation === 'last') return current.value;
    return gaugeOverWindow(q, samples, from);
  }
  let baseline: BudgetSample | undefined;
  for (let i = samples.length - 2; i >= 0; i--) {
    if (samples[i]!.t <= from) {
      baseline = samples[i];
      break;
    }
  }
  // A baseline from before a reset (the registry was cleared, the instrument re-created) is useless.
  if (baseline !== undefined && (baseline.start !== current.start || baseline.count > current.count || (baseline.value ?? 0) > (current.value ?? 0) || (baseline.den ?? 0) > (current.den ?? 0))) baseline = undefined;
  if (isHistogramAggregation(q.aggregation)) {
    const counts = current.counts ?? [];
    const delta = baseline?.counts === undefined ? counts.slice() : counts.map((c, i) => c - (baseline!.counts![i] ?? 0));
    const count = current.count - (baseline?.count ?? 0);
    if (!(count > 0)) return undefined;
    if (q.aggregation === 'mean') return (current.sum - (baseline?.sum ?? 0)) / count;
    const value = histogramQuantile(quantileOf(q.aggregation)!, current.bounds ?? [], delta);
    return Number.isNaN(value) ? undefined : value;
  }
  const num = (current.value ?? 0) - (baseline?.value ?? 0);
  if (q.aggregation === 'ratio') {
    const den = (current.den ?? 0) - (baseline?.den ?? 0);
    return den > 0 ? num / den : undefined;
  }
  const elapsedMs = current.t - (baseline?.t ?? current.start);
  return elapsedMs > 0 ? num / (elapsedMs / 1000) : undefined;
}

/**
 * `avg`, `max` or `min` of a gauge as the generated PromQL computes it: `<agg>_over_time` of each
 * series over the samples inside the window, then the worst series (`max` for `max`, `min` for
 * `min`, by direction for `avg`). Reducing each sample to its worst series first would average
 * maxima: two series alternating 10/0 and 0/10 would read 10 instead of 5.
 */
function gaugeOverWindow(q: BudgetQuery, samples: readonly BudgetSample[], from: number): number | undefined {
  const perSeries = new Map<string, { n: number; acc: number; extreme: number }>();
  for (const s of samples) {
    if (s.t <= from) continue;
    const values: Iterable<[string, number]> = s.series ?? (s.value === undefined ? [] : [['', s.value]]);
    for (const [key, v] of values) {
      const w = perSeries.get(key);
      if (w === undefined) perSeries.set(key, { n: 1, acc: v, extreme: v });
      else {
        w.n++;
        w.acc += v;
        if (q.aggregation === 'max' ? v > w.extreme : v < w.extreme) w.extreme = v;
      }
    }
  }
  const direction: BudgetDirection = q.aggregation === 'max' ? 'above' : q.aggregation === 'min' ? 'below' : q.direction;
  let worst: number | undefined;
  for (const w of perSeries.values()) {
    const v = q.aggregation === 'avg' ? w.acc / w.n : w.extreme;
    if (worst === undefined || isWorse(direction, v, worst)) worst = v;
  }
  return worst;
}

/** The state a value points to, ignoring `for`. Values on a threshold are not past it. */
export function classifyValue(b: Pick<Budget, 'direction' | 'warning' | 'critical'>, value: number): BudgetState {
  if (b.direction === 'below') return value < b.critical ? 'critical' : value < b.warning ? 'warning' : 'ok';
  return value > b.critical ? 'critical' : value > b.warning ? 'warning' : 'ok';
}

/**
 * A budget's score, 0–100: 100 up to the target, falling to 85 at the warning threshold, to 60
 * at the critical one, and on towards 0 as far past critical again as critical is past warning.
 */
export function scoreValue(b: Pick<Budget, 'direction' | 'target' | 'warning' | 'critical'>, value: number): number {
  const sign = b.direction === 'below' ? -1 : 1;
  const v = sign * value;
  const t = sign * b.target;
  const w = sign * b.warning;
  const c = sign * b.critical;
  if (v <= t) return 100;
  if (v <= w) return 100 - 15 * fraction(v - t, w - t);
  if (v <= c) return 85 - 25 * fraction(v - w, c - w);
  const step = c - w > 0 ? c - w : c - t > 0 ? c - t : Math.abs(c) > 0 ? Math.abs(c) : 1;
  return Math.max(0, 60 - 60 * ((v - c) / step));
}

function fraction(part: number, whole: number): number {
  return whole > 0 ? part / whole : 1;
}

/** Direction-aware "is `a` worse than `b`". */
export function isWorse(direction: BudgetDirection, a: number, b: number): boolean {
  return direction === 'below' ? a < b : a > b;
}
