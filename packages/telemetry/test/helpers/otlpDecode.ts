// Decodes what a receiver gets: OTLP/HTTP logs as protobuf (with OpenTelemetry's own protobuf
// reader and the field numbers of opentelemetry/proto/logs/v1/logs.proto and common/v1/common.proto),
// OTLP/HTTP JSON, and Lookout's plain JSON batch.
import { ProtobufReader } from '@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader.js';

/** A decoded value; `int_value` is a `bigint` only when decoding with `exact` (else a rounded number). */
export type Any = string | number | bigint | boolean | null | Uint8Array | Any[] | { [key: string]: Any };

/** One decoded log record. */
export interface DecodedRecord {
  eventName: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  attributes: Record<string, Any>;
  resource: Record<string, Any>;
  scope: { name: string; version: string };
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

function fields(buf: Uint8Array, visit: (field: number, wire: number, reader: ProtobufReader, buf: Uint8Array) => boolean): void {
  const reader = new ProtobufReader(buf);
  while (!reader.isAtEnd()) {
    const { fieldNumber, wireType } = reader.readTag();
    if (!visit(fieldNumber, wireType, reader, buf)) reader.skip(wireType);
  }
}

function readFixed64(reader: ProtobufReader, buf: Uint8Array): bigint {
  const view = new DataView(buf.buffer, buf.byteOffset + reader.pos, 8);
  const value = view.getBigUint64(0, true);
  reader.skip(WIRE_FIXED64);
  return value;
}

function readDouble(reader: ProtobufReader, buf: Uint8Array): number {
  const view = new DataView(buf.buffer, buf.byteOffset + reader.pos, 8);
  const value = view.getFloat64(0, true);
  reader.skip(WIRE_FIXED64);
  return value;
}

/** An int64 varint, exactly: `readVarint()` rounds past 2^53 and reads negatives as huge numbers. */
function readInt64(reader: ProtobufReader, buf: Uint8Array): bigint {
  let value = 0n;
  for (let i = reader.pos, shift = 0n; i < buf.length; i++, shift += 7n) {
    const byte = buf[i] as number;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
  }
  reader.skip(WIRE_VARINT);
  return BigInt.asIntN(64, value);
}

function decodeAnyValue(buf: Uint8Array, exact: boolean): Any {
  let value: Any = null;
  fields(buf, (field, wire, r, b) => {
    if (field === 1 && wire === WIRE_LEN) value = r.readString();
    else if (field === 2 && wire === WIRE_VARINT) value = r.readVarint() !== 0;
    else if (field === 3 && wire === WIRE_VARINT) value = exact ? readInt64(r, b) : r.readVarint();
    else if (field === 4 && wire === WIRE_FIXED64) value = readDouble(r, b);
    else if (field === 5 && wire === WIRE_LEN) {
      const items: Any[] = [];
      fields(r.readBytes(), (f, w, rr) => {
        if (f !== 1 || w !== WIRE_LEN) return false;
        items.push(decodeAnyValue(rr.readBytes(), exact));
        return true;
      });
      value = items;
    } else if (field === 6 && wire === WIRE_LEN) {
      const map: Record<string, Any> = {};
      fields(r.readBytes(), (f, w, rr) => {
        if (f !== 1 || w !== WIRE_LEN) return false;
        const [k, v] = decodeKeyValue(rr.readBytes(), exact);
        map[k] = v;
        return true;
      });
      value = map;
    } else if (field === 7 && wire === WIRE_LEN) value = r.readBytes();
    else return false;
    return true;
  });
  return value;
}

function decodeKeyValue(buf: Uint8Array, exact: boolean): [string, Any] {
  let key = '';
  let value: Any = null;
  fields(buf, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LEN) key = r.readString();
    else if (field === 2 && wire === WIRE_LEN) value = decodeAnyValue(r.readBytes(), exact);
    else return false;
    return true;
  });
  return [key, value];
}

function decodeAttributesOf(buf: Uint8Array, attributeField: number, into: Record<string, Any>, exact: boolean): void {
  fields(buf, (field, wire, r) => {
    if (field === attributeField && wire === WIRE_LEN) {
      const [k, v] = decodeKeyValue(r.readBytes(), exact);
      into[k] = v;
      return true;
    }
    return false;
  });
}

/**
 * Decodes an `ExportLogsServiceRequest` protobuf body into its log records. With `exact`, an
 * `int_value` is an exact `bigint` and a `double_value` a number, so the two can be told apart.
 */
