import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEncoder } from '../../src/encoding/encoders.js';
import type { EncoderContext } from '../../src/encoding/logRecords.js';
import { createOtlpProtoEncoder, OTLP_PROTO_CONTENT_TYPE } from '../../src/encoding/otlpProto.js';
import type { JsonValue, TelemetryEvent } from '../../src/types.js';
import { decodeOtlpLogsProto } from '../helpers/otlpDecode.js';
import { createReferenceEncoder } from '../helpers/otlpReference.js';

const context: EncoderContext = { appName: 'shop', resourceAttributes: { 'deployment.environment.name': 'prod', 'app.build': 42, 'app.debug': false, 'app.ratio': 0.25 } };
const NUMBER_EDGES = [0, -0, 1, -1, 127, 128, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 2 ** 60, -(2 ** 60), 2 ** 63 - 1024, 2 ** 63, -(2 ** 63), -(2 ** 63) - 2048, 1e21, -1e21, 0.5, -0.1, 1e300, Number.MAX_VALUE, Number.MIN_VALUE];

function event(overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return { id: 'e1', name: 'click', timestamp: 1_700_000_000_123, sessionId: 's1', appVersion: '1.0.0', platform: 'node/20 linux x64', properties: {}, ...overrides };
}

/** Encodes each batch with a new Lookout encoder and a new reference, or with one of each for all batches. */
function bothEncoders(batches: ReadonlyArray<readonly TelemetryEvent[]>, ctx: EncoderContext = context): { ours: Uint8Array[]; reference: Uint8Array[] } {
  const encode = createOtlpProtoEncoder(ctx);
  const reference = createReferenceEncoder('proto', ctx);
  return { ours: batches.map((b) => encode(b).body as Uint8Array), reference: batches.map((b) => reference(b)) };
}

function expectSameBytes(batches: ReadonlyArray<readonly TelemetryEvent[]>, ctx?: EncoderContext): void {
  const { ours, reference } = bothEncoders(batches, ctx);
  for (let i = 0; i < batches.length; i++) expect(Buffer.from(ours[i]!).toString('hex')).toBe(Buffer.from(reference[i]!).toString('hex'));
}

const key = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.constantFrom('event.id', 'session.id', 'user.id', 'enduser.pseudo.id', 'lookout.sample_rate', '__proto__', '0', '7', '4294967295', 'constructor'),
  fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
);
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12, unit: 'binary' }), fc.string({ minLength: 120, maxLength: 300 }));
const scalar: fc.Arbitrary<JsonValue> = fc.oneof(text, fc.boolean(), fc.constant(null), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...NUMBER_EDGES));
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
})).value;
const anEvent: fc.Arbitrary<TelemetryEvent> = fc.record(
  {
    id: fc.uuid(),
    name: fc.oneof(fc.constantFrom('command', 'feature'), fc.string({ minLength: 1, maxLength: 140, unit: 'binary' })),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.maxSafeNat()),
    sessionId: fc.string({ minLength: 1, maxLength: 40 }),
    userId: fc.string({ minLength: 1, maxLength: 20 }),
    anonymousId: fc.string({ minLength: 1, maxLength: 20 }),
    appVersion: fc.constantFrom('1.0.0', '2.0.0', 'é'),
    platform: fc.constantFrom('node/20 linux x64', 'browser'),
    sampleRate: fc.double({ min: 0.001, max: 1, noNaN: true }),
    properties: fc.dictionary(key, json, { maxKeys: 8 }),
  },
  { requiredKeys: ['id', 'name', 'timestamp', 'sessionId', 'appVersion', 'platform', 'properties'] },
) as fc.Arbitrary<TelemetryEvent>;

