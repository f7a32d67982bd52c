import { createMetricsRegistry, type Logger } from '@lookout/core';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../testing/backends.js';
import { initMonitoring, resetMonitoringForTests, type Monitoring } from '../src/index.js';

function logger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const push = (m: string): void => void messages.push(m);
  return { logger: { error: push, warn: push, info: push, debug: push }, messages };
}

describe('Monitoring', () => {
  let m: Monitoring | undefined;
  afterEach(async () => {
    await m?.shutdown(200);
    resetMonitoringForTests();
  });

  describe('ready', () => {
    it('should record process start to ready once in the startup metric', async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring({ metrics: { registry }, runtimeMetrics: false, exit: { signals: false }, namespace: 'svc' });
      await m.ready();
      await m.ready();
      const { renderPrometheus } = await import('@lookout/core');
      const text = await renderPrometheus(registry);
      expect(text).toContain('svc_startup_duration_seconds_count 1');
      const sum = Number(/svc_startup_duration_seconds_sum (\S+)/.exec(text)?.[1]);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(performance.now() / 1000 + 0.001);
    });
  });

  describe('reconfigure', () => {
    it('should change the diagnostics level at run time', () => {
      const { logger: l, messages } = logger();
      m = initMonitoring({ diagnostics: { logger: l, level: 'error' }, metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false } });
      m.diagnostics.info('test.info', 'first');
      m.reconfigure({ diagnostics: { level: 'info' } });
      m.diagnostics.info('test.info', 'second');
      expect(messages.filter((x) => x.includes('test.info'))).toEqual(['[lookout] test.info: second']);
    });

    it('should start a scrape endpoint without a restart, and stop it again', async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring({ metrics: { registry }, runtimeMetrics: false, exit: { signals: false } });
      registry.counter('live.things').add(2);
      expect(m.scrapeUrl).toBeUndefined();
      m.reconfigure({ metrics: { prometheus: { port: 0 } } });
      const url = await pollUntil('scrape endpoint', async () => m!.scrapeUrl, 5_000);
      expect(await (await fetch(url)).text()).toContain('live_things_total 2');
      m.reconfigure({ metrics: { prometheus: false } });
      await pollUntil('endpoint closed', async () => (m!.scrapeUrl === undefined ? true : undefined), 5_000);
      await expect(fetch(url)).rejects.toThrow();
    });

    it('should ignore garbage with one diagnostic', () => {
      const { logger: l, messages } = logger();
      m = initMonitoring({ diagnostics: { logger: l }, metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false } });
      m.reconfigure(42 as never);
      m.reconfigure({ diagnostics: { level: 'loud' as never } });
      expect(messages.filter((x) => x.includes('reconfigure.invalid'))).toHaveLength(2);
    });
  });
});