export function decodeOtlpLogsProto(body: Uint8Array, exact = false): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  fields(body, (field, wire, r) => {
    if (field !== 1 || wire !== WIRE_LEN) return false;
    const resource: Record<string, Any> = {};
    fields(r.readBytes(), (rf, rw, rr) => {
      if (rf === 1 && rw === WIRE_LEN) decodeAttributesOf(rr.readBytes(), 1, resource, exact);
      else if (rf === 2 && rw === WIRE_LEN) {
        const scope = { name: '', version: '' };
        fields(rr.readBytes(), (sf, sw, sr) => {
          if (sf === 1 && sw === WIRE_LEN) {
            fields(sr.readBytes(), (f, w, x) => {
              if (f === 1 && w === WIRE_LEN) scope.name = x.readString();
              else if (f === 2 && w === WIRE_LEN) scope.version = x.readString();
              else return false;
              return true;
            });
          } else if (sf === 2 && sw === WIRE_LEN) {
            const recordBuf = sr.readBytes();
            const record: DecodedRecord = {
              eventName: '',
              timeUnixNano: 0n,
              observedTimeUnixNano: 0n,
              severityNumber: 0,
              severityText: '',
              attributes: {},
              resource,
              scope,
            };
            fields(recordBuf, (f, w, x, b) => {
              if (f === 1 && w === WIRE_FIXED64) record.timeUnixNano = readFixed64(x, b);
              else if (f === 11 && w === WIRE_FIXED64) record.observedTimeUnixNano = readFixed64(x, b);
              else if (f === 2 && w === WIRE_VARINT) record.severityNumber = x.readVarint();
              else if (f === 3 && w === WIRE_LEN) record.severityText = x.readString();
              else if (f === 6 && w === WIRE_LEN) {
                const [k, v] = decodeKeyValue(x.readBytes(), exact);
                record.attributes[k] = v;
              } else if (f === 12 && w === WIRE_LEN) record.eventName = x.readString();
              else return false;
              return true;
            });
            out.push(record);
          } else return false;
          return true;
        });
      } else return false;
      return true;
    });
    return true;
  });
  return out;
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: Array<{ key: string; value: JsonAnyValue }> };
  bytesValue?: string;
}

function fromJsonAny(v: JsonAnyValue | undefined, exact: boolean): Any {
  if (v === undefined) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return exact ? BigInt(v.intValue) : Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map((x) => fromJsonAny(x, exact));
  if (v.kvlistValue !== undefined) return fromJsonAttributes(v.kvlistValue.values, exact);
  return null;
}

function fromJsonAttributes(list: Array<{ key: string; value: JsonAnyValue }> | undefined, exact: boolean): Record<string, Any> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, fromJsonAny(kv.value, exact)]));
}

/** Decodes an OTLP/HTTP JSON `ExportLogsServiceRequest`; `exact` as for {@link decodeOtlpLogsProto}. */
export function decodeOtlpLogsJson(text: string, exact = false): DecodedRecord[] {
  const request = JSON.parse(text) as {
    resourceLogs?: Array<{
      resource?: { attributes?: Array<{ key: string; value: JsonAnyValue }> };
      scopeLogs?: Array<{
        scope?: { name?: string; version?: string };
        logRecords?: Array<{
          timeUnixNano?: string | number;
          observedTimeUnixNano?: string | number;
          severityNumber?: number;
          severityText?: string;
          attributes?: Array<{ key: string; value: JsonAnyValue }>;
          eventName?: string;
        }>;
      }>;
    }>;
  };
  const out: DecodedRecord[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = fromJsonAttributes(rl.resource?.attributes, exact);
    for (const sl of rl.scopeLogs ?? []) {
      const scope = { name: sl.scope?.name ?? '', version: sl.scope?.version ?? '' };
      for (const lr of sl.logRecords ?? []) {
        out.push({
          eventName: lr.eventName ?? '',
          timeUnixNano: BigInt(lr.timeUnixNano ?? 0),
          observedTimeUnixNano: BigInt(lr.observedTimeUnixNano ?? 0),
          severityNumber: lr.severityNumber ?? 0,
          severityText: lr.severityText ?? '',
          attributes: fromJsonAttributes(lr.attributes, exact),
          resource,
          scope,
        });
      }
    }
  }
  return out;
}