describe('createOtlpProtoEncoder', () => {
  describe('encode', () => {
    it('should write the bytes of OpenTelemetry’s protobuf serializer for every kind of property value', () => {
      const events = [
        event({ properties: { n: 1, d: 1.5, neg: -3, big: 2 ** 53 - 1, s: 'x', t: true, f: false, z: null, list: [1, 'two', { three: 3 }, [], null], nested: { a: { b: 2 } }, empty: {} }, userId: 'u1', sampleRate: 0.5 }),
        event({ id: 'e2', appVersion: '2.0.0', anonymousId: 'anon' }),
        event({ id: 'e3', timestamp: 999, properties: { 'event.id': 'spoofed', 'user.id': 'kept: the event has no user', 2: 'an index key comes first' } }),
        event({ id: 'e4', platform: 'browser', properties: JSON.parse('{"before":1,"__proto__":{"x":[1]},"after":2}') as TelemetryEvent['properties'] }),
        event({ id: 'e5', name: 'ünïcödé ✓ 😀', properties: { text: 'naïve 😀 \ud800 lone', long: 'x'.repeat(200), longer: 'y'.repeat(20_000), numbers: NUMBER_EDGES } }),
        // Own properties only, at any depth.
        event({ id: 'e6', properties: Object.assign(Object.create({ inherited: 'no' }) as object, { own: 'yes', nested: Object.assign(Object.create({ deep: 'no' }) as object, { kept: 1 }) }) }),
      ];
      const body = createOtlpProtoEncoder(context)(events);
      expect(body.contentType).toBe(OTLP_PROTO_CONTENT_TYPE);
      expectSameBytes([events]);
    });

    it('should be the encoder createEncoder gives for otlp-proto', () => {
      const events = [event({ properties: { a: 1 } })];
      expect(createEncoder('otlp-proto', context)(events)).toEqual(createOtlpProtoEncoder(context)(events));
    });

    it('should write what a receiver decodes as the event', () => {
      const [record] = decodeOtlpLogsProto(createOtlpProtoEncoder(context)([event({ properties: { plan: 'pro', seats: 3 }, userId: 'u1' })]).body as Uint8Array);
      expect(record).toMatchObject({
        eventName: 'click',
        severityText: 'INFO',
        timeUnixNano: 1_700_000_000_123_000_000n,
        attributes: { plan: 'pro', seats: 3, 'event.id': 'e1', 'session.id': 's1', 'user.id': 'u1' },
        resource: { 'service.name': 'shop', 'service.version': '1.0.0', 'lookout.platform': 'node/20 linux x64', 'app.build': 42 },
        scope: { name: '@lookout/telemetry', version: '0.1.0' },
      });
    });

    it('should write an empty request for no events, as OpenTelemetry does', () => {
      expectSameBytes([[]]);
    });

    it('should group records by resource in order of first appearance, past the lookup’s cache of resources too', () => {
      // 70 app versions: past the 64 the lookup remembers, each event gets a resource of its own.
      const events = Array.from({ length: 140 }, (_, i) => event({ id: `e${i}`, appVersion: `${i % 70}.0.0`, platform: i % 3 === 0 ? 'browser' : 'node' }));
      // Runs of one version and platform: one resource while the lookup keeps it, one each past its cache.
      const runs = (versions: string[]) => versions.map((appVersion, i) => event({ id: `r${i}`, appVersion, platform: 'node' }));
      const early = runs(['1.0.0', '1.0.0', '99.0.0', '99.0.0', '99.0.0', '1.0.0']);
      const late = runs(['200.0.0', '200.0.0', '200.0.0', '1.0.0', '1.0.0', '201.0.0', '201.0.0']);
      expectSameBytes([early, events.slice(0, 100), events.slice(100), late, events, early, late]);
    });

    it('should grow its buffer for a batch larger than it guessed', () => {
      const events = Array.from({ length: 3 }, (_, i) => event({ id: `e${i}`, properties: { blob: 'z'.repeat(100_000 * (i + 1)), list: Array.from({ length: 2000 }, (_, j) => j * i) } }));
      expectSameBytes([events]);
    });

    it('should match OpenTelemetry for arbitrary events, batches and timestamps', () => {
      fc.assert(
        fc.property(fc.array(fc.array(anEvent, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), (batches) => {
          expectSameBytes(batches);
        }),
        { numRuns: 300 },
      );
    });

    it('should match OpenTelemetry for arbitrary resource attributes', () => {
      const value = fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
      fc.assert(
        fc.property(fc.dictionary(key, value, { maxKeys: 10 }), fc.string({ maxLength: 30 }), (resourceAttributes, appName) => {
          expectSameBytes([[event(), event({ id: 'e2', appVersion: '9' })]], { appName, resourceAttributes });
        }),
        { numRuns: 100 },
      );
    });
  });
});
