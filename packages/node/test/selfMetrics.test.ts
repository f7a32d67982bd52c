import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pollUntil, promtoolCheckMetrics } from '../../../testing/backends.js';
import { initMonitoring, resetMonitoringForTests, type Monitoring } from '../src/index.js';
import { startPushReceiver, type PushReceiver } from './helpers/pushReceiver.js';

describe('delivery metrics of @lookout/node', () => {
  let m: Monitoring | undefined;
  let receiver: PushReceiver | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await m?.shutdown(200);
    resetMonitoringForTests();
    receiver?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('should export what became of each push and spooled payload, by exporter and outcome, promtool-clean', async () => {
    receiver = await startPushReceiver({ status: 503 });
    dir = await mkdtemp(join(tmpdir(), 'lookout-node-metrics-'));
    const registry = createMetricsRegistry();
    m = initMonitoring({
      metrics: { registry, pushgateway: { url: receiver.url, job: 'selftest' } },
      spool: { directory: dir },
      runtimeMetrics: false,
      exit: { signals: false },
      errors: false,
      security: false,
    });
    // The Pushgateway answers 503: the push is spooled.
    await m.flush(2000);
    let text = await renderPrometheus(registry);
    expect(text).toContain('lookout_push_payloads_total{exporter="pushgateway",outcome="spooled"} 1');
    expect(text).toContain('lookout_spool_payloads_total{spool="pushgateway",outcome="saved"} 1');
    expect(text).toContain('lookout_buffered_calls_dropped_total{part="telemetry"} 0');
    expect(promtoolCheckMetrics(text).problems).toEqual([]);

    // Back up: the spooled payload goes first, then this push.
    receiver.answer = { status: 200 };
    await m.flush(2000);
    text = await renderPrometheus(registry);
    expect(text).toContain('lookout_push_payloads_total{exporter="pushgateway",outcome="resent"} 1');
    expect(text).toContain('lookout_push_payloads_total{exporter="pushgateway",outcome="sent"} 1');
    expect(receiver.bodies).toHaveLength(3);
  });

  describe('registration', () => {
    const dropped = 'lookout_buffered_calls_dropped_total{part="telemetry"} 0';
    const options = (registry: ReturnType<typeof createMetricsRegistry>) =>
      ({ metrics: { registry }, runtimeMetrics: false, exit: { signals: false }, errors: false, security: false }) as const;

    it('should register them at ready(), not at init, with runtime metrics off too', async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring(options(registry));
      expect(await renderPrometheus(registry)).not.toContain('lookout_buffered_calls_dropped_total');
      await m.ready();
      expect(await renderPrometheus(registry)).toContain(dropped);
    });

    it('should register them a moment after init when nothing collects', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const registry = createMetricsRegistry();
        m = initMonitoring(options(registry));
        vi.advanceTimersByTime(100);
        expect(await renderPrometheus(registry)).toContain(dropped);
      } finally {
        vi.useRealTimers();
      }
    });

    it("should register them at Lookout's first collection", async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring({ ...options(registry), metrics: { registry, prometheus: { port: 0 } } });
      const url = await pollUntil('scrape endpoint', async () => m!.scrapeUrl, 5_000);
      expect(await (await fetch(url)).text()).toContain(dropped);
    });

    it('should never register them after shutdown', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const registry = createMetricsRegistry();
        m = initMonitoring(options(registry));
        await m.shutdown(200);
        vi.advanceTimersByTime(100);
        expect(await renderPrometheus(registry)).not.toContain('lookout_buffered_calls_dropped_total');
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
