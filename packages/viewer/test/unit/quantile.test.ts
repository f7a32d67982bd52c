import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketQuantile } from '@lookout/viewer';

describe('bucketQuantile', () => {
  describe('bucketQuantile()', () => {
    it('should interpolate inside the bucket that holds the rank, as histogram_quantile does', () => {
      // 100 observations: 50 in (0, 0.1], 40 in (0.1, 0.5], 10 in (0.5, 1].
      const bounds = [0.1, 0.5, 1];
      const counts = [50, 40, 10, 0];
      expect(bucketQuantile(0.5, bounds, counts)).toBeCloseTo(0.1);
      expect(bucketQuantile(0.7, bounds, counts)).toBeCloseTo(0.1 + 0.4 * (20 / 40));
      expect(bucketQuantile(0.95, bounds, counts)).toBeCloseTo(0.5 + 0.5 * (5 / 10));
    });

    it('should give the highest finite bound for ranks in +Inf and undefined without observations', () => {
      expect(bucketQuantile(0.99, [1, 2], [0, 0, 5])).toBe(2);
      expect(bucketQuantile(0.5, [1, 2], [0, 0, 0])).toBeUndefined();
    });

    it('should stay within the bounds and grow with q', () => {
      fc.assert(
        fc.property(fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 }), fc.double({ min: 0.01, max: 0.98, noNaN: true }), (counts, q) => {
          const bounds = [0.1, 1, 10];
          const a = bucketQuantile(q, bounds, counts);
          const b = bucketQuantile(q + 0.01, bounds, counts);
          if (a === undefined) return counts.every((c) => c === 0);
          return a >= 0 && a <= 10 && b! >= a - 1e-12;
        }),
      );
    });
  });
});
