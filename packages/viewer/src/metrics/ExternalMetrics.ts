import { createHash } from 'node:crypto';
import type { OtlpMetric, OtlpMetricGroup, OtlpPoint } from '../ingest/decodeOtlp.js';
import type { MetricInfo, PushedChange, RawSeries } from './types.js';

/** Most label pairs kept per posted series. */
const MAX_LABELS = 16;
const MAX_LABEL_VALUE_LENGTH = 256;
const MAX_LABEL_KEY_LENGTH = 128;
/** Longest metric name, unit and description kept (OpenTelemetry's instrument limits: 255, 63, 1023). */
const MAX_NAME_LENGTH = 255;
const MAX_UNIT_LENGTH = 63;
const MAX_DESCRIPTION_LENGTH = 1023;
/** Most histogram buckets kept; the rest are merged into the last (`+Inf`) one. */
const MAX_BUCKETS = 256;
/** What a series or metric costs besides its text and buckets (objects, map entries), in bytes. */
const ENTRY_OVERHEAD_BYTES = 256;
/** The label that tells apart the series of several instances of one service. */
export const INSTANCE_LABEL = 'service.instance.id';
/** A pushed rate is shown until this many of the exporter's intervals pass without a new point. */
const STALE_AFTER_INTERVALS = 2;
/** ...and for at least this long (ms), so a fast exporter's rate does not flicker. */
const MIN_STALE_MS = 2000;

interface Entry extends RawSeries {
  counts: number[];
  pushed: true;
  /** Exporter time of the last point (ms), or the viewer's clock when the point had none. */
  time: number;
  /** `start_time_unix_nano` of the last cumulative point (ms; 0 when not given). */
  startTime: number;
  /** Which producer: its `service.instance.id`, else a hash of its resource. */
  instance: string;
  /** The metric's entry in `_instances`. */
  metricKey: string;
  /** What this entry is counted for in `_bytes`. */
  bytes: number;
}

/**
 * Series that other processes posted over OTLP, kept as cumulative values (delta points are
 * added up) and bounded: names, units, descriptions, label keys and values are clipped, past
 * {@link MAX_BUCKETS} buckets are merged, and past `maxSeries` series or `maxBytes` (estimated
 * from their text and buckets), points of new series are dropped and counted.
 *
 * Counters and histograms get their rate (and histogram delta) from the exporter's own points:
 * between the last two points of a cumulative series, by their timestamps, or over a delta
 * point's start..time window, like Prometheus' `rate()` over samples. The change is shown on
 * every read until the next point arrives, or until it is stale.
 */
export class ExternalMetrics {
  private readonly _series = new Map<string, Entry>();
  private readonly _metrics = new Map<string, MetricInfo>();
  /** Producers seen per metric (bounded by the series they created). */
  private readonly _instances = new Map<string, Set<string>>();
  /** Points refused because the store was full. */
  dropped = 0;
  /** Estimated bytes held by series and metrics. */
  private _bytes = 0;

  constructor(
    private readonly _maxSeries: number,
    private readonly _maxBytes: number,
  ) {}

  get size(): number {
    return this._series.size;
  }

