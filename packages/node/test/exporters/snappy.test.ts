import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snappyEncode } from '../../src/exporters/snappy.js';
import { snappyDecode } from '../helpers/snappyDecode.js';

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('snappyEncode', () => {
  describe('round trip', () => {
    it('should give back any input exactly', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
          expect(same(snappyDecode(snappyEncode(bytes)), bytes)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it('should give back repetitive input spanning several 64 KiB fragments, and compress it', () => {
      const text = new TextEncoder().encode('process_cpu_time_seconds_total{cpu_mode="user"} 0.25\n'.repeat(6000));
      const packed = snappyEncode(text);
      expect(same(snappyDecode(packed), text)).toBe(true);
      expect(packed.length).toBeLessThan(text.length / 10);
    });

    it('should give back long runs, which need split copies', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 200_000 }), (byte, n) => {
          const input = new Uint8Array(n).fill(byte);
          expect(same(snappyDecode(snappyEncode(input)), input)).toBe(true);
        }),
        { numRuns: 40 },
      );
    });

    it('should encode the empty input as its length alone', () => {
      expect([...snappyEncode(new Uint8Array(0))]).toEqual([0]);
    });
  });
});
