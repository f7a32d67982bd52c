import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BUDGETS, startLiteVitals } from '@lookout/web-vitals/lite';
import type { BudgetBreach, LiteVitalsOptions } from '@lookout/web-vitals/lite';
import { webVitals } from '../../../../testing/fakeWebVitals.js';

type Report = (metric: Record<string, unknown>) => void;

// The web-vitals functions, replaced by ones that keep what they were given so tests can report by hand.
vi.mock('web-vitals', () => import('../../../../testing/fakeWebVitals.js'));

let n = 0;
/** Reports `metric` through the callback web-vitals was given for its name. */
function emit(metric: { name: string; value: number } & Record<string, unknown>): void {
  const report = webVitals.callbacks.get(metric.name) as Report | undefined;
  if (report === undefined) throw new Error(`nothing subscribed to ${metric.name}`);
  report({ delta: metric.value, rating: 'good', id: `v6-${++n}`, navigationType: 'navigate', ...metric });
}

function start(options: LiteVitalsOptions = {}, route: (url: string | undefined) => string = () => '/home') {
  const sent: Array<Record<string, unknown>> = [];
  const failed = vi.fn();
  const stop = startLiteVitals(options, route, (properties) => sent.push(properties), failed);
  return { sent, failed, stop };
}

beforeEach(() => {
  webVitals.callbacks.clear();
  webVitals.subscribed.length = 0;
});