  /** Adds the points of an OTLP metrics request received at `now` (ms); `source` is the resource's `service.name`. */
  add(groups: readonly OtlpMetricGroup[], sourceOf: (resource: Record<string, unknown>) => string, now: number): number {
    let points = 0;
    for (const group of groups) {
      const source = sourceOf(group.resource);
      // Several instances of one service post the same series: each resource is its own producer.
      const resource = resourceIdentity(group.resource);
      for (const m of group.metrics) {
        const name = clip(m.name, MAX_NAME_LENGTH);
        const metricKey = `${source}\u0001${name}`;
        let info = this._metrics.get(metricKey);
        if (info === undefined || info.kind !== m.kind) {
          info = { name, kind: m.kind, unit: clip(m.unit, MAX_UNIT_LENGTH), description: clip(m.description, MAX_DESCRIPTION_LENGTH), source };
          const bytes = infoBytes(info);
          if (this._metrics.size < this._maxSeries && this._bytes + bytes <= this._maxBytes) {
            this._bytes += bytes - (this._metrics.has(metricKey) ? infoBytes(this._metrics.get(metricKey)!) : 0);
            this._metrics.set(metricKey, info);
          }
        }
        for (const p of m.points) {
          const labels = toLabels(p.attributes);
          const key = `${metricKey}\u0001${resource.hash}\u0001${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join('\u0002')}`;
          let entry = this._series.get(key);
          if (entry === undefined) {
            entry = { metric: info, labels, key, value: 0, counts: [], pushed: true, time: 0, startTime: 0, instance: resource.instance, metricKey, bytes: 0 };
            entry.bytes = entryBytes(entry, Math.min(p.bucketCounts?.length ?? 0, MAX_BUCKETS + 1));
            if (this._series.size >= this._maxSeries || this._bytes + entry.bytes > this._maxBytes) {
              this.dropped++;
              continue;
            }
            this._bytes += entry.bytes;
            this._series.set(key, entry);
            let instances = this._instances.get(metricKey);
            if (instances === undefined) this._instances.set(metricKey, (instances = new Set()));
            instances.add(resource.instance);
          }
          points++;
          addPoint(entry, info, m, m.kind === 'histogram' ? capBuckets(p) : p, now);
          // Buckets can change with the bounds; keep the estimate true (and the total bounded by MAX_BUCKETS).
          const bytes = entryBytes(entry, entry.counts.length);
          this._bytes += bytes - entry.bytes;
          entry.bytes = bytes;
        }
      }
    }
    return points;
  }

  /** Every series; those of a metric that more than one producer posts are labelled with {@link INSTANCE_LABEL}. */
  forEach(fn: (series: RawSeries) => void): void {
    for (const entry of this._series.values()) {
      if (!(INSTANCE_LABEL in entry.labels) && (this._instances.get(entry.metricKey)?.size ?? 0) > 1) {
        entry.labels = { ...entry.labels, [INSTANCE_LABEL]: entry.instance };
      }
      fn(entry);
    }
  }

  clear(): void {
    this._series.clear();
    this._metrics.clear();
    this._instances.clear();
    this._bytes = 0;
  }
}

/** Adds one point to its series and, for counters and histograms, works out what changed. */
function addPoint(entry: Entry, info: MetricInfo, m: OtlpMetric, p: OtlpPoint, now: number): void {
  const time = p.timeMs > 0 ? p.timeMs : now;
  const rated = m.kind === 'counter' || m.kind === 'histogram';
  // A point no newer than the last one (a retry, or out of order) changes nothing.
  if (rated && entry.time > 0 && time <= entry.time) return;
  const first = entry.time === 0;
  const previous = { value: entry.value, sum: entry.sum, counts: entry.counts, time: entry.time };
  // Delta points carry their own window; cumulative ones are compared with the previous point.
  const windowMs = m.delta ? (p.startTimeMs > 0 && p.startTimeMs < time ? time - p.startTimeMs : first ? 0 : time - previous.time) : first ? 0 : time - previous.time;
  // A new start time or a lower value is a restart: count from zero, as Prometheus' rate() does.
  const restarted = !m.delta && !first && ((p.startTimeMs > 0 && entry.startTime > 0 && p.startTimeMs !== entry.startTime) || (p.count ?? p.value ?? 0) < previous.value);
  entry.time = time;
  if (!m.delta) entry.startTime = p.startTimeMs;

  if (m.kind === 'histogram') {
    const bounds = p.bounds ?? [];
    const counts = p.bucketCounts ?? [];
    let reset = false;
    if (info.bounds === undefined || !sameBounds(info.bounds, bounds)) {
      info.bounds = bounds;
      entry.counts = [];
      reset = true;
    }
    let deltaCounts: number[];
    // Undefined where a point has no sum: its mean is not known (never taken as 0).
    let deltaSum: number | undefined;
    let deltaCount: number;
    if (m.delta) {
      deltaCounts = counts.slice();
      deltaSum = p.sum;
      deltaCount = p.count ?? 0;
      if (entry.counts.length !== counts.length) {
        entry.counts = counts.slice();
        entry.value = deltaCount;
        entry.sum = deltaSum;
      } else {
        for (let i = 0; i < counts.length; i++) entry.counts[i]! += counts[i]!;
        entry.value += deltaCount;
        entry.sum = entry.sum === undefined || deltaSum === undefined ? undefined : entry.sum + deltaSum;
      }
    } else {
      const from = restarted || reset || previous.counts.length !== counts.length ? undefined : previous;
      deltaCounts = counts.map((c, i) => (from === undefined ? c : Math.max(0, c - from.counts[i]!)));
      const fromSum = from === undefined ? 0 : from.sum;
      deltaSum = p.sum === undefined || fromSum === undefined ? undefined : p.sum - fromSum;
      deltaCount = (p.count ?? 0) - (from?.value ?? 0);
      entry.counts = counts.slice();
      entry.value = p.count ?? 0;
      entry.sum = p.sum;
    }
    if (windowMs > 0) entry.change = { ...changeOver(deltaCount, windowMs, now), deltaCounts, deltaSum, deltaCount };
    return;
  }
  if (p.value === undefined) return;
  const increase = m.delta ? p.value : restarted ? p.value : p.value - previous.value;
  entry.value = m.delta ? entry.value + p.value : p.value;
  if (m.kind === 'counter' && windowMs > 0) entry.change = changeOver(increase, windowMs, now);
}

