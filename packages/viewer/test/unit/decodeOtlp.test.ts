import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeLogsJson, decodeLogsProto, decodeMetricsProto } from '../../src/ingest/decodeOtlp.js';

/** The fields of an SDK ReadableLogRecord that OpenTelemetry's serializers read. */
function logRecord(overrides: Record<string, unknown>) {
  return {
    hrTime: [1_700_000_000, 123_000_000],
    hrTimeObserved: [1_700_000_000, 123_000_000],
    severityNumber: 9,
    severityText: 'INFO',
    attributes: {},
    droppedAttributesCount: 0,
    resource: { attributes: { 'service.name': 'svc' } },
    instrumentationScope: { name: 'scope', version: '1' },
    ...overrides,
  };
}

describe('decodeOtlp', () => {
  describe('decodeLogsProto()', () => {
    it('should read what the official serializer writes, the same as its JSON twin', () => {
      const records = [
        logRecord({ eventName: 'cart.add', attributes: { n: -42, big: 2 ** 40, ok: true, ratio: 0.25, tags: ['a', 'b'], nested: { k: 'v' } }, body: 'hello' }),
        logRecord({ severityNumber: 17, severityText: 'ERROR', body: { kvlist: 1 } }),
      ];
      const proto = decodeLogsProto(ProtobufLogsSerializer.serializeRequest(records as never)!);
      const json = decodeLogsJson(JSON.parse(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records as never))));
      expect(proto).toEqual(json);
      expect(proto[0]!.resource).toEqual({ 'service.name': 'svc' });
      expect(proto[0]!.logs[0]).toEqual({
        timeMs: 1_700_000_000_123,
        severityNumber: 9,
        severityText: 'INFO',
        body: 'hello',
        eventName: 'cart.add',
        attributes: { n: -42, big: 2 ** 40, ok: true, ratio: 0.25, tags: ['a', 'b'], nested: { k: 'v' } },
      });
    });

    it('should throw RangeError, never loop or crash, on arbitrary bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          for (const decode of [decodeLogsProto, decodeMetricsProto]) {
            try {
              decode(bytes);
            } catch (error) {
              expect(error).toBeInstanceOf(RangeError);
            }
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