describe('startLiteVitals', () => {
  describe('subscription', () => {
    it('should subscribe to the five metrics with reportAllChanges as given', () => {
      start();
      expect(webVitals.subscribed.map((s) => s.name).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
      expect(webVitals.subscribed.every((s) => (s.options as { reportAllChanges?: boolean }).reportAllChanges === undefined)).toBe(true);
      webVitals.subscribed.length = 0;
      start({ reportAllChanges: true });
      expect(webVitals.subscribed.map((s) => s.options)).toEqual(Array(5).fill({ reportAllChanges: true }));
    });
  });

  describe('properties', () => {
    it('should send the web_vital properties of a report, rounded to 1 decimal', () => {
      const { sent } = start({}, () => '/products/:id');
      emit({ name: 'LCP', value: 1234.5678, delta: 234.04, rating: 'good', id: 'v6-lcp', navigationType: 'reload' });
      expect(sent).toEqual([
        { metric: 'LCP', value: 1234.6, delta: 234, rating: 'good', id: 'v6-lcp', navigation_type: 'reload', route: '/products/:id', over_budget: false, budget: 3000 },
      ]);
      expect(Object.keys(sent[0]!)).toEqual(['metric', 'value', 'delta', 'rating', 'id', 'navigation_type', 'route', 'over_budget', 'budget']);
    });

    it('should round CLS to 4 decimals', () => {
      const { sent } = start();
      emit({ name: 'CLS', value: 0.123456, delta: 0.000049, rating: 'needs-improvement' });
      expect(sent[0]).toMatchObject({ metric: 'CLS', value: 0.1235, delta: 0, over_budget: true, budget: 0.1 });
    });

    it('should round INP, FCP and TTFB to 1 decimal', () => {
      const { sent } = start();
      emit({ name: 'INP', value: 123.456 });
      emit({ name: 'FCP', value: 99.95 });
      emit({ name: 'TTFB', value: 12.34 });
      expect(sent.map((p) => p['value'])).toEqual([123.5, 100, 12.3]);
    });

    it('should send 0 for values that are not finite', () => {
      const { sent } = start();
      emit({ name: 'LCP', value: Number.NaN, delta: Number.POSITIVE_INFINITY });
      expect(sent[0]).toMatchObject({ value: 0, delta: 0 });
    });

    it('should call the navigation type navigate when web-vitals gives none', () => {
      const { sent } = start();
      emit({ name: 'FCP', value: 10, navigationType: undefined });
      expect(sent[0]?.['navigation_type']).toBe('navigate');
    });
  });

  describe('budgets', () => {
    it('should use the default budgets FCP 2000, LCP 3000, CLS 0.1, INP 200 and none for TTFB', () => {
      expect(DEFAULT_BUDGETS).toEqual({ FCP: 2000, LCP: 3000, CLS: 0.1, INP: 200 });
      const { sent } = start();
      emit({ name: 'FCP', value: 2000.04 });
      emit({ name: 'LCP', value: 3000 });
      emit({ name: 'CLS', value: 0.1001 });
      emit({ name: 'INP', value: 200 });
      emit({ name: 'TTFB', value: 90_000 });
      expect(sent.map((p) => [p['metric'], p['budget'], p['over_budget']])).toEqual([
        ['FCP', 2000, true],
        ['LCP', 3000, false],
        ['CLS', 0.1, true],
        ['INP', 200, false],
        ['TTFB', undefined, false],
      ]);
      expect('budget' in sent[4]!).toBe(false);
    });

    it("should take the host's budgets over the defaults, and turn one off with false", () => {
      const { sent } = start({ budgets: { LCP: 1000, CLS: false, TTFB: 800 } });
      emit({ name: 'LCP', value: 1500 });
      emit({ name: 'CLS', value: 0.9 });
      emit({ name: 'TTFB', value: 900 });
      emit({ name: 'FCP', value: 2500 });
      expect(sent.map((p) => [p['metric'], p['budget'], p['over_budget']])).toEqual([
        ['LCP', 1000, true],
        ['CLS', undefined, false],
        ['TTFB', 800, true],
        ['FCP', 2000, true],
      ]);
      expect('budget' in sent[1]!).toBe(false);
    });

    // `false` turns a budget off; a budget left undefined should keep its default, as in the full collector.
    it('should keep the default budget of a metric whose budget is undefined', () => {
      const { sent } = start({ budgets: { LCP: undefined } as unknown as LiteVitalsOptions['budgets'] });
      emit({ name: 'LCP', value: 5000 });
      expect(sent[0]).toMatchObject({ budget: 3000, over_budget: true });
    });
  });

  describe('onBudgetExceeded', () => {
    it('should be called once per metric instance, when it first goes over its budget', () => {
      const breaches: BudgetBreach[] = [];
      start({ onBudgetExceeded: (b) => breaches.push(b), reportAllChanges: true }, () => '/cart');
      emit({ name: 'CLS', value: 0.05, id: 'a' });
      emit({ name: 'CLS', value: 0.12, id: 'a', rating: 'needs-improvement' });
      emit({ name: 'CLS', value: 0.3, id: 'a', rating: 'poor' });
      emit({ name: 'CLS', value: 0.2, id: 'b', rating: 'needs-improvement', navigationType: 'back-forward-cache' });
      emit({ name: 'INP', value: 199, id: 'c' });
      emit({ name: 'TTFB', value: 90_000, id: 'd' });
      expect(breaches).toEqual([
        { name: 'CLS', value: 0.12, budget: 0.1, rating: 'needs-improvement', route: '/cart', navigationType: 'navigate', id: 'a' },
        { name: 'CLS', value: 0.2, budget: 0.1, rating: 'needs-improvement', route: '/cart', navigationType: 'back-forward-cache', id: 'b' },
      ]);
    });

    it('should not be called for a budget turned off', () => {
      const onBudgetExceeded = vi.fn();
      start({ onBudgetExceeded, budgets: { INP: false } });
      emit({ name: 'INP', value: 5000 });
      expect(onBudgetExceeded).not.toHaveBeenCalled();
    });
  });

  describe('route', () => {
    it("should name each report's route from the URL of the navigation it belongs to", () => {
      const route = vi.fn((url: string | undefined) => (url === undefined ? '/now' : new URL(url).pathname.replace(/\d+/, ':id')));
      const { sent } = start({}, route);
      emit({ name: 'CLS', value: 0.01, navigationURL: 'https://shop.test/products/12' });
      emit({ name: 'LCP', value: 100, navigationURL: 'https://shop.test/checkout' });
      emit({ name: 'TTFB', value: 10 });
      expect(route.mock.calls).toEqual([['https://shop.test/products/12'], ['https://shop.test/checkout'], [undefined]]);
      expect(sent.map((p) => p['route'])).toEqual(['/products/:id', '/checkout', '/now']);
    });
  });

  describe('failures', () => {
    it('should hand a throw in send to failed and keep reporting', () => {
      const failed = vi.fn();
      let calls = 0;
      const problem = new Error('client down');
      startLiteVitals({}, () => '/', () => {
        if (++calls === 1) throw problem;
      }, failed);
      expect(() => emit({ name: 'LCP', value: 10 })).not.toThrow();
      emit({ name: 'FCP', value: 10 });
      expect(failed.mock.calls).toEqual([[problem]]);
      expect(calls).toBe(2);
    });

    it('should hand a throw in route to failed and keep reporting', () => {
      const problem = new Error('router not ready');
      let ready = false;
      const { sent, failed } = start({}, () => {
        if (!ready) throw problem;
        return '/ready';
      });
      expect(() => emit({ name: 'LCP', value: 10 })).not.toThrow();
      ready = true;
      emit({ name: 'FCP', value: 10 });
      expect(failed.mock.calls).toEqual([[problem]]);
      expect(sent.map((p) => [p['metric'], p['route']])).toEqual([['FCP', '/ready']]);
    });

    it('should hand a throw in onBudgetExceeded to failed, after the report was sent, and not call it again for that instance', () => {
      const problem = new Error('host bug');
      const onBudgetExceeded = vi.fn(() => {
        throw problem;
      });
      const { sent, failed } = start({ onBudgetExceeded, reportAllChanges: true });
      expect(() => emit({ name: 'LCP', value: 4000, id: 'x' })).not.toThrow();
      emit({ name: 'LCP', value: 4500, id: 'x' });
      expect(sent.map((p) => p['value'])).toEqual([4000, 4500]);
      expect(onBudgetExceeded).toHaveBeenCalledTimes(1);
      expect(failed.mock.calls).toEqual([[problem]]);
    });

    // Once per instance over budget is a promise of its own: a failing send should not swallow it.
    it('should still call onBudgetExceeded when send throws', () => {
      const onBudgetExceeded = vi.fn();
      const failed = vi.fn();
      startLiteVitals({ onBudgetExceeded }, () => '/', () => {
        throw new Error('client down');
      }, failed);
      emit({ name: 'LCP', value: 9000, id: 'slow' });
      expect(failed).toHaveBeenCalledTimes(1);
      expect(onBudgetExceeded).toHaveBeenCalledWith(expect.objectContaining({ name: 'LCP', id: 'slow', budget: 3000 }));
    });
  });

  describe('stop', () => {
    it('should stop reporting, budget callbacks included', () => {
      const onBudgetExceeded = vi.fn();
      const route = vi.fn(() => '/');
      const { sent, stop } = start({ onBudgetExceeded }, route);
      emit({ name: 'FCP', value: 10 });
      stop();
      emit({ name: 'LCP', value: 9000 });
      emit({ name: 'CLS', value: 1 });
      expect(sent.map((p) => p['metric'])).toEqual(['FCP']);
      expect(onBudgetExceeded).not.toHaveBeenCalled();
      expect(route).toHaveBeenCalledTimes(1);
      expect(() => stop()).not.toThrow();
    });
  });
});
