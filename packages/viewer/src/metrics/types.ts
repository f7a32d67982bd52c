/** How a metric is shown: counters as rates, gauges as values, histograms as p50/p95/p99. */
export type MetricKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

/** What is known about one metric. */
export interface MetricInfo {
  /** OpenTelemetry name (`http.server.request.duration`). */
  name: string;
  kind: MetricKind;
  unit: string;
  description: string;
  /** Which app: the viewer's `sourceName`, or the posting process's `service.name`. */
  source: string;
  /** Histograms: upper bounds (the last bucket is `+Inf`). */
  bounds?: readonly number[];
}

/** One series as read from a registry or an OTLP post: cumulative values. */
export interface RawSeries {
  metric: MetricInfo;
  labels: Record<string, string>;
  /** Identity across reads: source, metric and label values. */
  key: string;
  /** Counter total, gauge value, or histogram observation count. */
  value: number;
  /** Histograms: sum of observations; undefined when not known (a pushed point without one). */
  sum?: number;
  /** Histograms: per-bucket counts, not cumulative; the last is `+Inf`. */
  counts?: readonly number[];
  /**
   * True for pushed series (OTLP posts): their rate and histogram delta are `change`, computed
   * from the exporter's own points and timestamps, never by differencing reads.
   */
  pushed?: boolean;
  /** Pushed series: the change between their last two points, once there is one. */
  change?: PushedChange;
}

/** What changed between a pushed series' last two points, by the exporter's timestamps. */
export interface PushedChange {
  /** Increase per second. */
  rate: number;
  /** Histograms: observations per bucket, their sum (undefined when not known) and count. */
  deltaCounts?: number[];
  deltaSum?: number;
  deltaCount?: number;
  /** When (ms, the viewer's clock) the change goes stale and is no longer shown. */
  until: number;
}

/** One series with what changed since the previous read. */
export interface SeriesPoint {
  metric: MetricInfo;
  labels: Record<string, string>;
  value: number;
  /** Counters and histograms: increase per second since the previous read (undefined on the first), or between a pushed series' last two points. */
  rate?: number;
  /** Histograms: p50, p95, p99 of the observations since the previous read. */
  quantiles?: [number, number, number];
  /** Histograms: mean of the observations since the previous read; undefined when their sum is not known. */
  mean?: number;
  /** Histograms: per-bucket observations since the previous read (to aggregate quantiles). */
  deltaCounts?: number[];
  /** Histograms: sum of the observations since the previous read; undefined when not known. */
  deltaSum?: number;
}

/** A metric with its series, as a page receives it. */
export interface MetricView {
  name: string;
  kind: MetricKind;
  unit: string;
  description: string;
  source: string;
  /** Series: `l` labels, `v` value, `r` rate per second, `q` [p50, p95, p99], `m` mean. */
  series: { l: Record<string, string>; v: number; r?: number; q?: [number, number, number]; m?: number }[];
}

/** The metrics message of a stream. */
export interface MetricsFrame {
  time: number;
  intervalMs: number;
  /** Series that matched the stream's filter. */
  totalSeries: number;
  /** True when more than `limit` series matched and each metric was aggregated over its labels. */
  aggregated: boolean;
  limit: number;
  metrics: MetricView[];
}
