import { ProtoReader, WIRE_FIXED64, WIRE_LEN } from './ProtoReader.js';

// Field numbers follow opentelemetry-proto: collector/{logs,metrics}/v1/*_service.proto,
// logs/v1/logs.proto, metrics/v1/metrics.proto, common/v1/common.proto, resource/v1/resource.proto.

/** One OTLP log record, decoded. */
export interface OtlpLog {
  /** Milliseconds since the epoch (`time_unix_nano`, else `observed_time_unix_nano`, else 0). */
  timeMs: number;
  severityText?: string;
  severityNumber?: number;
  body?: unknown;
  attributes: Record<string, unknown>;
  /** `event_name`: set for events (the telemetry package's records carry the event name here). */
  eventName?: string;
}

/** Log records with their resource's attributes. */
export interface OtlpLogGroup {
  resource: Record<string, unknown>;
  logs: OtlpLog[];
}

/** How an OTLP metric is shown. */
export type OtlpMetricKind = 'gauge' | 'counter' | 'updowncounter' | 'histogram';

/** One data point of a gauge, sum or explicit-bucket histogram. */
export interface OtlpPoint {
  attributes: Record<string, unknown>;
  /** `time_unix_nano` in milliseconds since the epoch; 0 when absent. */
  timeMs: number;
  /** `start_time_unix_nano` in milliseconds since the epoch; 0 when absent. */
  startTimeMs: number;
  value?: number;
  count?: number;
  /** Histograms: the sum of the observations; undefined when the point has none (OTLP leaves it out once a value was negative). */
  sum?: number;
  bucketCounts?: number[];
  bounds?: number[];
}

export interface OtlpMetric {
  name: string;
  unit: string;
  description: string;
  kind: OtlpMetricKind;
  /** True for delta temporality: points add to what was seen before. */
  delta: boolean;
  points: OtlpPoint[];
}

/** Metrics with their resource's attributes. `unsupported` counts metrics of types not shown (summary, exponential histogram). */
export interface OtlpMetricGroup {
  resource: Record<string, unknown>;
  metrics: OtlpMetric[];
  unsupported: number;
}

const TEMPORALITY_DELTA = 1;

// ------------------------------------------------------------------ protobuf

/** Decodes an `ExportLogsServiceRequest`. Throws `RangeError` on malformed input. */
export function decodeLogsProto(body: Uint8Array): OtlpLogGroup[] {
  const groups: OtlpLogGroup[] = [];
  const r = new ProtoReader(body);
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) groups.push(readResourceLogs(r.message()));
    else r.skip(wire);
  }
  return groups;
}

function readResourceLogs(r: ProtoReader): OtlpLogGroup {
  const group: OtlpLogGroup = { resource: {}, logs: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) group.resource = readResource(r.message());
    else if (field === 2 && wire === WIRE_LEN) readScopeLogs(r.message(), group.logs);
    else r.skip(wire);
  }
  return group;
}

function readScopeLogs(r: ProtoReader, out: OtlpLog[]): void {
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === WIRE_LEN) out.push(readLogRecord(r.message()));
    else r.skip(wire);
  }
}

function readLogRecord(r: ProtoReader): OtlpLog {
  const log: OtlpLog = { timeMs: 0, attributes: {} };
  let observed = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_FIXED64) log.timeMs = r.fixed64() / 1e6;
    else if (field === 11 && wire === WIRE_FIXED64) observed = r.fixed64() / 1e6;
    else if (field === 2 && wire === 0) log.severityNumber = r.varint();
    else if (field === 3 && wire === WIRE_LEN) log.severityText = r.string();
    else if (field === 5 && wire === WIRE_LEN) log.body = readAnyValue(r.message());
    else if (field === 6 && wire === WIRE_LEN) readKeyValue(r.message(), log.attributes);
    else if (field === 12 && wire === WIRE_LEN) log.eventName = r.string();
    else r.skip(wire);
  }
  if (log.timeMs === 0) log.timeMs = observed;
  return log;
}

