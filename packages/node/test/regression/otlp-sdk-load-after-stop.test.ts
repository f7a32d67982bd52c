import { createMetricsRegistry } from '@lookout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiverHandle } from '../../../../testing/backends.js';
import { initMonitoring, resetMonitoringForTests, type Monitoring } from '../../src/index.js';

const QUIET = { runtimeMetrics: false, exit: { signals: false }, errors: false, security: false, spool: false, diagnostics: { level: 'none' } } as const;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Monitoring', () => {
  let m: Monitoring | undefined;
  let first: HttpReceiverHandle;
  let second: HttpReceiverHandle;
  beforeEach(async () => {
    [first, second] = await Promise.all([startHttpReceiver(), startHttpReceiver()]);
  });
  afterEach(async () => {
    await m?.shutdown(200);
    resetMonitoringForTests();
    await Promise.all([first.stop(), second.stop()]);
  });

  describe('reconfigure', () => {
    it('should not start an OTLP SDK for the old endpoint when its import finishes after the change', async () => {
      m = initMonitoring({ ...QUIET, metrics: { registry: createMetricsRegistry(), otlp: { endpoint: `${first.url}/v1/metrics`, intervalMs: 100 } } });
      m.metrics.counter('fixture.items').add(1);
      m.reconfigure({ metrics: { otlp: { endpoint: `${second.url}/v1/metrics`, intervalMs: 100 } } });
      await sleep(1000);
      expect(second.requests.length).toBeGreaterThan(0);
      await m.shutdown(500);
      first.clear();
      await sleep(400);
      expect(first.requests).toHaveLength(0);
    });
  });
});
