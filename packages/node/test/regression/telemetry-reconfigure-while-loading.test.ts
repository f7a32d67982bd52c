import { createMetricsRegistry } from '@lookout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollUntil, startHttpReceiver, type HttpReceiverHandle } from '../../../../testing/backends.js';
import { initMonitoring, resetMonitoringForTests, type Monitoring } from '../../src/index.js';

const QUIET = { runtimeMetrics: false, exit: { signals: false }, errors: false, security: false, diagnostics: { level: 'none' } } as const;

describe('Monitoring', () => {
  let m: Monitoring | undefined;
  let receiver: HttpReceiverHandle;
  beforeEach(async () => {
    receiver = await startHttpReceiver({ status: 200 });
  });
  afterEach(async () => {
    await m?.shutdown(200);
    resetMonitoringForTests();
    await receiver.stop();
  });

  describe('reconfigure', () => {
    it('should keep telemetry off when it is turned off while the client still loads', async () => {
      m = initMonitoring({ ...QUIET, metrics: { registry: createMetricsRegistry() }, telemetry: { endpoint: `${receiver.url}/events` } });
      m.reconfigure({ telemetry: false });
      await m.ready();
      m.telemetry.track('after.opt.out');
      await m.flush(500);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.requests).toHaveLength(0);
    });

    it('should keep telemetry off when it is turned off while a reconfigured client still loads', async () => {
      m = initMonitoring({ ...QUIET, metrics: { registry: createMetricsRegistry() }, telemetry: false });
      m.reconfigure({ telemetry: { endpoint: `${receiver.url}/events` } });
      m.reconfigure({ telemetry: false });
      await new Promise((resolve) => setTimeout(resolve, 300));
      m.telemetry.track('after.opt.out');
      await m.flush(500);
      expect(receiver.requests).toHaveLength(0);
    });

    it('should flush at shutdown a telemetry client turned on after an init without telemetry', async () => {
      m = initMonitoring({ ...QUIET, metrics: { registry: createMetricsRegistry() }, telemetry: false });
      const before = m.telemetry;
      m.reconfigure({ telemetry: { endpoint: `${receiver.url}/events` } });
      await pollUntil('telemetry client', async () => (m!.telemetry !== before ? true : undefined), 10_000);
      m.telemetry.track('turned.on');
      await m.shutdown(1000);
      expect(receiver.requests.length).toBeGreaterThan(0);
    });

    it('should start the replacing telemetry client with the consent the host gave, not the init options', async () => {
      m = initMonitoring({ ...QUIET, metrics: { registry: createMetricsRegistry() }, telemetry: { endpoint: `${receiver.url}/events`, consent: 'pending' } });
      await m.ready();
      m.telemetry.optIn();
      const before = m.telemetry;
      expect(before.consent).toBe('granted');
      m.reconfigure({ telemetry: { sampling: { defaultRate: 1 } } });
      await pollUntil('telemetry client', async () => (m!.telemetry !== before ? true : undefined), 10_000);
      expect(m.telemetry.consent).toBe('granted');
      m.telemetry.track('after.reconfigure');
      await m.flush(1000);
      expect(receiver.requests.length).toBeGreaterThan(0);
    });

    it('should keep telemetry denied across a reconfigure after optOut()', async () => {
      m = initMonitoring({ ...QUIET, metrics: { registry: createMetricsRegistry() }, telemetry: { endpoint: `${receiver.url}/events`, consent: 'granted' } });
      await m.ready();
      m.telemetry.optOut();
      const before = m.telemetry;
      m.reconfigure({ telemetry: { sampling: { defaultRate: 1 } } });
      await pollUntil('telemetry client', async () => (m!.telemetry !== before ? true : undefined), 10_000);
      expect(m.telemetry.consent).toBe('denied');
      m.telemetry.track('after.reconfigure');
      await m.flush(500);
      expect(receiver.requests).toHaveLength(0);
    });
  });
});
