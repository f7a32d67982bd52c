// The reference for Lookout's hand-written OTLP encoders: events mapped to the SDK log records that
// OpenTelemetry's own serializers read, one per event, as the protobuf encoder once did itself.
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { createResourceLookup, recordAttributes, SCOPE, SEVERITY_INFO, toHrTime } from '../../src/encoding/logRecords.js';
import type { EncoderContext } from '../../src/encoding/logRecords.js';
import type { TelemetryEvent } from '../../src/types.js';

/**
 * Returns what OpenTelemetry's serializer of `format` makes of each batch given to it. Like an
 * encoder, it keeps one resource lookup across batches, and records of one resource object share
 * one resource (OpenTelemetry groups records by that object).
 */
export function createReferenceEncoder(format: 'proto' | 'json', context: EncoderContext): (events: readonly TelemetryEvent[]) => Uint8Array {
  const resourceFor = createResourceLookup(context);
  const resources = new Map<object, { attributes: object }>();
  const serializer = format === 'proto' ? ProtobufLogsSerializer : JsonLogsSerializer;
  return (events) => {
    const records = events.map((e) => {
      const attributes = resourceFor(e);
      let resource = resources.get(attributes);
      if (resource === undefined) resources.set(attributes, (resource = { attributes }));
      const time = toHrTime(e.timestamp);
      return {
        hrTime: time,
        hrTimeObserved: time,
        severityNumber: SEVERITY_INFO,
        severityText: 'INFO',
        attributes: recordAttributes(e),
        droppedAttributesCount: 0,
        resource,
        instrumentationScope: SCOPE,
        eventName: e.name,
      };
    });
    const body = serializer.serializeRequest(records as never);
    if (body === undefined) throw new Error('the OTLP serializer returned nothing');
    return body;
  };
}
