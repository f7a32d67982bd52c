import { describe, expect, it } from 'vitest';
import { classifyValue, computeBudgetValue, defineBudget, histogramQuantile, readBudgetSample, scoreValue, type BudgetSample } from '@lookout/core/budgets';
import { fakeClockRegistry } from './helpers.js';

describe('budget evaluation', () => {
  describe('histogramQuantile', () => {
    it('should interpolate inside the bucket that holds the rank, like Prometheus', () => {
      // 100 observations spread evenly over (0, 0.8]: 12 / 13 / 25 / 50 per bucket.
      const bounds = [0.1, 0.2, 0.4, 0.8];
      const counts = [12, 13, 25, 50, 0];
      expect(histogramQuantile(0.9, bounds, counts)).toBeCloseTo(0.72, 12);
      expect(histogramQuantile(0.5, bounds, counts)).toBeCloseTo(0.4, 12);
      expect(histogramQuantile(0.06, bounds, counts)).toBeCloseTo(0.05, 12);
    });

    it('should return the highest finite bound for a rank in +Inf, and NaN without data', () => {
      expect(histogramQuantile(0.99, [1, 2], [0, 1, 9])).toBe(2);
      expect(histogramQuantile(0.5, [1, 2], [0, 0, 0])).toBeNaN();
      expect(histogramQuantile(1.5, [1], [1, 0])).toBe(Infinity);
    });
  });

  describe('computeBudgetValue', () => {
    const q = { metric: 'm', aggregation: 'rate' as const, direction: 'above' as const, labels: {}, total: undefined, windowMs: 10_000 };
    const s = (t: number, value: number): BudgetSample => ({ t, start: 0, sum: 0, count: 0, value });

    it('should rate over the window from the newest sample a window old', () => {
      // 100 at t=5 s, 160 at t=15 s, 400 at t=25 s: the window of 10 s ends at 25 s, baseline 15 s.
      expect(computeBudgetValue(q, [s(5000, 100), s(15_000, 160), s(25_000, 400)])).toBe(24);
    });

    it('should count from the instrument start while no sample is a window old', () => {
      expect(computeBudgetValue(q, [s(2000, 10), s(4000, 40)])).toBe(10);
    });

    it('should count from zero after a counter reset', () => {
      expect(computeBudgetValue(q, [s(0, 500), s(12_000, 30)])).toBe(2.5);
    });

    it('should average a gauge over the samples inside the window', () => {
      const g = { ...q, aggregation: 'avg' as const };
      expect(computeBudgetValue(g, [s(0, 1000), s(5000, 10), s(10_000, 20), s(15_000, 30)])).toBe(25);
      expect(computeBudgetValue({ ...g, aggregation: 'max' }, [s(0, 1000), s(5000, 10), s(10_000, 20)])).toBe(20);
    });
  });

  describe('readBudgetSample', () => {
    it('should sum matching series of a histogram and skip the others', () => {
      const { registry } = fakeClockRegistry();
      const h = registry.histogram('op.duration', { unit: 's', labels: ['op', 'outcome'], buckets: [0.1, 1] });
      h.record(0.05, { op: 'a', outcome: 'ok' });
      h.record(0.5, { op: 'b', outcome: 'ok' });
      h.record(5, { op: 'b', outcome: 'error' });
      const b = defineBudget('op_duration_seconds', { target: 1, warning: 2, critical: 3, labels: { outcome: 'ok' } });
      const sample = readBudgetSample(registry, b, 0);
      expect(sample).toMatchObject({ counts: [1, 1, 0], count: 2, sum: 0.55 });
    });

    it('should take the worst gauge series by direction', () => {
      const { registry } = fakeClockRegistry();
      const g = registry.gauge('fps', { labels: ['screen'] });
      g.set(58, { screen: 'a' });
      g.set(31, { screen: 'b' });
      const low = defineBudget('fps', { aggregation: 'last', target: 60, warning: 45, critical: 30 });
      expect(readBudgetSample(registry, low, 0)?.value).toBe(31);
      const high = defineBudget('fps', { aggregation: 'last', target: 10, warning: 20, critical: 30 });
      expect(readBudgetSample(registry, high, 0)?.value).toBe(58);
    });
  });

  describe('classifyValue and scoreValue', () => {
    const above = { direction: 'above' as const, target: 50, warning: 100, critical: 250 };
    const below = { direction: 'below' as const, target: 60, warning: 45, critical: 30 };

    it('should classify with thresholds exclusive', () => {
      expect([40, 100, 101, 250, 251].map((v) => classifyValue(above, v))).toEqual(['ok', 'ok', 'warning', 'warning', 'critical']);
      expect([60, 45, 44, 30, 29].map((v) => classifyValue(below, v))).toEqual(['ok', 'ok', 'warning', 'warning', 'critical']);
    });

    it('should score 100 within target, 85 at warning, 60 at critical, 0 far past it', () => {
      expect([50, 75, 100, 175, 250, 325, 400, 1000].map((v) => scoreValue(above, v))).toEqual([100, 92.5, 85, 72.5, 60, 30, 0, 0]);
      expect([61, 45, 30, 15].map((v) => scoreValue(below, v))).toEqual([100, 85, 60, 0]);
    });
  });
});
