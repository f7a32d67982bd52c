import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTrendDetector, createZScoreDetector, linearRegression, DEFAULT_ZSCORE_THRESHOLD, DEFAULT_ZSCORE_WINDOW } from '@lookout/core/budgets';

/** The z-score of `value` against `window`, computed the slow way. */
function naiveZ(window: number[], value: number): number {
  const n = window.length;
  const mean = window.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return (value - mean) / sd;
}

describe('anomaly detection', () => {
  describe('createZScoreDetector', () => {
    it('should default to a window of 100 and a threshold of 3', () => {
      expect(DEFAULT_ZSCORE_WINDOW).toBe(100);
      expect(DEFAULT_ZSCORE_THRESHOLD).toBe(3);
    });

    it('should judge a value against the previous window on a known series', () => {
      const d = createZScoreDetector({ window: 4, minSamples: 4 });
      for (const v of [2, 4, 4, 4]) expect(d.update(v)?.zScore).toBeUndefined();
      // Window [2, 4, 4, 4]: mean 3.5, sample standard deviation 1.
      expect(d.update(5)).toMatchObject({ zScore: 1.5, mean: 3.5, stdDev: 1, anomalous: false, samples: 4 });
      // Window [4, 4, 4, 5]: mean 4.25, standard deviation 0.5.
      const r = d.update(10)!;
      expect(r.mean).toBeCloseTo(4.25, 12);
      expect(r.stdDev).toBeCloseTo(0.5, 12);
      expect(r.zScore).toBeCloseTo(11.5, 12);
      expect(r.anomalous).toBe(true);
    });

    it('should flag a spike in a noisy series and nothing else', () => {
      const d = createZScoreDetector();
      const flagged: number[] = [];
      for (let i = 0; i < 300; i++) {
        const v = i === 250 ? 160 : 100 + 10 * Math.sin(i * 1.7);
        if (d.update(v)?.anomalous) flagged.push(i);
      }
      expect(flagged).toEqual([250]);
    });

    it('should call a change on a constant series infinite', () => {
      const d = createZScoreDetector({ window: 10, minSamples: 5 });
      for (let i = 0; i < 10; i++) d.update(7);
      expect(d.update(7)).toMatchObject({ zScore: 0, anomalous: false });
      expect(d.update(8)).toMatchObject({ zScore: Infinity, anomalous: true });
    });

    it('should match the slow computation on any series', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 12, maxLength: 400 }), (values) => {
          const window = 10;
          const d = createZScoreDetector({ window, minSamples: window });
          values.forEach((v, i) => {
            const r = d.update(v)!;
            if (i < window) return;
            const w = values.slice(i - window, i);
            const expected = naiveZ(w, v);
            if (Number.isFinite(expected) && r.stdDev > 1e-3) expect(r.zScore!).toBeCloseTo(expected, 4);
          });
        }),
        { numRuns: 100 },
      );
    });

    it('should ignore non-finite values', () => {
      const d = createZScoreDetector();
      expect(d.update(NaN)).toBeUndefined();
      expect(d.update(Infinity)).toBeUndefined();
      expect(d.size).toBe(0);
    });
  });

  describe('linearRegression', () => {
    it('should fit a line exactly and report r² = 1', () => {
      expect(linearRegression([0, 1, 2, 3], [2, 2.5, 3, 3.5])).toEqual({ slope: 0.5, intercept: 2, r2: 1 });
    });

    it('should report a low r² for a series without a trend', () => {
      const xs = Array.from({ length: 20 }, (_, i) => i);
      const fit = linearRegression(xs, xs.map((i) => (i % 2 === 0 ? 1 : 3)))!;
      expect(fit.r2).toBeLessThan(0.05);
    });

    it('should refuse fewer than 2 points or a single x', () => {
      expect(linearRegression([1], [1])).toBeUndefined();
      expect(linearRegression([1, 1], [1, 2])).toBeUndefined();
    });
  });

  describe('createTrendDetector', () => {
    it('should give slope per second, r² and a forecast spaced like the points', () => {
      const d = createTrendDetector({ window: 5, forecastSteps: 3 });
      let r;
      // 10 MB growing 1 MB every 10 s.
      for (let i = 0; i < 8; i++) r = d.update(10 + i, 1_000_000 + i * 10_000);
      expect(r!.points).toBe(5);
      expect(r!.slope).toBeCloseTo(0.1, 12);
      expect(r!.r2).toBe(1);
      expect(r!.fitted).toBeCloseTo(17, 12);
      expect(r!.forecast.map((p) => p.t)).toEqual([1_080_000, 1_090_000, 1_100_000]);
      expect(r!.forecast.map((p) => p.value)).toEqual([18, 19, 20].map((v) => expect.closeTo(v, 9)));
    });

    it('should wait for three points', () => {
      const d = createTrendDetector();
      expect(d.update(1, 0)).toBeUndefined();
      expect(d.update(2, 1000)).toBeUndefined();
      expect(d.update(3, 2000)).toBeDefined();
    });
  });
});
