import { gunzipSync } from 'node:zlib';
import type { ReceivedRequest } from '../../../../testing/backends.js';
import { decodeOtlpLogsJson } from '../../../telemetry/test/helpers/otlpDecode.js';

/** One OTLP/JSON log record as a flat event: its name, attributes and resource attributes. */
export interface ReceivedEvent {
  name: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** Decodes an OTLP/HTTP JSON logs request to /v1/logs (gzip or not) into events; other requests give none. */
export function decodeEvents(request: ReceivedRequest): ReceivedEvent[] {
  if (request.method !== 'POST' || !request.url.startsWith('/v1/logs')) return [];
  const raw = request.headers['content-encoding'] === 'gzip' ? gunzipSync(request.body) : request.body;
  return decodeOtlpLogsJson(raw.toString('utf8')).map((r) => ({ name: r.eventName, attributes: r.attributes, resource: r.resource }));
}

/** Every event in `requests`, in arrival order. */
export function allEvents(requests: readonly ReceivedRequest[]): ReceivedEvent[] {
  return requests.flatMap(decodeEvents);
}
