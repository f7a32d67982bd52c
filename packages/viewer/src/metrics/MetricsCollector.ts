import { matchesLabels, matchesMetric, type StreamFilter } from '../stream/filter.js';
import { quantilesOf } from './quantile.js';
import type { MetricInfo, MetricsFrame, MetricView, RawSeries, SeriesPoint } from './types.js';

interface Previous {
  value: number;
  sum: number | undefined;
  counts: readonly number[] | undefined;
}

/**
 * Turns successive reads of cumulative series into what a page charts: rates for counters and
 * histograms, p50/p95/p99 and the mean of the observations between two reads. Pushed series
 * bring their own change (see `ExternalMetrics`) and are not differenced. Keeps one small
 * entry per series read from a registry; series that disappear are forgotten.
 */
export class MetricsCollector {
  private _previous = new Map<string, Previous>();
  private _lastTime: number | undefined;

  /** Computes the points of one read taken at `now` (ms). */
  update(series: readonly RawSeries[], now: number): SeriesPoint[] {
    const dt = this._lastTime === undefined ? 0 : (now - this._lastTime) / 1000;
    this._lastTime = now;
    const next = new Map<string, Previous>();
    const points: SeriesPoint[] = [];
    for (const s of series) {
      const point: SeriesPoint = { metric: s.metric, labels: s.labels, value: s.value };
      const kind = s.metric.kind;
      points.push(point);
      if (kind !== 'counter' && kind !== 'histogram') continue;
      if (s.pushed === true) {
        // Pushed series change when their exporter posts, not between our reads: show the
        // change between its last two points until it is stale.
        const c = s.change;
        if (c === undefined || now > c.until) continue;
        point.rate = c.rate;
        if (kind === 'histogram' && c.deltaCounts !== undefined) withDelta(point, c.deltaCounts, c.deltaSum, c.deltaCount ?? 0);
        continue;
      }
      const prev = this._previous.get(s.key);
      // A value below the previous one is a restart: count from zero, as Prometheus' rate() does.
      const base = prev === undefined ? undefined : s.value >= prev.value ? prev.value : 0;
      if (base !== undefined && dt > 0) point.rate = (s.value - base) / dt;
      if (kind === 'histogram' && s.counts !== undefined) {
        const counts = s.counts;
        const restarted = prev?.counts === undefined || prev.counts.length !== counts.length || s.value < prev.value;
        const delta = new Array<number>(counts.length);
        for (let i = 0; i < counts.length; i++) delta[i] = restarted ? counts[i]! : Math.max(0, counts[i]! - prev!.counts![i]!);
        // No sum known (now or at the previous read): no mean, rather than one of 0.
        const from = restarted ? 0 : prev!.sum;
        const deltaSum = s.sum === undefined || from === undefined ? undefined : s.sum - from;
        const deltaCount = s.value - (restarted || prev === undefined ? 0 : prev.value);
        withDelta(point, delta, deltaSum, deltaCount);
      }
      next.set(s.key, { value: s.value, sum: s.sum, counts: s.counts === undefined ? undefined : s.counts.slice() });
    }
    this._previous = next;
    return points;
  }

  clear(): void {
    this._previous.clear();
    this._lastTime = undefined;
  }
}

/** Sets a histogram point's per-bucket delta, its p50/p95/p99 and, when their sum is known, the mean of its observations. */
function withDelta(point: SeriesPoint, deltaCounts: number[], deltaSum: number | undefined, deltaCount: number): void {
  point.deltaCounts = deltaCounts;
  const q = quantilesOf(point.metric.bounds ?? [], deltaCounts);
  if (q !== undefined) point.quantiles = q;
  if (deltaSum === undefined) return;
  point.deltaSum = deltaSum;
  if (deltaCount > 0) point.mean = deltaSum / deltaCount;
}

/**
 * The metrics message for one stream: the points its filter lets through, grouped by metric.
 * Past `limit` series, each metric is aggregated over its labels (counters and up-down
 * counters summed, gauges averaged, histogram buckets merged) and the frame says so.
 */
export function buildMetricsFrame(points: readonly SeriesPoint[], filter: StreamFilter, limit: number, time: number, intervalMs: number): MetricsFrame {
  const byMetric = new Map<MetricInfo, SeriesPoint[]>();
  let total = 0;
  for (const p of points) {
    if (!matchesMetric(filter, p.metric.name, p.metric.source) || !matchesLabels(filter, p.labels)) continue;
    let list = byMetric.get(p.metric);
    if (list === undefined) byMetric.set(p.metric, (list = []));
    list.push(p);
    total++;
  }
  const aggregated = total > limit;
  const metrics: MetricView[] = [];
  for (const [info, list] of byMetric) {
    const view: MetricView = { name: info.name, kind: info.kind, unit: info.unit, description: info.description, source: info.source, series: [] };
    if (aggregated && list.length > 1) view.series.push(wire(aggregate(info, list)));
    else for (const p of list) view.series.push(wire(p));
    metrics.push(view);
  }
  return { time, intervalMs, totalSeries: total, aggregated, limit, metrics };
}

function wire(p: SeriesPoint): MetricView['series'][number] {
  const out: MetricView['series'][number] = { l: p.labels, v: round(p.value) };
  if (p.rate !== undefined) out.r = round(p.rate);
  if (p.quantiles !== undefined) out.q = [round(p.quantiles[0]), round(p.quantiles[1]), round(p.quantiles[2])];
  if (p.mean !== undefined) out.m = round(p.mean);
  return out;
}

/** Six significant digits are plenty on a chart and keep the messages small. */
function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : 0;
}

function aggregate(info: MetricInfo, list: readonly SeriesPoint[]): SeriesPoint {
  let value = 0;
  let rate: number | undefined;
  /** Undefined once a series' sum is not known: the merged mean would be wrong. */
  let deltaSum: number | undefined = 0;
  let deltaCounts: number[] | undefined;
  for (const p of list) {
    value += p.value;
    if (p.rate !== undefined) rate = (rate ?? 0) + p.rate;
    if (p.deltaCounts !== undefined) {
      deltaCounts ??= new Array<number>(p.deltaCounts.length).fill(0);
      if (deltaCounts.length === p.deltaCounts.length) for (let i = 0; i < deltaCounts.length; i++) deltaCounts[i]! += p.deltaCounts[i]!;
      deltaSum = deltaSum === undefined || p.deltaSum === undefined ? undefined : deltaSum + p.deltaSum;
    }
  }
  const point: SeriesPoint = { metric: info, labels: { aggregated: `${list.length} series` }, value: info.kind === 'gauge' ? value / list.length : value };
  if (rate !== undefined) point.rate = rate;
  if (deltaCounts !== undefined) {
    const q = quantilesOf(info.bounds ?? [], deltaCounts);
    if (q !== undefined) point.quantiles = q;
    const n = deltaCounts.reduce((a, b) => a + b, 0);
    if (n > 0 && deltaSum !== undefined) point.mean = deltaSum / n;
  }
  return point;
}
