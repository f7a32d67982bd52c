import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEncoder } from '../../src/encoding/encoders.js';
import type { EncoderContext } from '../../src/encoding/logRecords.js';
import { createOtlpJsonEncoder } from '../../src/encoding/otlpJson.js';
import type { TelemetryEvent } from '../../src/types.js';
import { decodeOtlpLogsJson, decodeOtlpLogsProto } from '../helpers/otlpDecode.js';

const context: EncoderContext = { appName: 'shop', resourceAttributes: { 'app.build': 2 ** 60 } };
const EDGES = [0, -0, 1, -1, 2 ** 53 - 1, 2 ** 53, 2 ** 60, -(2 ** 60), 2 ** 63 - 1024, 2 ** 63, -(2 ** 63), -(2 ** 63) - 2048, 1e21, -1e21, 1e300, 0.5, Number.MAX_VALUE];

function event(properties: Record<string, number | number[]>): TelemetryEvent {
  return { id: 'e1', name: 'n', timestamp: 1_700_000_000_000, sessionId: 's1', appVersion: '1.0.0', platform: 'node', properties };
}

function text(body: Uint8Array | string): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

/** Each attribute as both encoders typed it: `bigint` for `intValue`/`int_value`, number for doubles. */
function bothFormats(e: TelemetryEvent) {
  const proto = decodeOtlpLogsProto(createEncoder('otlp-proto', context)([e]).body as Uint8Array, true);
  const json = decodeOtlpLogsJson(text(createOtlpJsonEncoder(context)([e]).body), true);
  return { proto, json };
}

describe('createOtlpJsonEncoder', () => {
  describe('encode', () => {
    it('should write intValue only for integers within int64, as a number only where it is safe', () => {
      const body = JSON.parse(text(createOtlpJsonEncoder(context)([event({ a: 1e21, b: 2 ** 63, c: 2 ** 60, d: -(2 ** 63), e: 42, f: 1e300 })]).body)) as {
        resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ attributes: Array<{ key: string; value: unknown }> }> }> }>;
      };
      const attributes = Object.fromEntries(body.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes.map((kv) => [kv.key, kv.value]) ?? []);
      expect(attributes).toMatchObject({
        a: { doubleValue: 1e21 },
        b: { doubleValue: 2 ** 63 },
        c: { intValue: '1152921504606846976' },
        d: { intValue: '-9223372036854775808' },
        e: { intValue: 42 },
        f: { doubleValue: 1e300 },
      });
    });

    it('should type every number as the protobuf encoder does, with the same value', () => {
      const properties = Object.fromEntries(EDGES.map((v, i) => [`n${i}`, v]));
      const { proto, json } = bothFormats(event({ ...properties, list: EDGES }));
      expect(json).toEqual(proto);
      expect(proto[0]?.attributes.n6).toBe(2n ** 60n);
      expect(proto[0]?.attributes.n9).toBe(2 ** 63);
      expect(proto[0]?.resource['app.build']).toBe(2n ** 60n);
    });

    it('should agree with the protobuf encoder on arbitrary numbers', () => {
      const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(...EDGES), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(Number));
      fc.assert(
        fc.property(fc.array(number, { minLength: 1, maxLength: 8 }), (values) => {
          const { proto, json } = bothFormats(event({ ...Object.fromEntries(values.map((v, i) => [`n${i}`, v])), list: values }));
          expect(json).toEqual(proto);
        }),
        { numRuns: 300 },
      );
    });
  });
});
