// Calls the pre-init queue cannot keep are counted in the new instance's stats (`queue_full`),
// and calls made after `shutdown()` are dropped and counted (`shutdown`) by the stopped instance:
// they were only a diagnostic, and after a shutdown they were queued and replayed into the next
// instance (perhaps one started for another consent state).
import { afterEach, describe, expect, it, vi } from 'vitest';
vi.mock('web-vitals', () => import('../../../../testing/fakeWebVitals.js'));
import * as full from '@lookout/browser';
import * as lite from '@lookout/browser/lite';
import { MEMORY_ENDPOINT, memoryFetch, recordingDiagnostics } from '../helpers/memory.js';

afterEach(async () => {
  await full.shutdown(500);
  await lite.shutdown(500);
  full.resetMonitoringForTests();
  lite.resetLiteMonitoringForTests();
  vi.unstubAllGlobals();
});

/** The tier's init with a memory endpoint, and its drop counters. */
const tiers = {
  full: () => {
    const m = full.initMonitoring({ serviceName: 'shop', endpoint: MEMORY_ENDPOINT, diagnostics: recordingDiagnostics().diagnostics, webVitals: false });
    return { m, dropped: m.telemetry.stats.dropped };
  },
  lite: () => {
    const m = lite.initMonitoring({ serviceName: 'shop', endpoint: MEMORY_ENDPOINT, diagnostics: { warn() {} }, webVitals: false });
    return { m, dropped: m.stats.dropped };
  },
};

describe.each(['full', 'lite'] as const)('initMonitoring (%s)', (tier) => {
  const api = tier === 'full' ? full : lite;

  describe('before init', () => {
    it('should count the calls over the 100 kept as queue_full in the new instance', async () => {
      const memory = memoryFetch();
      for (let i = 0; i < 130; i++) api.track('early', { i });
      const { m, dropped } = tiers[tier]();
      await m.flush(1000);
      expect(memory.events).toHaveLength(100);
      expect(dropped.queue_full).toBe(30);
    });
  });

  describe('after shutdown', () => {
    it('should drop and count calls as shutdown, never replaying them into a later instance', async () => {
      const memory = memoryFetch();
      const first = tiers[tier]();
      await first.m.shutdown(500);
      expect(api.track('after_shutdown')).toBeUndefined();
      expect(api.captureException(new Error('after shutdown'))).toBeUndefined();
      expect(api.getMonitoring()).toBeUndefined();
      expect(first.dropped.shutdown).toBe(2);
      const second = tiers[tier]();
      await second.m.flush(1000);
      expect(memory.events).toEqual([]);
      expect(second.dropped.queue_full).toBe(0);
    });
  });
});