function readResource(r: ProtoReader): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) readKeyValue(r.message(), attributes);
    else r.skip(wire);
  }
  return attributes;
}

function readKeyValue(r: ProtoReader, into: Record<string, unknown>): void {
  let key = '';
  let value: unknown;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) key = r.string();
    else if (field === 2 && wire === WIRE_LEN) value = readAnyValue(r.message());
    else r.skip(wire);
  }
  if (key !== '') into[key] = value ?? null;
}

function readAnyValue(r: ProtoReader): unknown {
  let value: unknown = null;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) value = r.string();
    else if (field === 2 && wire === 0) value = r.varint() !== 0;
    else if (field === 3 && wire === 0) value = r.int64();
    else if (field === 4 && wire === WIRE_FIXED64) value = r.double();
    else if (field === 5 && wire === WIRE_LEN) value = readArrayValue(r.message());
    else if (field === 6 && wire === WIRE_LEN) value = readKvList(r.message());
    else if (field === 7 && wire === WIRE_LEN) value = `[${r.bytes().length} bytes]`;
    else r.skip(wire);
  }
  return value;
}

function readArrayValue(r: ProtoReader): unknown[] {
  const out: unknown[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) out.push(readAnyValue(r.message()));
    else r.skip(wire);
  }
  return out;
}

function readKvList(r: ProtoReader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) readKeyValue(r.message(), out);
    else r.skip(wire);
  }
  return out;
}

/** Decodes an `ExportMetricsServiceRequest`. Throws `RangeError` on malformed input. */
export function decodeMetricsProto(body: Uint8Array): OtlpMetricGroup[] {
  const groups: OtlpMetricGroup[] = [];
  const r = new ProtoReader(body);
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) groups.push(readResourceMetrics(r.message()));
    else r.skip(wire);
  }
  return groups;
}

function readResourceMetrics(r: ProtoReader): OtlpMetricGroup {
  const group: OtlpMetricGroup = { resource: {}, metrics: [], unsupported: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) group.resource = readResource(r.message());
    else if (field === 2 && wire === WIRE_LEN) readScopeMetrics(r.message(), group);
    else r.skip(wire);
  }
  return group;
}

function readScopeMetrics(r: ProtoReader, group: OtlpMetricGroup): void {
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === WIRE_LEN) {
      const metric = readMetric(r.message());
      if (metric === undefined) group.unsupported++;
      else group.metrics.push(metric);
    } else r.skip(wire);
  }
}

function readMetric(r: ProtoReader): OtlpMetric | undefined {
  let name = '';
  let unit = '';
  let description = '';
  let data: Omit<OtlpMetric, 'name' | 'unit' | 'description'> | undefined;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) name = r.string();
    else if (field === 2 && wire === WIRE_LEN) description = r.string();
    else if (field === 3 && wire === WIRE_LEN) unit = r.string();
    else if (field === 5 && wire === WIRE_LEN) data = readNumberData(r.message(), 'gauge');
    else if (field === 7 && wire === WIRE_LEN) data = readNumberData(r.message(), 'sum');
    else if (field === 9 && wire === WIRE_LEN) data = readHistogramData(r.message());
    else r.skip(wire);
  }
  return data === undefined || name === '' ? undefined : { name, unit, description, ...data };
}

function readNumberData(r: ProtoReader, type: 'gauge' | 'sum'): Omit<OtlpMetric, 'name' | 'unit' | 'description'> {
  const points: OtlpPoint[] = [];
  let temporality = 0;
  let monotonic = false;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) points.push(readNumberPoint(r.message()));
    else if (type === 'sum' && field === 2 && wire === 0) temporality = r.varint();
    else if (type === 'sum' && field === 3 && wire === 0) monotonic = r.varint() !== 0;
    else r.skip(wire);
  }
  const kind: OtlpMetricKind = type === 'gauge' ? 'gauge' : monotonic ? 'counter' : 'updowncounter';
  return { kind, delta: type === 'sum' && temporality === TEMPORALITY_DELTA, points };
}

