import type { EncodedBatch } from '@lookout/core';
import { globals } from '../internal/globals.js';
import type { TelemetryEvent } from '../types.js';
import { createResourceLookup, EVENT_ATTRIBUTES, SCOPE, SEVERITY_INFO, toHrTime } from './logRecords.js';
import type { EncoderContext, ResourceAttributes } from './logRecords.js';

/** Content type of OTLP/HTTP protobuf bodies. */
export const OTLP_PROTO_CONTENT_TYPE = 'application/x-protobuf';

/** Bytes a batch's buffer starts with per event; it doubles when a batch needs more. */
const INITIAL_BYTES_PER_EVENT = 256;
const TWO_32 = 2 ** 32;
const INT64_MIN = -(2 ** 63);
const INT64_MAX_EXCLUSIVE = 2 ** 63;

// Field tags (field number << 3 | wire type) of opentelemetry/proto/logs/v1/logs.proto and
// common/v1/common.proto, as single bytes.
/** ExportLogsServiceRequest.resource_logs, ResourceLogs.resource, Resource.attributes, KeyValue.key, KeyValueList.values, ArrayValue.values, InstrumentationScope.name, AnyValue.string_value. */
const TAG_1_LEN = 0x0a;
/** ResourceLogs.scope_logs, ScopeLogs.log_records, KeyValue.value, InstrumentationScope.version. */
const TAG_2_LEN = 0x12;
/** Resource.dropped_attributes_count, AnyValue.bool_value. */
const TAG_2_VARINT = 0x10;
const TAG_INT_VALUE = 0x18;
const TAG_DOUBLE_VALUE = 0x21;
const TAG_ARRAY_VALUE = 0x2a;
/** AnyValue.kvlist_value, LogRecord.attributes. */
const TAG_6_LEN = 0x32;
const TAG_TIME = 0x09;
const TAG_SEVERITY_NUMBER = 0x10;
const TAG_SEVERITY_TEXT = 0x1a;
const TAG_DROPPED_ATTRIBUTES = 0x38;
const TAG_OBSERVED_TIME = 0x59;
const TAG_EVENT_NAME = 0x62;

type Utf8Encoder = { encode(input: string): Uint8Array };

/** A growing protobuf buffer. Messages reserve room for their length and move their bytes when it needs more or less. */
class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  private _utf8: Utf8Encoder | undefined;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** `value` as it is. */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** `value` after its length. */
  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.raw(value);
  }

  /** A varint of `value` in [0, 2^32). */
  uint32(value: number): void {
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    let v = value >>> 0;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /** An int64 varint of an integer in [-2^63, 2^63): ten bytes when negative (two's complement). */
  int64(value: number): void {
    if (value >= 0 && value < TWO_32) return this.uint32(value);
    const magnitude = Math.abs(value);
    let high = Math.floor(magnitude / TWO_32);
    let low = magnitude - high * TWO_32;
    if (value < 0) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    this.uint64(low, high);
  }

  /** A varint of the 64-bit value `high * 2^32 + low`. */
  uint64(low: number, high: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (high > 0 || low > 0x7f) {
      buf[pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[pos++] = low;
    this.pos = pos;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, low, true);
    this.view.setUint32(this.pos + 4, high, true);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A length-prefixed UTF-8 string: ASCII byte by byte, anything else through `TextEncoder` (lone surrogates become U+FFFD). */
  string(value: string): void {
    const length = value.length;
    const start = this.pos;
    this.uint32(length);
    this.ensure(length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) {
        this.pos = start;
        this.bytes(this.utf8().encode(value));
        return;
      }
      buf[pos++] = code;
    }
    this.pos = pos;
  }

  /** Starts a length-delimited message: returns where its length goes, `reserved` bytes of room for it. */
  begin(reserved: number): number {
    this.ensure(reserved);
    const at = this.pos;
    this.pos += reserved;
    return at;
  }

  /** Writes the length of the message begun at `at`, moving its bytes when the length takes more or fewer than `reserved` bytes. */
  end(at: number, reserved: number): void {
    const length = this.pos - at - reserved;
    const size = varintSize(length);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buf.copyWithin(at + size, at + reserved, this.pos);
      this.pos += size - reserved;
    }
    const buf = this.buf;
    let pos = at;
    let v = length;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos] = v;
  }

  private utf8(): Utf8Encoder {
    if (this._utf8 !== undefined) return this._utf8;
    const Encoder = globals().TextEncoder;
    if (typeof Encoder !== 'function') throw new Error('TextEncoder is needed to encode non-ASCII text as OTLP protobuf');
    return (this._utf8 = new Encoder());
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value >>> 7; v > 0; v >>>= 7) size++;
  return size;
}

