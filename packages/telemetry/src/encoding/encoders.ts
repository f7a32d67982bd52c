import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { EncodedBatch } from '@lookout/core';
import { encodeJsonBatch } from './jsonBatch.js';
import type { TelemetryEvent, TelemetryFormat } from '../types.js';
import { createResourceLookup, recordAttributes, SCOPE, SEVERITY_INFO, toHrTime } from './logRecords.js';
import type { EncoderContext } from './logRecords.js';
import { createOtlpJsonEncoder } from './otlpJson.js';

/** Content type of OTLP/HTTP protobuf bodies. */
export const OTLP_PROTO_CONTENT_TYPE = 'application/x-protobuf';

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

/**
 * Creates the encoder for `format`. OTLP formats map each event to one log record whose
 * `event_name` is the event name and whose attributes are the properties plus `event.id`,
 * `session.id`, `user.id`, `enduser.pseudo.id` and `lookout.sample_rate` (these win over
 * properties of the same name); the resource carries `service.name`, `service.version` (the
 * event's `appVersion`) and `lookout.platform`. `otlp-proto` uses OpenTelemetry's own serializer;
 * `otlp-json` is written by {@link createOtlpJsonEncoder} (equal output, without the serializer).
 */
export function createEncoder(format: TelemetryFormat, context: EncoderContext): EventEncoder {
  if (format === 'json') return encodeJsonBatch;
  if (format === 'otlp-json') return createOtlpJsonEncoder(context);
  const resourceFor = createResourceLookup(context);
  const resources = new Map<object, LogRecordView['resource']>();
  const toRecords = (events: readonly TelemetryEvent[]): LogRecordView[] =>
    events.map((e) => {
      const attributes = resourceFor(e);
      let resource = resources.get(attributes);
      if (resource === undefined) resources.set(attributes, (resource = { attributes }));
      return toLogRecord(e, resource);
    });
  return (events) => ({ body: requireBody(ProtobufLogsSerializer.serializeRequest(toRecords(events) as never)), contentType: OTLP_PROTO_CONTENT_TYPE });
}

function toLogRecord(event: TelemetryEvent, resource: LogRecordView['resource']): LogRecordView {
  const time = toHrTime(event.timestamp);
  return {
    hrTime: time,
    hrTimeObserved: time,
    severityNumber: SEVERITY_INFO,
    severityText: 'INFO',
    attributes: recordAttributes(event) as Record<string, AttributeValue>,
    droppedAttributesCount: 0,
    resource,
    instrumentationScope: SCOPE,
    eventName: event.name,
  };
}

function requireBody(body: Uint8Array | undefined): Uint8Array {
  if (body === undefined) throw new Error('the OTLP serializer returned nothing');
  return body;
}
