import type { EncodedBatch } from '@lookout/core';
import { utf8 } from './jsonBatch.js';
import type { TelemetryEvent } from '../types.js';
import { createResourceLookup, JSON_CONTENT_TYPE, recordAttributes, SCOPE, SEVERITY_INFO, toHrTime } from './logRecords.js';
import type { EncoderContext, ResourceAttributes } from './logRecords.js';

type AnyValue = Record<string, unknown>;

/**
 * The OTLP/HTTP JSON encoder (`ExportLogsServiceRequest`), written out by hand so pages do not
 * load OpenTelemetry's serializers: the same records as `createEncoder('otlp-json')` (one per
 * event, grouped by resource; a test holds both outputs equal), in a few hundred bytes.
 */
export function createOtlpJsonEncoder(context: EncoderContext): (events: readonly TelemetryEvent[]) => EncodedBatch {
  const resourceFor = createResourceLookup(context);
  return (events) => {
    const groups = new Map<ResourceAttributes, unknown[]>();
    for (const event of events) {
      const resource = resourceFor(event);
      let records = groups.get(resource);
      if (records === undefined) groups.set(resource, (records = []));
      const time = nanos(toHrTime(event.timestamp));
      records.push({
        timeUnixNano: time,
        observedTimeUnixNano: time,
        severityNumber: SEVERITY_INFO,
        severityText: 'INFO',
        body: {},
        eventName: event.name,
        attributes: keyValues(recordAttributes(event)),
        droppedAttributesCount: 0,
      });
    }
    const resourceLogs: unknown[] = [];
    for (const [attributes, logRecords] of groups) {
      resourceLogs.push({ resource: { attributes: keyValues(attributes), droppedAttributesCount: 0 }, scopeLogs: [{ scope: SCOPE, logRecords }] });
    }
    return { body: utf8(JSON.stringify({ resourceLogs })), contentType: JSON_CONTENT_TYPE };
  };
}

/** Nanoseconds since the epoch as the decimal string OTLP/JSON uses for 64-bit integers. */
function nanos([seconds, ns]: [number, number]): string {
  return seconds === 0 ? String(ns) : `${seconds}${String(ns).padStart(9, '0')}`;
}

function keyValues(attributes: Record<string, unknown>): unknown[] {
  return Object.keys(attributes).map((key) => ({ key, value: anyValue(attributes[key]) }));
}

/**
 * OTLP `AnyValue` of a JSON value: integers within int64 as `intValue`, other numbers as
 * `doubleValue`, `null` as `{}`.
 */
function anyValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return numberValue(value);
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === 'object' && value !== null) return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
  return {};
}

/**
 * The rule of OpenTelemetry's protobuf serializer, so both OTLP formats type a number alike:
 * `int_value` is an int64, so only integers in [-2^63, 2^63) go there (receivers reject `1e+21` or
 * 2^63 as one and fail the whole batch). Past 2^53 the integer is written as its exact decimal
 * string, as proto3's JSON mapping writes int64: the shortest JSON number (`1152921504606847000`
 * for 2^60) would be read back as a different integer.
 */
function numberValue(value: number): AnyValue {
  if (!Number.isInteger(value) || value < -(2 ** 63) || value >= 2 ** 63) return { doubleValue: value };
  return { intValue: Number.isSafeInteger(value) ? value : BigInt(value).toString() };
}
