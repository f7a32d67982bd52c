import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOtlpJsonEncoder } from '../../src/encoding/otlpJson.js';
import type { EncoderContext } from '../../src/encoding/logRecords.js';
import type { JsonValue, TelemetryEvent } from '../../src/types.js';
import { createReferenceEncoder } from '../helpers/otlpReference.js';

const context: EncoderContext = { appName: 'shop', resourceAttributes: { 'deployment.environment.name': 'prod', 'app.build': 42 } };

/** What OpenTelemetry's own JSON serializer makes of the same events (the reference). */
function reference(events: readonly TelemetryEvent[]): unknown {
  return decode(createReferenceEncoder('json', context)(events));
}

function decode(body: Uint8Array | string): unknown {
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
}

/**
 * Whether OpenTelemetry's JSON serializer is a fair reference for `value`: it writes every integer
 * as `intValue`, even past int64 (`1e+21`), which receivers reject; past 2^53 ours follows its
 * protobuf serializer instead (test/regression/otlp-json-int64.test.ts).
 */
function otelJsonAgrees(value: JsonValue): boolean {
  if (typeof value === 'number') return !Number.isInteger(value) || Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every(otelJsonAgrees);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(otelJsonAgrees);
  return true;
}

function event(overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return { id: 'e1', name: 'click', timestamp: 1_700_000_000_123.456, sessionId: 's1', appVersion: '1.0.0', platform: 'browser', properties: {}, ...overrides };
}

describe('createOtlpJsonEncoder', () => {
  describe('encode', () => {
    it('should write what OpenTelemetry serializes for every kind of property value', () => {
      const events = [
        event({ properties: { n: 1, d: 1.5, neg: -3, big: 2 ** 53 - 1, s: 'x', t: true, z: null, list: [1, 'two', { three: 3 }], nested: { a: { b: 2 } } }, userId: 'u1', sampleRate: 0.5 }),
        event({ id: 'e2', appVersion: '2.0.0', anonymousId: 'anon' }),
        event({ id: 'e3', timestamp: 999, properties: { 'event.id': 'spoofed' } }),
      ];
      const encoded = createOtlpJsonEncoder(context)(events);
      expect(encoded.contentType).toBe('application/json');
      expect(decode(encoded.body)).toEqual(reference(events));
    });

    it('should group events by app version and platform into one resource each', () => {
      const events = [event(), event({ id: 'e2', platform: 'node/20' }), event({ id: 'e3' })];
      const body = decode(createOtlpJsonEncoder(context)(events).body) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }> };
      expect(body.resourceLogs.map((r) => r.scopeLogs[0]?.logRecords.length)).toEqual([2, 1]);
    });

    it('should match OpenTelemetry for arbitrary JSON properties and timestamps', () => {
      const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
      fc.assert(
        fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), json, { maxKeys: 6 }).filter(otelJsonAgrees), fc.integer({ min: 0, max: 4_000_000_000_000 }), (properties, timestamp) => {
          const events = [event({ properties, timestamp })];
          expect(decode(createOtlpJsonEncoder(context)(events).body)).toEqual(reference(events));
        }),
        { numRuns: 200 },
      );
    });
  });
});
