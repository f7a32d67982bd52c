import type { EncodedBatch } from '@lookout/core';
import { encodeJsonBatch } from './jsonBatch.js';
import type { TelemetryEvent, TelemetryFormat } from '../types.js';
import type { EncoderContext } from './logRecords.js';
import { createOtlpJsonEncoder } from './otlpJson.js';
import { createOtlpProtoEncoder } from './otlpProto.js';

export { OTLP_PROTO_CONTENT_TYPE } from './otlpProto.js';

/** Turns a batch of events into a request body. */
export type EventEncoder = (events: readonly TelemetryEvent[]) => EncodedBatch;

/**
 * Creates the encoder for `format`. OTLP formats map each event to one log record whose
 * `event_name` is the event name and whose attributes are the properties plus `event.id`,
 * `session.id`, `user.id`, `enduser.pseudo.id` and `lookout.sample_rate` (these win over
 * properties of the same name); the resource carries `service.name`, `service.version` (the
 * event's `appVersion`) and `lookout.platform`. Both are written by hand, without OpenTelemetry's
 * serializers: `otlp-proto` by {@link createOtlpProtoEncoder} (the bytes of its
 * `ProtobufLogsSerializer`), `otlp-json` by {@link createOtlpJsonEncoder}.
 */
export function createEncoder(format: TelemetryFormat, context: EncoderContext): EventEncoder {
  if (format === 'json') return encodeJsonBatch;
  if (format === 'otlp-json') return createOtlpJsonEncoder(context);
  return createOtlpProtoEncoder(context);
}
