// Where the browser reports soft navigations, a router navigation it does not report (Chromium
// reports only those that follow a user interaction: not a redirect on a timer) still gets the
// router-driven `soft_navigation` event, a second after `setRoute()`; one it reports gets none.
// It got none either way.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCollector } from '../../src/collector/createCollector.js';
import { createFakeSource, installFakePage } from '../helpers/fakePage.js';

type Entries = { getEntries(): Array<{ name: string; startTime: number }> };

let page: ReturnType<typeof installFakePage>;
const observing = new Set<{ report(list: Entries): void }>();

/** Has the browser report a soft navigation to `url` that started `ago` ms before now. */
function browserReports(url: string, ago = 0): void {
  for (const o of [...observing]) o.report({ getEntries: () => [{ name: url, startTime: performance.now() - ago }] });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  page = installFakePage('/products/12345');
  const g = globalThis as Record<string, unknown>;
  // A browser with the Soft Navigation API as web-vitals 6 reads it, and an observer of its entries.
  g['PerformanceObserver'] = class {
    static supportedEntryTypes = ['soft-navigation'];
    constructor(private readonly _callback: (list: Entries) => void) {}
    report(list: Entries): void {
      this._callback(list);
    }
    observe(): void {
      observing.add(this);
    }
    disconnect(): void {
      observing.delete(this);
    }
  };
  g['PerformanceSoftNavigation'] = { prototype: { getLargestInteractionContentfulPaint() {} } };
});

afterEach(() => {
  delete (globalThis as Record<string, unknown>)['PerformanceSoftNavigation'];
  page.restore();
  observing.clear();
  vi.useRealTimers();
});

const navigations = (track: ReturnType<typeof vi.fn>) => track.mock.calls.filter(([n]) => n === 'soft_navigation').map(([, p]) => `${p.from} -> ${p.to} (${p.source})`);

describe('createCollector', () => {
  describe('setRoute', () => {
    it('should send the router-driven event when the browser reports no soft navigation to the new path within a second', () => {
      const track = vi.fn();
      const collector = createCollector(createFakeSource(), { telemetry: { track } });
      expect(collector.softNavigationSupport).toBe(true);
      page.setPath('/login');
      collector.setRoute('login');
      vi.advanceTimersByTime(999);
      expect(navigations(track)).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(navigations(track)).toEqual(['/products/:id -> login (router)']);
      expect(observing.size).toBe(0);
    });

    it('should send nothing when the browser reports the soft navigation, before or after setRoute()', () => {
      const track = vi.fn();
      const collector = createCollector(createFakeSource(), { telemetry: { track } });
      page.setPath('/checkout/2');
      collector.setRoute('checkout');
      browserReports('https://shop.test/checkout/2?step=1');
      vi.advanceTimersByTime(5000);
      expect(navigations(track)).toEqual([]);
      expect(observing.size).toBe(0);
    });

    it('should not take an earlier soft navigation to the same path for this one', () => {
      const track = vi.fn();
      const collector = createCollector(createFakeSource(), { telemetry: { track } });
      page.setPath('/checkout/2');
      collector.setRoute('checkout');
      browserReports('https://shop.test/checkout/2');
      vi.advanceTimersByTime(1000);
      page.setPath('/cart');
      collector.setRoute('cart');
      // Back to /checkout/2 on a timer: the browser's entry for it is of the first visit.
      page.setPath('/checkout/2');
      collector.setRoute('checkout');
      browserReports('https://shop.test/checkout/2', 60_000);
      vi.advanceTimersByTime(1000);
      expect(navigations(track)).toEqual(['checkout -> cart (router)', 'cart -> checkout (router)']);
    });
  });
});
