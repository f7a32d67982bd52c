import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPrometheus } from '@lookout/core';
import { createBudgetMonitor, defineBudget, type BudgetTransition } from '@lookout/core/budgets';
import { fakeClockRegistry } from './helpers.js';

const SECOND = 1000;

describe('createBudgetMonitor', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('transitions', () => {
    it('should change state only after the breach lasted `for`, and recover at once', async () => {
      const { registry, advance } = fakeClockRegistry();
      const memory = registry.gauge('heap', { unit: 'By' });
      const budget = defineBudget('heap_bytes', { aggregation: 'last', target: 10, warning: 20, critical: 30, for: '30s' });
      const seen: BudgetTransition[] = [];
      const monitor = createBudgetMonitor({ registry, budgets: [budget], autoStart: false, onTransition: (t) => void seen.push(t) });
      const tick = async (value: number) => {
        memory.set(value);
        const [r] = await monitor.evaluate();
        advance(10 * SECOND);
        return [r!.state, r!.pending];
      };

      expect(await tick(5)).toEqual(['ok', 'ok']);
      expect(await tick(25)).toEqual(['ok', 'warning']); // t=10 s: breach starts
      expect(await tick(25)).toEqual(['ok', 'warning']); // t=20 s
      expect(await tick(35)).toEqual(['ok', 'critical']); // t=30 s: critical starts
      expect(await tick(35)).toEqual(['warning', 'critical']); // t=40 s: warning held 30 s
      expect(await tick(35)).toEqual(['warning', 'critical']); // t=50 s
      expect(await tick(35)).toEqual(['critical', 'critical']); // t=60 s: critical held 30 s
      expect(await tick(5)).toEqual(['ok', 'ok']); // recovery is immediate
      expect(seen.map((t) => `${t.from}>${t.to}`)).toEqual(['ok>warning', 'warning>critical', 'critical>ok']);
      expect(seen[1]).toMatchObject({ source: 'budget', name: budget.id, value: 35, budget });
      expect(seen[1]!.message).toContain('critical');
    });

    it('should compute a histogram quantile over the rolling window only', async () => {
      const { registry, advance } = fakeClockRegistry();
      const h = registry.histogram('stage.duration', { unit: 's', buckets: [0.1, 0.5, 1, 2, 5] });
      const budget = defineBudget('stage_duration_seconds', { aggregation: 'p95', target: 0.5, warning: 1, critical: 2, window: '60s', for: 0 });
      const monitor = createBudgetMonitor({ registry, budgets: [budget], autoStart: false });
      for (let i = 0; i < 100; i++) h.record(3); // slow at first
      expect((await monitor.evaluate())[0]).toMatchObject({ state: 'critical' });
      advance(30 * SECOND);
      for (let i = 0; i < 100; i++) h.record(0.05);
      expect((await monitor.evaluate())[0]!.state).toBe('critical'); // the window still holds the slow ones
      advance(40 * SECOND); // the slow ones are now more than a window old
      for (let i = 0; i < 100; i++) h.record(0.05);
      const [r] = await monitor.evaluate();
      expect(r!.state).toBe('ok');
      // Baseline is the sample at t=0 s: only the 200 fast observations count.
      expect(r!.value).toBeCloseTo(0.095, 12);
    });

    it('should compute an error ratio over the window', async () => {
      const { registry, advance } = fakeClockRegistry();
      const calls = registry.counter('app.function.calls', { labels: ['function', 'outcome'] });
      const budget = defineBudget('app_function_calls_total', { aggregation: 'ratio', labels: { outcome: 'error' }, target: 0.001, warning: 0.01, critical: 0.05, for: 0, window: '1m' });
      const monitor = createBudgetMonitor({ registry, budgets: [budget], autoStart: false });
      calls.add(990, { function: 'f', outcome: 'success' });
      calls.add(10, { function: 'f', outcome: 'error' });
      expect((await monitor.evaluate())[0]).toMatchObject({ value: 0.01, state: 'ok' });
      advance(61 * SECOND);
      calls.add(90, { function: 'f', outcome: 'success' });
      calls.add(10, { function: 'g', outcome: 'error' });
      expect((await monitor.evaluate())[0]).toMatchObject({ value: 0.1, state: 'critical' });
    });
  });

  describe('cooldown', () => {
    it('should notify a transition into the same state once per cooldown and count the rest', async () => {
      const { registry, advance } = fakeClockRegistry();
      const g = registry.gauge('q');
      const budget = defineBudget('q', { name: 'queue', aggregation: 'last', target: 1, warning: 5, critical: 100, for: 0 });
      const seen: string[] = [];
      const monitor = createBudgetMonitor({ registry, budgets: [budget], autoStart: false, cooldownMs: 60_000, onTransition: (t) => void seen.push(t.to) });
      for (const v of [9, 0, 9, 0, 9]) {
        g.set(v);
        await monitor.evaluate();
        advance(10 * SECOND);
      }
      expect(seen).toEqual(['warning', 'ok']);
      advance(60 * SECOND);
      g.set(0);
      await monitor.evaluate();
      g.set(9);
      await monitor.evaluate();
      expect(seen).toEqual(['warning', 'ok', 'ok', 'warning']);
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_budget_notifications_suppressed_total{budget="queue"} 3');
      expect(text).toContain('lookout_budget_transitions_total{budget="queue",state="warning"} 4');
    });
  });

  describe('gauges and grade', () => {
    it('should export state, value and score, and grade across budgets', async () => {
      const { registry } = fakeClockRegistry();
      const g = registry.gauge('v', { labels: ['k'] });
      const mk = (k: string) => defineBudget('v', { name: k, labels: { k }, aggregation: 'last', target: 10, warning: 20, critical: 30, for: 0 });
      const monitor = createBudgetMonitor({ registry, budgets: [mk('a'), mk('b'), mk('c')], autoStart: false });
      g.set(5, { k: 'a' });
      g.set(10, { k: 'b' });
      g.set(8, { k: 'c' });
      await monitor.evaluate();
      expect(monitor.grade()).toMatchObject({ grade: 'A+', score: 100 });
      g.set(20, { k: 'c' }); // at the warning threshold: 85, still ok
      await monitor.evaluate();
      expect(monitor.grade()).toMatchObject({ grade: 'A+', score: 95 });
      g.set(25, { k: 'c' }); // warning: 72.5, capped at B
      await monitor.evaluate();
      expect(monitor.grade().grade).toBe('B');
      g.set(40, { k: 'c' }); // critical: 0 → mean 66.7 → C
      await monitor.evaluate();
      expect(monitor.grade()).toMatchObject({ grade: 'C', counts: { measured: 3, ok: 2, warning: 0, critical: 1 } });
      g.set(40, { k: 'b' });
      await monitor.evaluate();
      expect(monitor.grade().grade).toBe('D');
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_budget_state{budget="c"} 2');
      expect(text).toContain('lookout_budget_state{budget="a"} 0');
      expect(text).toContain('lookout_budget_value{budget="c"} 40');
      expect(text).toMatch(/lookout_performance_score 33\.33/);
    });

    it('should leave budgets without data out of the grade', async () => {
      const { registry } = fakeClockRegistry();
      const monitor = createBudgetMonitor({ registry, budgets: [defineBudget('missing', { target: 1, warning: 2, critical: 3 })], autoStart: false });
      const [r] = await monitor.evaluate();
      expect(r).toMatchObject({ value: undefined, state: 'ok', score: undefined });
      expect(monitor.grade().grade).toBeUndefined();
    });
  });

  describe('anomaly watches', () => {
    it('should report a z-score anomaly through the same callback', async () => {
      const { registry, advance } = fakeClockRegistry();
      const g = registry.gauge('latency');
      const seen: BudgetTransition[] = [];
      const monitor = createBudgetMonitor({ registry, watches: [{ name: 'latency', metric: 'latency', zScore: { window: 20, threshold: 3 } }], autoStart: false, onTransition: (t) => void seen.push(t) });
      for (let i = 0; i < 30; i++) {
        g.set(100 + (i % 3));
        await monitor.evaluate();
        advance(SECOND);
      }
      expect(seen).toEqual([]);
      g.set(150);
      await monitor.evaluate();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ source: 'zscore', name: 'latency', from: 'ok', to: 'warning', value: 150 });
      expect(seen[0]!.zScore!.zScore).toBeGreaterThan(3);
      expect(monitor.watchResults()[0]).toMatchObject({ name: 'latency', zScoreState: 'warning' });
    });

    it("should warn when a trend's forecast crosses a budget before the budget breaches", async () => {
      const { registry, advance } = fakeClockRegistry();
      const heap = registry.gauge('heap', { unit: 'By' });
      const budget = defineBudget('heap_bytes', { name: 'heap', aggregation: 'last', target: 25, warning: 50, critical: 100, for: 0 });
      const seen: BudgetTransition[] = [];
      const monitor = createBudgetMonitor({ registry, budgets: [budget], watches: [{ budget, trend: { window: 10, forecastSteps: 10 } }], autoStart: false, onTransition: (t) => void seen.push(t) });
      // Grows 2 per 10 s from 20: reaches 50 at t=150 s, forecast (100 s ahead) crosses 50 at t=50 s.
      let v = 20;
      const states: string[] = [];
      for (let i = 0; i < 8; i++) {
        heap.set(v);
        const [r] = await monitor.evaluate();
        states.push(r!.state);
        v += 2;
        advance(10 * SECOND);
      }
      expect(states.every((s) => s === 'ok')).toBe(true);
      const trend = seen.filter((t) => t.source === 'trend');
      expect(trend.map((t) => t.to)).toEqual(['warning']);
      expect(trend[0]!.trend!.slope).toBeCloseTo(0.2, 9);
      expect(trend[0]!.trend!.r2).toBe(1);
      expect(monitor.history('heap').map((p) => p.value)).toEqual([20, 22, 24, 26, 28, 30, 32, 34]);
    });
  });

  describe('robustness', () => {
    it('should report a throwing callback and keep going', async () => {
      const { registry, diag } = fakeClockRegistry();
      const errors: unknown[] = [];
      const spy = vi.spyOn(diag, 'internalError').mockImplementation((e) => void errors.push(e));
      const g = registry.gauge('x');
      g.set(50);
      const second = vi.fn();
      const monitor = createBudgetMonitor({ registry, diagnostics: diag, budgets: [defineBudget('x', { aggregation: 'last', target: 1, warning: 2, critical: 3, for: 0 })], autoStart: false, onTransition: () => { throw new Error('boom'); } });
      monitor.onTransition(second);
      await expect(monitor.evaluate()).resolves.toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(second).toHaveBeenCalledTimes(1);
      spy.mockRestore();
    });

    it('should evaluate on its own every intervalMs once started, and stop', async () => {
      vi.useFakeTimers();
      const { registry } = fakeClockRegistry();
      registry.gauge('x').set(1);
      const monitor = createBudgetMonitor({ registry, budgets: [defineBudget('x', { aggregation: 'last', target: 1, warning: 2, critical: 3 })], intervalMs: 1000 });
      expect(monitor.results()).toEqual([]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(monitor.results()).toHaveLength(1);
      monitor.stop();
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
