import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { EncodedBatch } from '@lookout/core';
import { globals } from '../internal/globals.js';
import type { TelemetryEvent, TelemetryFormat } from '../types.js';

/** Name of this SDK in OTLP (`telemetry.sdk.name`, scope name) and in JSON batches. */
export const TELEMETRY_SDK_NAME = '@lookout/telemetry';
/** Version of this SDK; kept equal to package.json by a test. */
export const TELEMETRY_SDK_VERSION = '0.1.0';
/** Content type of OTLP/HTTP protobuf bodies. */
export const OTLP_PROTO_CONTENT_TYPE = 'application/x-protobuf';
/** Content type of OTLP/HTTP JSON and plain JSON bodies. */
export const JSON_CONTENT_TYPE = 'application/json';
/** OTLP severity number of every event (INFO). */
const SEVERITY_INFO = 9;

/** What an encoder needs to know about the client. */
export interface EncoderContext {
  appName: string;
  resourceAttributes: Readonly<Record<string, string | number | boolean>>;
}

/** Turns a batch of events into a request body. */
export type EventEncoder = (events: readonly TelemetryEvent[]) => EncodedBatch;

type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** The fields of an SDK `ReadableLogRecord` that OTel's serializers read. */
interface LogRecordView {
  hrTime: [number, number];
  hrTimeObserved: [number, number];
  severityNumber: number;
  severityText: string;
  body?: AttributeValue;
  attributes: Record<string, AttributeValue>;
  droppedAttributesCount: number;
  resource: { attributes: Record<string, string | number | boolean> };
  instrumentationScope: { name: string; version: string };
  eventName: string;
}

const SCOPE = { name: TELEMETRY_SDK_NAME, version: TELEMETRY_SDK_VERSION };

/**
 * Creates the encoder for `format`. OTLP formats map each event to one log record whose
 * `event_name` is the event name and whose attributes are the properties plus `event.id`,
 * `session.id`, `user.id`, `enduser.pseudo.id` and `lookout.sample_rate` (these win over
 * properties of the same name); the resource carries `service.name`, `service.version` (the
 * event's `appVersion`) and `lookout.platform`. Encoding uses OpenTelemetry's own serializers.
 */
export function createEncoder(format: TelemetryFormat, context: EncoderContext): EventEncoder {
  if (format === 'json') return encodeJsonBatch;
  const resources = new Map<string, LogRecordView['resource']>();
  const resourceFor = (event: TelemetryEvent): LogRecordView['resource'] => {
    const key = `${event.appVersion}\u0000${event.platform}`;
    let resource = resources.get(key);
    if (resource === undefined) {
      resource = {
        attributes: {
          ...context.resourceAttributes,
          'service.name': context.appName,
          'service.version': event.appVersion,
          'telemetry.sdk.name': TELEMETRY_SDK_NAME,
          'telemetry.sdk.version': TELEMETRY_SDK_VERSION,
          'telemetry.sdk.language': event.platform.startsWith('node') ? 'nodejs' : 'webjs',
          'lookout.platform': event.platform,
        },
      };
      // Spooled events of many app versions are rare; the bound keeps a misuse from growing it.
      if (resources.size < 64) resources.set(key, resource);
    }
    return resource;
  };
  const toRecords = (events: readonly TelemetryEvent[]): LogRecordView[] => events.map((e) => toLogRecord(e, resourceFor(e)));
  if (format === 'otlp-json') {
    return (events) => ({ body: requireBody(JsonLogsSerializer.serializeRequest(toRecords(events) as never)), contentType: JSON_CONTENT_TYPE });
  }
  return (events) => ({ body: requireBody(ProtobufLogsSerializer.serializeRequest(toRecords(events) as never)), contentType: OTLP_PROTO_CONTENT_TYPE });
}

/** The plain JSON batch: `{ "sdk": { name, version }, "events": [TelemetryEvent…] }`. */
export function encodeJsonBatch(events: readonly TelemetryEvent[]): EncodedBatch {
  const json = JSON.stringify({ sdk: SCOPE, events });
  const Encoder = globals().TextEncoder;
  return { body: typeof Encoder === 'function' ? new Encoder().encode(json) : json, contentType: JSON_CONTENT_TYPE };
}

function toLogRecord(event: TelemetryEvent, resource: LogRecordView['resource']): LogRecordView {
  const attributes: Record<string, AttributeValue> = { ...event.properties };
  attributes['event.id'] = event.id;
  attributes['session.id'] = event.sessionId;
  if (event.userId !== undefined) attributes['user.id'] = event.userId;
  if (event.anonymousId !== undefined) attributes['enduser.pseudo.id'] = event.anonymousId;
  if (event.sampleRate !== undefined) attributes['lookout.sample_rate'] = event.sampleRate;
  const time = toHrTime(event.timestamp);
  return {
    hrTime: time,
    hrTimeObserved: time,
    severityNumber: SEVERITY_INFO,
    severityText: 'INFO',
    attributes,
    droppedAttributesCount: 0,
    resource,
    instrumentationScope: SCOPE,
    eventName: event.name,
  };
}

function toHrTime(ms: number): [number, number] {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

function requireBody(body: Uint8Array | undefined): Uint8Array {
  if (body === undefined) throw new Error('the OTLP serializer returned nothing');
  return body;
}