/** A `KeyValue` under `tag`. */
function writeKeyValue(w: Writer, tag: number, key: string, value: unknown): void {
  w.byte(tag);
  const at = w.begin(1);
  w.byte(TAG_1_LEN);
  w.string(key);
  w.byte(TAG_2_LEN);
  const valueAt = w.begin(1);
  writeAnyValue(w, value);
  w.end(valueAt, 1);
  w.end(at, 1);
}

/**
 * The fields of an `AnyValue` of a JSON value, as OpenTelemetry's protobuf serializer writes
 * them: integers in [-2^63, 2^63) as `int_value`, other numbers as `double_value`, object keys
 * in `for…in` order, `null` as an empty value.
 */
function writeAnyValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.byte(TAG_1_LEN);
      w.string(value);
      return;
    case 'boolean':
      w.byte(TAG_2_VARINT);
      w.byte(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
        w.byte(TAG_INT_VALUE);
        w.int64(value);
      } else {
        w.byte(TAG_DOUBLE_VALUE);
        w.double(value);
      }
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        w.byte(TAG_ARRAY_VALUE);
        const at = w.begin(1);
        for (let i = 0; i < value.length; i++) {
          w.byte(TAG_1_LEN);
          const itemAt = w.begin(1);
          writeAnyValue(w, value[i]);
          w.end(itemAt, 1);
        }
        w.end(at, 1);
        return;
      }
      w.byte(TAG_6_LEN);
      const at = w.begin(1);
      writeAttributes(w, TAG_1_LEN, value as Record<string, unknown>);
      w.end(at, 1);
    }
  }
}

/** Each own enumerable key of `attributes`, in `for…in` order, as a `KeyValue` under `tag`. */
function writeAttributes(w: Writer, tag: number, attributes: Record<string, unknown>): void {
  for (const key in attributes) {
    if (Object.prototype.hasOwnProperty.call(attributes, key)) writeKeyValue(w, tag, key, attributes[key]);
  }
}

/** Which of {@link EVENT_ATTRIBUTES} an attribute name is. */
const EVENT_FIELD = new Map(EVENT_ATTRIBUTES);

/**
 * The attributes of `recordAttributes(event)`, written without building them: each property, or
 * the event's own field of that name where it has one, then the event fields not written yet.
 */
function writeRecordAttributes(w: Writer, event: TelemetryEvent): void {
  const properties = event.properties;
  for (const key in properties) {
    if (!Object.prototype.hasOwnProperty.call(properties, key)) continue;
    const field = EVENT_FIELD.get(key);
    const own = field === undefined ? undefined : event[field];
    writeKeyValue(w, TAG_6_LEN, key, own === undefined ? properties[key] : own);
  }
  for (let i = 0; i < EVENT_ATTRIBUTES.length; i++) {
    const [key, field] = EVENT_ATTRIBUTES[i]!;
    const value = event[field];
    if (value !== undefined && !Object.prototype.hasOwnProperty.call(properties, key)) writeKeyValue(w, TAG_6_LEN, key, value);
  }
}

/**
 * `ms` since the epoch as 64-bit nanoseconds in 32-bit halves, `[low, high]`: `seconds * 1e9 + ns`
 * summed in parts that stay below 2^53 (seconds = upper * 2^16 + lower), as OpenTelemetry's
 * serializer sums them, so that even a time past 2^64 ns (the year 2554) wraps as it does there.
 */
function nanos64(ms: number): [number, number] {
  const [seconds, ns] = toHrTime(ms);
  const lower = seconds % 0x10000;
  const upperNanos = ((seconds - lower) / 0x10000) * 1e9;
  const sum = lower * 1e9 + ns + (upperNanos % 0x10000) * 0x10000;
  return [sum >>> 0, (Math.floor(upperNanos / 0x10000) + Math.floor(sum / TWO_32)) >>> 0];
}