/** A rate of `increase` over `windowMs`, shown until the exporter is overdue. */
function changeOver(increase: number, windowMs: number, now: number): PushedChange {
  return { rate: increase / (windowMs / 1000), until: now + Math.max(MIN_STALE_MS, STALE_AFTER_INTERVALS * windowMs) };
}

/**
 * A producer's identity: a hash of all its resource attributes (service.instance.id, host,
 * pid…), and the instance name shown: its `service.instance.id`, else the hash's start.
 */
function resourceIdentity(resource: Record<string, unknown>): { hash: string; instance: string } {
  const canonical = JSON.stringify(Object.keys(resource).sort().map((k) => [k, resource[k]]));
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
  const id = resource[INSTANCE_LABEL];
  return { hash, instance: typeof id === 'string' && id !== '' ? id.slice(0, MAX_LABEL_VALUE_LENGTH) : `resource-${hash.slice(0, 8)}` };
}

function toLabels(attributes: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  let n = 0;
  for (const key of Object.keys(attributes).sort()) {
    if (n++ >= MAX_LABELS) break;
    const v = attributes[key];
    const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
    labels[clip(key, MAX_LABEL_KEY_LENGTH)] = clip(text, MAX_LABEL_VALUE_LENGTH);
  }
  return labels;
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** A histogram point with at most {@link MAX_BUCKETS} finite bounds: the buckets past them are merged into `+Inf`. */
function capBuckets(p: OtlpPoint): OtlpPoint {
  const bounds = p.bounds ?? [];
  const counts = p.bucketCounts ?? [];
  if (bounds.length <= MAX_BUCKETS && counts.length <= MAX_BUCKETS + 1) return p;
  const kept = counts.slice(0, MAX_BUCKETS);
  let rest = 0;
  for (let i = MAX_BUCKETS; i < counts.length; i++) rest += counts[i]!;
  return { ...p, bounds: bounds.slice(0, MAX_BUCKETS), bucketCounts: [...kept, rest] };
}

/** Estimated bytes of a series: its key and labels (UTF-16), its buckets (current and previous counts), and overhead. */
function entryBytes(entry: Entry, buckets: number): number {
  let text = entry.key.length;
  for (const k in entry.labels) text += k.length + entry.labels[k]!.length;
  return 2 * text + 16 * buckets + ENTRY_OVERHEAD_BYTES;
}

function infoBytes(info: MetricInfo): number {
  return 2 * (info.name.length + info.unit.length + info.description.length + info.source.length) + 8 * (info.bounds?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
