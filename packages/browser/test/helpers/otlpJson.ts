import type { ReceivedRequest } from '../../../../testing/backends.js';
import { gunzipSync } from 'node:zlib';

/** One OTLP/JSON log record as a flat event: its name, attributes and resource attributes. */
export interface ReceivedEvent {
  name: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: Array<{ key: string; value: JsonAnyValue }> };
}

function fromAny(v: JsonAnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(fromAny);
  if (v.kvlistValue !== undefined) return fromAttributes(v.kvlistValue.values);
  return null;
}

function fromAttributes(list: Array<{ key: string; value: JsonAnyValue }> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = fromAny(kv.value);
  return out;
}

/** Decodes an OTLP/HTTP JSON logs request to /v1/logs (gzip or not) into events; other requests give none. */
export function decodeEvents(request: ReceivedRequest): ReceivedEvent[] {
  if (request.method !== 'POST' || !request.url.startsWith('/v1/logs')) return [];
  const raw = request.headers['content-encoding'] === 'gzip' ? gunzipSync(request.body) : request.body;
  const body = JSON.parse(raw.toString('utf8')) as {
    resourceLogs?: Array<{
      resource?: { attributes?: Array<{ key: string; value: JsonAnyValue }> };
      scopeLogs?: Array<{ logRecords?: Array<{ eventName?: string; attributes?: Array<{ key: string; value: JsonAnyValue }> }> }>;
    }>;
  };
  const out: ReceivedEvent[] = [];
  for (const rl of body.resourceLogs ?? []) {
    const resource = fromAttributes(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) for (const lr of sl.logRecords ?? []) out.push({ name: lr.eventName ?? '', attributes: fromAttributes(lr.attributes), resource });
  }
  return out;
}

/** Every event in `requests`, in arrival order. */
export function allEvents(requests: readonly ReceivedRequest[]): ReceivedEvent[] {
  return requests.flatMap(decodeEvents);
}
