// `diagnostics` that is not a whole Diagnostics (the lite tier's `{ warn }` shape) is refused with
// one diagnostic, and the page-wide diagnostics are used: it was accepted, and the first internal
// failure then called its missing `internalError` from inside a `catch`, throwing a TypeError
// into the page (a web-vitals callback, the vitals start task).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('web-vitals', () => import('../../../../testing/fakeWebVitals.js'));
import { configureDiagnostics, createDiagnostics, resetDiagnosticsForTests } from '@lookout/core';
import { initMonitoring, resetMonitoringForTests, shutdown } from '@lookout/browser';
import { webVitals } from '../../../../testing/fakeWebVitals.js';
import { MEMORY_ENDPOINT, memoryFetch } from '../helpers/memory.js';

let lines: string[];
beforeEach(() => {
  lines = [];
  configureDiagnostics({ level: 'debug', logger: { error: (m) => lines.push(m), warn: (m) => lines.push(m), info: (m) => lines.push(m), debug: (m) => lines.push(m) } });
  webVitals.callbacks.clear();
});

afterEach(async () => {
  await shutdown(500);
  resetMonitoringForTests();
  resetDiagnosticsForTests();
  vi.unstubAllGlobals();
});

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
const warnOnly = () => ({ warn: vi.fn() });

describe('initMonitoring', () => {
  describe('diagnostics', () => {
    it('should refuse a diagnostics object with only warn(), with one diagnostic, and keep failures inside', async () => {
      vi.stubGlobal('document', { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} });
      vi.stubGlobal('PerformanceObserver', function PerformanceObserver() {});
      vi.stubGlobal('location', { href: 'https://shop.test/cart', pathname: '/cart' });
      memoryFetch();
      const partial = warnOnly();
      initMonitoring({
        serviceName: 'shop',
        endpoint: MEMORY_ENDPOINT,
        diagnostics: partial as never,
        webVitals: {
          onReport() {
            throw new Error('host onReport bug');
          },
        },
      });
      expect(lines.filter((l) => l.includes('diagnostics'))).toHaveLength(1);
      await tick();
      expect(() => webVitals.callbacks.get('LCP')?.({ name: 'LCP', value: 1200, delta: 1200, rating: 'good', id: 'v6-1', navigationType: 'navigate' })).not.toThrow();
      expect(lines.some((l) => l.includes('host onReport bug'))).toBe(true);
    });

    it('should not throw from the vitals start task where there is no page (SSR, test runners)', async () => {
      memoryFetch();
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        initMonitoring({ serviceName: 'shop', endpoint: MEMORY_ENDPOINT, diagnostics: warnOnly() as never });
        await tick(20);
      } finally {
        process.off('uncaughtException', onUncaught);
      }
      expect(uncaught).toEqual([]);
    });

    it('should keep a failure inside when the host diagnostics itself throws', async () => {
      vi.stubGlobal('document', { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} });
      vi.stubGlobal('PerformanceObserver', function PerformanceObserver() {});
      memoryFetch();
      const diagnostics = createDiagnostics({ level: 'none' });
      diagnostics.internalError = () => {
        throw new Error('diagnostics bug');
      };
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        initMonitoring({
          serviceName: 'shop',
          endpoint: MEMORY_ENDPOINT,
          diagnostics,
          webVitals: {
            createCollector: () => {
              throw new Error('collector bug');
            },
          },
        });
        await tick(20);
      } finally {
        process.off('uncaughtException', onUncaught);
      }
      expect(uncaught).toEqual([]);
    });
  });
});