function readNumberPoint(r: ProtoReader): OtlpPoint {
  const point: OtlpPoint = { attributes: {}, timeMs: 0, startTimeMs: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 7 && wire === WIRE_LEN) readKeyValue(r.message(), point.attributes);
    else if (field === 2 && wire === WIRE_FIXED64) point.startTimeMs = r.fixed64() / 1e6;
    else if (field === 3 && wire === WIRE_FIXED64) point.timeMs = r.fixed64() / 1e6;
    else if (field === 4 && wire === WIRE_FIXED64) point.value = r.double();
    else if (field === 6 && wire === WIRE_FIXED64) point.value = r.sfixed64();
    else r.skip(wire);
  }
  return point;
}

function readHistogramData(r: ProtoReader): Omit<OtlpMetric, 'name' | 'unit' | 'description'> {
  const points: OtlpPoint[] = [];
  let temporality = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) points.push(readHistogramPoint(r.message()));
    else if (field === 2 && wire === 0) temporality = r.varint();
    else r.skip(wire);
  }
  return { kind: 'histogram', delta: temporality === TEMPORALITY_DELTA, points };
}

function readHistogramPoint(r: ProtoReader): OtlpPoint {
  const point: OtlpPoint = { attributes: {}, timeMs: 0, startTimeMs: 0, count: 0, bucketCounts: [], bounds: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 9 && wire === WIRE_LEN) readKeyValue(r.message(), point.attributes);
    else if (field === 2 && wire === WIRE_FIXED64) point.startTimeMs = r.fixed64() / 1e6;
    else if (field === 3 && wire === WIRE_FIXED64) point.timeMs = r.fixed64() / 1e6;
    else if (field === 4 && wire === WIRE_FIXED64) point.count = r.fixed64();
    else if (field === 5 && wire === WIRE_FIXED64) point.sum = r.double();
    else if (field === 6 && (wire === WIRE_LEN || wire === WIRE_FIXED64)) r.packed(wire, (x) => x.fixed64(), point.bucketCounts!);
    else if (field === 7 && (wire === WIRE_LEN || wire === WIRE_FIXED64)) r.packed(wire, (x) => x.double(), point.bounds!);
    else r.skip(wire);
  }
  return point;
}

// ------------------------------------------------------------------ JSON

type Json = Record<string, unknown>;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObject = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
/** OTLP JSON carries 64-bit integers as strings. */
const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** Whether a parsed JSON body is an OTLP logs request. */
export function isOtlpLogsJson(body: unknown): boolean {
  return Array.isArray(asObject(body).resourceLogs);
}

/** Whether a parsed JSON body is an OTLP metrics request. */
export function isOtlpMetricsJson(body: unknown): boolean {
  return Array.isArray(asObject(body).resourceMetrics);
}

/** Reads an OTLP/JSON `ExportLogsServiceRequest`. Tolerates missing fields. */
export function decodeLogsJson(body: unknown): OtlpLogGroup[] {
  return asArray(asObject(body).resourceLogs).map((rl) => {
    const o = asObject(rl);
    const logs: OtlpLog[] = [];
    for (const sl of asArray(o.scopeLogs)) {
      for (const raw of asArray(asObject(sl).logRecords)) {
        const lr = asObject(raw);
        const log: OtlpLog = {
          timeMs: (asNumber(lr.timeUnixNano) ?? asNumber(lr.observedTimeUnixNano) ?? 0) / 1e6,
          attributes: jsonAttributes(lr.attributes),
        };
        if (typeof lr.severityText === 'string') log.severityText = lr.severityText;
        const sev = asNumber(lr.severityNumber);
        if (sev !== undefined) log.severityNumber = sev;
        if (lr.body !== undefined) log.body = jsonAnyValue(lr.body);
        if (typeof lr.eventName === 'string' && lr.eventName !== '') log.eventName = lr.eventName;
        logs.push(log);
      }
    }
    return { resource: jsonAttributes(asObject(o.resource).attributes), logs };
  });
}

