import { snapshotRegistry, type Diagnostics, type InstrumentKind, type MetricsRegistry } from '@lookout/core';
import type { HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';

// The SDK's enum values, so the exit path loads no OpenTelemetry module (the unit test checks
// them against @opentelemetry/sdk-metrics).
const DATA_POINT_HISTOGRAM = 0;
const DATA_POINT_GAUGE = 2;
const DATA_POINT_SUM = 3;
const TEMPORALITY_CUMULATIVE = 1;
const VALUE_TYPE_DOUBLE = 1;

/** Marks a spooled exit snapshot, with its layout's version. */
export const OTLP_EXIT_SNAPSHOT_FORMAT = 'lookout.otlp-exit-snapshot/1';

/** A number as JSON can hold it: non-finite values (a gauge's NaN, an infinite sum) as `"NaN"`, `"Infinity"`, `"-Infinity"`. */
type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** One series of a snapshot: attributes under their OpenTelemetry keys, and its value or histogram state. */
export interface ExitSnapshotSeries {
  /** Every declared key, empty values included (OTLP keeps `room=""`, as core's producer does). */
  attributes: Record<string, string>;
  /** The overflow series (`otel.metric.overflow=true`). */
  overflow?: true;
  /** Where this series' cumulative stream starts (ms since the epoch); absent in older spools, which use the metric's. */
  startTimeMs?: number;
  /** Counter, up-down counter or gauge value. */
  value?: JsonNumber;
  /** Histogram: per-bucket counts (not cumulative), the last one `+Inf`. */
  counts?: number[];
  sum?: JsonNumber;
  count?: number;
  /** Histogram, once something was observed: the smallest and largest value. A negative `min` means no sum is sent. */
  min?: JsonNumber;
  max?: JsonNumber;
}

/** One instrument in a snapshot: its OpenTelemetry descriptor, start time and series. */
export interface ExitSnapshotMetric {
  name: string;
  kind: InstrumentKind;
  unit: string;
  description: string;
  /** Where the cumulative series start (ms since the epoch). */
  startTimeMs: number;
  /** Histogram: finite upper bounds. */
  bounds?: number[];
  series: ExitSnapshotSeries[];
}

/**
 * What a run that ended with `process.exit()` keeps for OTLP: the registry's cumulative state,
 * read synchronously, and the resource it belongs to. The next run turns it into an
 * `ExportMetricsServiceRequest` ({@link snapshotToResourceMetrics}) and sends it.
 */
export interface OtlpExitSnapshot {
  format: typeof OTLP_EXIT_SNAPSHOT_FORMAT;
  /** When it was taken (ms since the epoch, registry clock): the points' end time. */
  timeMs: number;
  /** Resource attributes given by the configuration (`service.name` …). */
  resource: Record<string, string>;
  /** `OTEL_RESOURCE_ATTRIBUTES` of that run, as found: it fills what `resource` does not set. */
  resourceEnv?: string;
  metrics: ExitSnapshotMetric[];
}

/**
 * Reads the registry synchronously (observable callbacks that answer synchronously included;
 * asynchronous ones are started, not awaited) and returns the snapshot as JSON. For the `exit`
 * event: no OpenTelemetry module is loaded and nothing is awaited. Never throws: a registry
 * without instruments gives `undefined`, and so does a failure (with one diagnostic).
 */
export function takeOtlpExitSnapshot(registry: MetricsRegistry, resource: Record<string, string>, resourceEnv: string | undefined): string | undefined {
  try {
    // prepareCollection runs every callback synchronously up to its first `await`.
    registry.prepareCollection().catch(() => {});
    const timeMs = registry.now();
    const metrics: ExitSnapshotMetric[] = [];
    for (const m of snapshotRegistry(registry)) {
      // An instrument without series is left out, as core's producer leaves it out.
      if (m.series.length === 0) continue;
      const series: ExitSnapshotSeries[] = [];
      for (const s of m.series) {
        const out: ExitSnapshotSeries = { attributes: s.overflow ? {} : otlpAttributes(m.attributeKeys, s.attributes), startTimeMs: s.startTime };
        if (s.overflow) out.overflow = true;
        if (m.kind === 'histogram') {
          out.counts = [...(s.counts ?? [])];
          out.sum = toJsonNumber(s.sum ?? 0);
          out.count = s.count ?? 0;
          if (s.min !== undefined && s.max !== undefined) {
            out.min = toJsonNumber(s.min);
            out.max = toJsonNumber(s.max);
          }
        } else {
          out.value = toJsonNumber(s.value);
        }
        series.push(out);
      }
      metrics.push({
        name: m.name,
        kind: m.kind,
        unit: m.unit,
        description: m.description,
        startTimeMs: m.startTime,
        ...(m.bounds === undefined ? {} : { bounds: [...m.bounds] }),
        series,
      });
    }
    // Nothing recorded, or a registry that could not be read (reported by snapshotRegistry): nothing to spool.
    if (metrics.length === 0) return undefined;
    const snapshot: OtlpExitSnapshot = { format: OTLP_EXIT_SNAPSHOT_FORMAT, timeMs, resource, ...(resourceEnv === undefined ? {} : { resourceEnv }), metrics };
    return JSON.stringify(snapshot);
  } catch (error) {
    registry.diag.internalError(error, 'OTLP exit snapshot');
    return undefined;
  }
}

/** A spooled snapshot read back, or `undefined` (one diagnostic) when it is not one this version can send. Never throws. */
export function parseOtlpExitSnapshot(body: Uint8Array | string, diag: Diagnostics): OtlpExitSnapshot | undefined {
  try {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    const value = JSON.parse(text) as Partial<OtlpExitSnapshot> | null;
    if (value !== null && typeof value === 'object' && value.format === OTLP_EXIT_SNAPSHOT_FORMAT && Number.isFinite(value.timeMs) && Array.isArray(value.metrics) && isStringRecord(value.resource)) {
      return value as OtlpExitSnapshot;
    }
  } catch {
    // Reported below.
  }
  diag.warn('otlp.snapshot-invalid', 'a spooled OTLP exit snapshot could not be read (damaged, or written by another version); it is dropped', 'otlp.snapshot-invalid');
  return undefined;
}

/**
 * The OpenTelemetry `ResourceMetrics` of a snapshot, exactly as core's SDK producer gives a live
 * collection: cumulative sums (monotonic for counters), gauges, and histograms with explicit
 * buckets, count, min and max, and their sum unless a negative value was observed, all as
 * doubles, under `scope`; each point starts where its series started, and a metric without
 * points is left out. Ready for the OTLP serializers. Series or metrics that do not hold
 * together are skipped.
 */
export function snapshotToResourceMetrics(snapshot: OtlpExitSnapshot, resource: Resource, scope: { name: string; version?: string }): ResourceMetrics {
  const endTime = hrTime(snapshot.timeMs);
  const metrics: MetricData[] = [];
  for (const m of snapshot.metrics) {
    if (m === null || typeof m !== 'object' || typeof m.name !== 'string' || !Array.isArray(m.series)) continue;
    const descriptor = { name: m.name, description: String(m.description ?? ''), unit: String(m.unit ?? ''), valueType: VALUE_TYPE_DOUBLE };
    const metricStartMs = Number.isFinite(m.startTimeMs) ? m.startTimeMs : snapshot.timeMs;
    // Each series' own start (spools written before per-series start times have the metric's).
    const point = (s: ExitSnapshotSeries, value: unknown): object => ({
      startTime: hrTime(Number.isFinite(s.startTimeMs) ? s.startTimeMs! : metricStartMs),
      endTime,
      attributes: s.overflow === true ? { 'otel.metric.overflow': true } : isStringRecord(s.attributes) ? { ...s.attributes } : {},
      value,
    });
    if (m.kind === 'histogram') {
      const boundaries = Array.isArray(m.bounds) ? m.bounds.filter((b) => typeof b === 'number') : [];
      const dataPoints: object[] = [];
      for (const s of m.series) {
        const counts = Array.isArray(s?.counts) ? s.counts : [];
        const sum = fromJsonNumber(s?.sum);
        if (counts.length !== boundaries.length + 1 || !counts.every((c) => Number.isFinite(c)) || sum === undefined || !Number.isFinite(s.count)) continue;
        const value: Histogram = { buckets: { boundaries, counts: [...counts] }, count: s.count! };
        const min = fromJsonNumber(s.min);
        const max = fromJsonNumber(s.max);
        // As core's producer: no sum once a negative value was observed (OTLP HistogramDataPoint.sum:
        // "Negative events can be recorded, but sum should not be filled out when doing so").
        if (min === undefined || min >= 0) value.sum = sum;
        if (min !== undefined && max !== undefined) {
          value.min = min;
          value.max = max;
        }
        dataPoints.push(point(s, value));
      }
      if (dataPoints.length > 0) metrics.push({ descriptor, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPointType: DATA_POINT_HISTOGRAM, dataPoints } as MetricData);
      continue;
    }
    const points: object[] = [];
    for (const s of m.series) {
      const value = fromJsonNumber(s?.value);
      if (value !== undefined) points.push(point(s, value));
    }
    // A metric without points is left out, as core's producer leaves out an instrument without series.
    if (points.length === 0) continue;
    if (m.kind === 'counter' || m.kind === 'observablecounter' || m.kind === 'updowncounter') {
      metrics.push({ descriptor, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPointType: DATA_POINT_SUM, isMonotonic: m.kind !== 'updowncounter', dataPoints: points } as MetricData);
    } else {
      metrics.push({ descriptor, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPointType: DATA_POINT_GAUGE, dataPoints: points } as MetricData);
    }
  }
  return { resource, scopeMetrics: [{ scope: { ...scope }, metrics }] };
}

/**
 * A series' OpenTelemetry attributes with every declared key: core's snapshot leaves empty values
 * out of `attributes` (an empty Prometheus label is no label, and the viewer reads it that way),
 * while OTLP and core's producer keep them.
 */
function otlpAttributes(keys: readonly string[], attributes: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = attributes[k] ?? '';
  return out;
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

function toJsonNumber(n: number): JsonNumber {
  return Number.isFinite(n) ? n : (String(n) as JsonNumber);
}

function fromJsonNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : undefined;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
