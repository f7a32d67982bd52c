// A part's options with a getter that throws (or a revoked proxy) cost that option only, with one
// diagnostic naming it: `webVitals` was destructured in the vitals start task, outside any `try`,
// so the getter threw into the page's timer and vitals silently stayed off.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('web-vitals', () => import('../../../../testing/fakeWebVitals.js'));
import { initMonitoring, resetMonitoringForTests, shutdown } from '@lookout/browser';
import type { MonitoringOptions } from '@lookout/browser';
import { webVitals } from '../../../../testing/fakeWebVitals.js';
import { MEMORY_ENDPOINT, memoryFetch, recordingDiagnostics } from '../helpers/memory.js';

beforeEach(() => {
  webVitals.callbacks.clear();
  vi.stubGlobal('document', { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} });
  vi.stubGlobal('PerformanceObserver', function PerformanceObserver() {});
  vi.stubGlobal('location', { href: 'https://shop.test/cart', pathname: '/cart' });
});

afterEach(async () => {
  await shutdown(500);
  resetMonitoringForTests();
  vi.unstubAllGlobals();
});

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts with `extra`, waits for the vitals task; returns the handle, the diagnostics and what escaped. */
async function start(extra: MonitoringOptions) {
  const memory = memoryFetch();
  const { diagnostics, messages } = recordingDiagnostics();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    const monitoring = initMonitoring({ serviceName: 'shop', endpoint: MEMORY_ENDPOINT, diagnostics, ...extra });
    await tick();
    return { monitoring, messages, uncaught, events: memory.events };
  } finally {
    process.off('uncaughtException', onUncaught);
  }
}

describe('initMonitoring', () => {
  describe('webVitals', () => {
    it('should leave out a webVitals option whose getter throws, with one diagnostic naming it, and run vitals on the defaults', async () => {
      const budgets = { INP: 50 };
      const { monitoring, messages, uncaught } = await start({
        webVitals: {
          get budgets(): typeof budgets {
            throw new Error('getter boom');
          },
          reportAllChanges: true,
        },
      });
      expect(uncaught).toEqual([]);
      expect(messages.filter((m) => m.message.includes('webVitals.budgets'))).toHaveLength(1);
      expect(monitoring.vitals).toBeDefined();
      expect(webVitals.subscribed.at(-1)?.options).toMatchObject({ reportAllChanges: true });
    });
  });
});
