// A part's options (`webVitals`, `errors`, `telemetry`) with a getter that throws (or a revoked proxy) cost
// that option only, with one diagnostic naming it: `webVitals` was destructured in the vitals start task, outside any
// `try`, and `telemetry` / `errors` were spread at start, so one getter disabled vitals or all of monitoring.
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

  describe('telemetry', () => {
    it('should leave out a telemetry option whose getter throws, with one diagnostic naming it, and keep monitoring running', async () => {
      const { monitoring, messages, uncaught, events } = await start({
        telemetry: {
          get sampling(): never {
            throw new Error('getter boom');
          },
          flushIntervalMs: 10,
        },
      });
      expect(uncaught).toEqual([]);
      expect(messages.filter((m) => m.message.includes('telemetry.sampling'))).toHaveLength(1);
      expect(messages.filter((m) => m.level === 'error')).toEqual([]);
      expect(monitoring.consent).toBe('granted');
      monitoring.track('hello');
      await tick(100);
      expect(events.map((e) => e.name)).toContain('hello');
    });
  });

  describe('errors', () => {
    it('should leave out an errors option whose getter throws, with one diagnostic naming it, and keep the other error options', async () => {
      const { monitoring, messages, uncaught } = await start({
        errors: {
          get maxBreadcrumbs(): never {
            throw new Error('getter boom');
          },
          beforeCapture: () => null,
        },
      });
      expect(uncaught).toEqual([]);
      expect(messages.filter((m) => m.message.includes('errors.maxBreadcrumbs'))).toHaveLength(1);
      expect(monitoring.errors).toBeDefined();
      // beforeCapture (kept) drops the record: no id.
      expect(monitoring.captureException(new Error('x'))).toBeUndefined();
    });
  });
});