/** Reads an OTLP/JSON `ExportMetricsServiceRequest`. Tolerates missing fields. */
export function decodeMetricsJson(body: unknown): OtlpMetricGroup[] {
  return asArray(asObject(body).resourceMetrics).map((rm) => {
    const o = asObject(rm);
    const group: OtlpMetricGroup = { resource: jsonAttributes(asObject(o.resource).attributes), metrics: [], unsupported: 0 };
    for (const sm of asArray(o.scopeMetrics)) {
      for (const raw of asArray(asObject(sm).metrics)) {
        const m = asObject(raw);
        const name = typeof m.name === 'string' ? m.name : '';
        const base = { name, unit: typeof m.unit === 'string' ? m.unit : '', description: typeof m.description === 'string' ? m.description : '' };
        const delta = (data: Json): boolean => data.aggregationTemporality === TEMPORALITY_DELTA || data.aggregationTemporality === 'AGGREGATION_TEMPORALITY_DELTA';
        let metric: OtlpMetric | undefined;
        if (m.gauge !== undefined) {
          metric = { ...base, kind: 'gauge', delta: false, points: asArray(asObject(m.gauge).dataPoints).map(jsonNumberPoint) };
        } else if (m.sum !== undefined) {
          const sum = asObject(m.sum);
          metric = { ...base, kind: sum.isMonotonic === true ? 'counter' : 'updowncounter', delta: delta(sum), points: asArray(sum.dataPoints).map(jsonNumberPoint) };
        } else if (m.histogram !== undefined) {
          const h = asObject(m.histogram);
          metric = { ...base, kind: 'histogram', delta: delta(h), points: asArray(h.dataPoints).map(jsonHistogramPoint) };
        }
        if (metric === undefined || name === '') group.unsupported++;
        else group.metrics.push(metric);
      }
    }
    return group;
  });
}

/** A point's `timeUnixNano` and `startTimeUnixNano` in milliseconds (0 when absent). */
function jsonPointTimes(p: Json): { timeMs: number; startTimeMs: number } {
  return { timeMs: (asNumber(p.timeUnixNano) ?? 0) / 1e6, startTimeMs: (asNumber(p.startTimeUnixNano) ?? 0) / 1e6 };
}

function jsonNumberPoint(raw: unknown): OtlpPoint {
  const p = asObject(raw);
  const point: OtlpPoint = { attributes: jsonAttributes(p.attributes), ...jsonPointTimes(p) };
  const value = asNumber(p.asDouble) ?? asNumber(p.asInt);
  if (value !== undefined) point.value = value;
  return point;
}

function jsonHistogramPoint(raw: unknown): OtlpPoint {
  const p = asObject(raw);
  return {
    attributes: jsonAttributes(p.attributes),
    ...jsonPointTimes(p),
    count: asNumber(p.count) ?? 0,
    sum: asNumber(p.sum),
    bucketCounts: asArray(p.bucketCounts).map((c) => asNumber(c) ?? 0),
    bounds: asArray(p.explicitBounds).map((b) => asNumber(b) ?? 0),
  };
}

function jsonAttributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of asArray(list)) {
    const o = asObject(kv);
    if (typeof o.key === 'string' && o.key !== '') out[o.key] = jsonAnyValue(o.value);
  }
  return out;
}

function jsonAnyValue(raw: unknown): unknown {
  const v = asObject(raw);
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return asNumber(v.intValue) ?? null;
  if ('doubleValue' in v) return asNumber(v.doubleValue) ?? null;
  if ('arrayValue' in v) return asArray(asObject(v.arrayValue).values).map(jsonAnyValue);
  if ('kvlistValue' in v) return jsonAttributes(asObject(v.kvlistValue).values);
  if ('bytesValue' in v) return '[bytes]';
  return null;
}
