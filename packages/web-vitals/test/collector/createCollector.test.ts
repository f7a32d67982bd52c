import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createMetricsRegistry, renderPrometheus, LookoutConfigError } from '@lookout/core';
import { createCollector } from '../../src/collector/createCollector.js';
import { createFakeSource, installFakePage, recordingDiagnostics } from '../helpers/fakePage.js';

let page: ReturnType<typeof installFakePage>;
beforeEach(() => {
  page = installFakePage('/products/12345');
});
afterEach(() => page.restore());

describe('createCollector', () => {
  describe('subscription', () => {
    it('should subscribe to the five metrics with reportSoftNavs on by default', () => {
      const source = createFakeSource();
      createCollector(source, {});
      expect(source.subscribed.map((s) => s.name)).toEqual(['TTFB', 'FCP', 'LCP', 'CLS', 'INP']);
      expect(source.subscribed[0]?.options).toEqual({ reportAllChanges: false, reportSoftNavs: true });
    });

    it('should collect INP when FID is asked for, with one info diagnostic', () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const source = createFakeSource();
      createCollector(source, { metrics: ['FID', 'LCP'], diagnostics });
      expect(source.subscribed.map((s) => s.name)).toEqual(['LCP', 'INP']);
      expect(messages.filter((m) => m.message.includes('FID'))).toHaveLength(1);
    });

    it('should collect nothing outside a browser', () => {
      page.restore();
      const source = createFakeSource();
      createCollector(source, {});
      expect(source.subscribed).toEqual([]);
    });
  });

  describe('reports', () => {
    it('should send each report as a web_vital event with value, delta, rating, navigation type and route', () => {
      const track = vi.fn();
      const source = createFakeSource();
      createCollector(source, { telemetry: { track } });
      source.emit({ name: 'LCP', value: 1234.56, rating: 'good' });
      expect(track).toHaveBeenCalledWith('web_vital', {
        metric: 'LCP',
        value: 1234.6,
        delta: 1234.6,
        rating: 'good',
        id: 'v6-1',
        navigation_type: 'navigate',
        route: '/products/:id',
        over_budget: false,
        budget: 3000,
      });
    });

    it('should use the getRoute hook, and fall back to the path when it throws or returns nothing', () => {
      const reports: string[] = [];
      const source = createFakeSource();
      let answer: () => string | undefined = () => 'product-page';
      createCollector(source, { getRoute: () => answer(), onReport: (r) => reports.push(r.route) });
      source.emit({ name: 'FCP', value: 1 });
      answer = () => {
        throw new Error('router not ready');
      };
      source.emit({ name: 'FCP', value: 1 });
      answer = () => undefined;
      source.emit({ name: 'FCP', value: 1 });
      expect(reports).toEqual(['product-page', '/products/:id', '/products/:id']);
    });

    it('should label a metric reported later for an earlier URL with the route named on that URL', () => {
      const reports: string[] = [];
      const source = createFakeSource();
      const collector = createCollector(source, { onReport: (r) => reports.push(`${r.name} ${r.route}`) });
      source.emit({ name: 'TTFB', value: 5, navigationURL: 'http://app.test/products/12345' });
      page.setPath('/checkout/9');
      collector.setRoute('checkout');
      source.emit({ name: 'CLS', value: 0.2, navigationURL: 'http://app.test/products/12345' });
      source.emit({ name: 'LCP', value: 50, navigationType: 'soft-navigation', navigationURL: 'http://app.test/checkout/9' });
      expect(reports).toEqual(['TTFB /products/:id', 'CLS /products/:id', 'LCP checkout']);
    });
  });

  describe('budgets', () => {
    it('should call onBudgetExceeded once per metric instance over its default budget', () => {
      const onBudgetExceeded = vi.fn();
      const source = createFakeSource();
      createCollector(source, { onBudgetExceeded, reportAllChanges: true });
      source.emit({ name: 'CLS', value: 0.05, id: 'a' });
      source.emit({ name: 'CLS', value: 0.12, id: 'a', rating: 'needs-improvement' });
      source.emit({ name: 'CLS', value: 0.3, id: 'a', rating: 'poor' });
      source.emit({ name: 'INP', value: 199 });
      source.emit({ name: 'INP', value: 250 });
      source.emit({ name: 'FCP', value: 2500 });
      source.emit({ name: 'TTFB', value: 90_000 });
      expect(onBudgetExceeded.mock.calls.map(([b]) => [b.name, b.value, b.budget])).toEqual([
        ['CLS', 0.12, 0.1],
        ['INP', 250, 200],
        ['FCP', 2500, 2000],
      ]);
    });

    it('should take budgets from options, and turn one off with false', () => {
      const onBudgetExceeded = vi.fn();
      const source = createFakeSource();
      createCollector(source, { onBudgetExceeded, budgets: { LCP: 1000, CLS: false, TTFB: 800 } });
      source.emit({ name: 'LCP', value: 1500 });
      source.emit({ name: 'CLS', value: 0.9 });
      source.emit({ name: 'TTFB', value: 900 });
      expect(onBudgetExceeded.mock.calls.map(([b]) => b.name)).toEqual(['LCP', 'TTFB']);
    });

    it('should keep reporting when onBudgetExceeded, onReport or telemetry throw', () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const reports: string[] = [];
      const source = createFakeSource();
      createCollector(source, {
        diagnostics,
        telemetry: { track: () => { throw new Error('sink down'); } },
        onBudgetExceeded: () => { throw new Error('host bug'); },
        onReport: (r) => { reports.push(r.name); throw new Error('host bug 2'); },
      });
      expect(() => source.emit({ name: 'LCP', value: 9000 })).not.toThrow();
      source.emit({ name: 'FCP', value: 10 });
      expect(reports).toEqual(['LCP', 'FCP']);
      expect(messages.length).toBeGreaterThan(0);
    });
  });

  describe('setRoute', () => {
    it('should send one router-driven soft_navigation event per route change where the browser does not report them', () => {
      const track = vi.fn();
      const source = createFakeSource();
      const collector = createCollector(source, { telemetry: { track } });
      expect(collector.softNavigationSupport).toBe(false);
      page.setPath('/cart');
      collector.setRoute('/cart');
      collector.setRoute('/cart');
      page.setPath('/checkout');
      collector.setRoute('/checkout');
      expect(track.mock.calls.filter(([n]) => n === 'soft_navigation').map(([, p]) => [p.from, p.to, p.source])).toEqual([
        ['/products/:id', '/cart', 'router'],
        ['/cart', '/checkout', 'router'],
      ]);
      expect(collector.route).toBe('/checkout');
    });

    it('should send no soft_navigation when the router names the page the visit landed on', () => {
      const track = vi.fn();
      const collector = createCollector(createFakeSource(), { telemetry: { track } });
      collector.setRoute('product');
      expect(track.mock.calls.filter(([n]) => n === 'soft_navigation')).toEqual([]);
      expect(collector.route).toBe('product');
      page.setPath('/cart');
      collector.setRoute('cart');
      expect(track.mock.calls.filter(([n]) => n === 'soft_navigation').map(([, p]) => [p.from, p.to])).toEqual([['product', 'cart']]);
    });

    it('should compare with landingUrl, not the URL at creation, when the host created it after the router moved on', () => {
      const track = vi.fn();
      // The router redirected before the host got to create the collector.
      page.setPath('/cart');
      const collector = createCollector(createFakeSource(), { telemetry: { track }, landingUrl: '/products/12345' });
      collector.setRoute('cart');
      expect(track.mock.calls.filter(([n]) => n === 'soft_navigation').map(([, p]) => [p.from, p.to])).toEqual([['/products/:id', 'cart']]);
      // Without it, the same call names the page the collector started on: no navigation.
      const unaware = vi.fn();
      createCollector(createFakeSource(), { telemetry: { track: unaware } }).setRoute('cart');
      expect(unaware.mock.calls.filter(([n]) => n === 'soft_navigation')).toEqual([]);
    });

    it('should name the route left after the router changed the URL (pushState, then setRoute)', () => {
      const track = vi.fn();
      const collector = createCollector(createFakeSource(), { telemetry: { track } });
      page.setPath('/checkout/777');
      collector.setRoute('/checkout');
      expect(track.mock.calls.filter(([n]) => n === 'soft_navigation').map(([, p]) => [p.from, p.to])).toEqual([['/products/:id', '/checkout']]);
    });

    it('should leave soft navigations to the browser where it reports them', () => {
      const g = globalThis as Record<string, unknown>;
      (g['PerformanceObserver'] as { supportedEntryTypes?: string[] }).supportedEntryTypes = ['soft-navigation'];
      g['PerformanceSoftNavigation'] = { prototype: { getLargestInteractionContentfulPaint() {} } };
      try {
        const track = vi.fn();
        const collector = createCollector(createFakeSource(), { telemetry: { track } });
        expect(collector.softNavigationSupport).toBe(true);
        collector.setRoute('/cart');
        expect(track).not.toHaveBeenCalled();
      } finally {
        delete g['PerformanceSoftNavigation'];
      }
    });

    it('should ignore a route that is not a non-empty string, with one diagnostic', () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const collector = createCollector(createFakeSource(), { diagnostics });
      collector.setRoute('' as string);
      collector.setRoute(42 as unknown as string);
      expect(messages.filter((m) => m.message.includes('setRoute'))).toHaveLength(1);
      expect(collector.route).toBe('/products/:id');
    });
  });

  describe('histograms', () => {
    it('should record each metric instance once, in seconds (CLS unitless), labelled by route, rating and navigation type', async () => {
      const registry = createMetricsRegistry();
      const source = createFakeSource();
      createCollector(source, { registry });
      // Reported before the histograms module has loaded: recorded once it arrives.
      source.emit({ name: 'LCP', value: 1800, id: 'x', rating: 'good' });
      await vi.waitFor(async () => expect(await renderPrometheus(registry)).toContain('web_vitals_lcp_seconds_count'));
      source.emit({ name: 'CLS', value: 0.12, id: 'c', rating: 'needs-improvement' });
      // CLS is final once a new instance replaces it (or at pagehide, or stop).
      source.emit({ name: 'CLS', value: 0.01, id: 'd', rating: 'good' });
      const text = await renderPrometheus(registry);
      expect(text).toContain('web_vitals_lcp_seconds_count{route="/products/:id",rating="good",navigation_type="navigate"} 1');
      expect(text).toContain('web_vitals_lcp_seconds_sum{route="/products/:id",rating="good",navigation_type="navigate"} 1.8');
      expect(text).toContain('web_vitals_cls_bucket{route="/products/:id",rating="needs-improvement",navigation_type="navigate",le="0.15"} 1');
      expect(text).not.toContain('web_vitals_cls_count{route="/products/:id",rating="good"');
    });
  });

  describe('stop', () => {
    it('should make later reports no-ops', () => {
      const track = vi.fn();
      const source = createFakeSource();
      const collector = createCollector(source, { telemetry: { track } });
      collector.stop();
      source.emit({ name: 'LCP', value: 1 });
      expect(track).not.toHaveBeenCalled();
      expect(collector.counts.LCP).toBe(0);
    });
  });

  describe('options', () => {
    it('should never throw on garbage options and report each invalid one once', () => {
      fc.assert(
        fc.property(fc.anything(), (input) => {
          const { diagnostics, messages } = recordingDiagnostics();
          const wrapped = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, diagnostics } : input;
          let collector: ReturnType<typeof createCollector> | undefined;
          expect(() => {
            collector = createCollector(createFakeSource(), wrapped as never);
          }).not.toThrow();
          expect(collector?.route).toBe('/products/:id');
          const warnings = messages.filter((m) => m.level === 'warn');
          expect(new Set(warnings.map((m) => m.message)).size).toBe(warnings.length);
        }),
        { numRuns: 200 },
      );
    });

    it('should report a bad budget once by its path and keep the default', () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const onBudgetExceeded = vi.fn();
      const source = createFakeSource();
      createCollector(source, { diagnostics, onBudgetExceeded, budgets: { LCP: -5 } });
      source.emit({ name: 'LCP', value: 3500 });
      expect(messages.filter((m) => m.level === 'warn').map((m) => m.message)).toEqual([expect.stringContaining('budgets.LCP')]);
      expect(onBudgetExceeded).toHaveBeenCalledTimes(1);
    });

    it('should throw LookoutConfigError on invalid options with strict: true', () => {
      expect(() => createCollector(createFakeSource(), { strict: true, eventName: '' })).toThrow(LookoutConfigError);
    });
  });
});