/** One `ScopeLogs.log_records` entry. */
function writeLogRecord(w: Writer, event: TelemetryEvent): void {
  const [low, high] = nanos64(event.timestamp);
  w.byte(TAG_2_LEN);
  // Most records take 128 bytes or more: two bytes of length.
  const at = w.begin(2);
  w.byte(TAG_TIME);
  w.fixed64(low, high);
  w.byte(TAG_SEVERITY_NUMBER);
  w.uint32(SEVERITY_INFO);
  w.byte(TAG_SEVERITY_TEXT);
  w.string('INFO');
  writeRecordAttributes(w, event);
  w.byte(TAG_DROPPED_ATTRIBUTES);
  w.byte(0);
  w.byte(TAG_OBSERVED_TIME);
  w.fixed64(low, high);
  if (event.name) {
    w.byte(TAG_EVENT_NAME);
    w.string(event.name);
  }
  w.end(at, 2);
}

/** `ResourceLogs.resource`: the attributes, then a dropped count of 0. */
function encodeResource(attributes: ResourceAttributes): Uint8Array {
  const w = new Writer(256);
  w.byte(TAG_1_LEN);
  const at = w.begin(2);
  writeAttributes(w, TAG_1_LEN, attributes);
  w.byte(TAG_2_VARINT);
  w.byte(0);
  w.end(at, 2);
  return w.buf.slice(0, w.pos);
}

/** `ScopeLogs.scope`: this SDK's name and version. */
function encodeScope(): Uint8Array {
  const w = new Writer(64);
  w.byte(TAG_1_LEN);
  const at = w.begin(1);
  w.byte(TAG_1_LEN);
  w.string(SCOPE.name);
  w.byte(TAG_2_LEN);
  w.string(SCOPE.version);
  w.end(at, 1);
  return w.buf.slice(0, w.pos);
}

/**
 * The OTLP/HTTP protobuf encoder (`ExportLogsServiceRequest`), written straight into one buffer:
 * the bytes OpenTelemetry's `ProtobufLogsSerializer` makes of the same records (one per event,
 * grouped by resource in order of first appearance, one scope; a test holds the two equal),
 * without building a record object per event or sizing the request in a pass of its own.
 */
export function createOtlpProtoEncoder(context: EncoderContext): (events: readonly TelemetryEvent[]) => EncodedBatch {
  const resourceFor = createResourceLookup(context);
  const resources = new WeakMap<ResourceAttributes, Uint8Array>();
  const scope = encodeScope();
  return (events) => {
    const groups = new Map<ResourceAttributes, TelemetryEvent[]>();
    let group: TelemetryEvent[] = [];
    /** The first event of a run of one version and platform (all of a client's own events) whose resource the lookup keeps. */
    let run: TelemetryEvent | undefined;
    for (const event of events) {
      if (run === undefined || event.appVersion !== run.appVersion || event.platform !== run.platform) {
        const resource = resourceFor(event);
        // The lookup keeps a resource when it hands out the same object again: the run shares it.
        // Past its cache each event gets a resource of its own, here as there.
        run = resourceFor(event) === resource ? event : undefined;
        let found = groups.get(resource);
        if (found === undefined) groups.set(resource, (found = []));
        group = found;
      }
      group.push(event);
    }
    // The records of each resource, one after the other; the request is then put together around them.
    const records = new Writer(Math.max(64, events.length * INITIAL_BYTES_PER_EVENT));
    const parts: Array<{ resource: Uint8Array; records: Uint8Array }> = [];
    for (const [attributes, group] of groups) {
      let resource = resources.get(attributes);
      if (resource === undefined) resources.set(attributes, (resource = encodeResource(attributes)));
      const start = records.pos;
      for (const event of group) writeLogRecord(records, event);
      parts.push({ resource, records: records.buf.subarray(start, records.pos) });
    }
    let total = 0;
    for (const part of parts) total += 1 + lengthAndBytes(resourceLogsBytes(part.resource, scope, part.records));
    const out = new Writer(total);
    for (const part of parts) {
      out.byte(TAG_1_LEN);
      out.uint32(resourceLogsBytes(part.resource, scope, part.records));
      out.raw(part.resource);
      out.byte(TAG_2_LEN);
      out.uint32(scope.length + part.records.length);
      out.raw(scope);
      out.raw(part.records);
    }
    return { body: out.buf.subarray(0, out.pos), contentType: OTLP_PROTO_CONTENT_TYPE };
  };
}

/** Bytes of a `ResourceLogs` message: its resource, then one `ScopeLogs` of `scope` and `records`. */
function resourceLogsBytes(resource: Uint8Array, scope: Uint8Array, records: Uint8Array): number {
  return resource.length + 1 + lengthAndBytes(scope.length + records.length);
}

/** Bytes of a length-delimited field's length and content, `length` bytes of it. */
function lengthAndBytes(length: number): number {
  return varintSize(length) + length;
}
