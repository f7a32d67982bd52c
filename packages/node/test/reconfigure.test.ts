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

    it('should turn runtime metrics off and back on', async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring({ metrics: { registry }, exit: { signals: false }, errors: false, security: false });
      await m.ready();
      const { renderPrometheus } = await import('@lookout/core');
      const cpuSample = /^process_cpu_time_seconds_total\{cpu_mode="user"\} \S+$/m;
      expect(await renderPrometheus(registry)).toMatch(cpuSample);
      m.reconfigure({ runtimeMetrics: false });
      const off = await renderPrometheus(registry);
      expect(off).not.toMatch(cpuSample);
      expect(off).not.toMatch(/^process_memory_usage_bytes /m);
      m.reconfigure({ runtimeMetrics: true });
      expect(await renderPrometheus(registry)).toMatch(cpuSample);
    });

    it('should turn runtime metrics on when they were off at init', async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring({ metrics: { registry }, runtimeMetrics: false, exit: { signals: false }, errors: false, security: false });
      await m.ready();
      const { renderPrometheus } = await import('@lookout/core');
      expect(await renderPrometheus(registry)).not.toContain('process_memory_usage_bytes');
      m.reconfigure({ runtimeMetrics: true });
      expect(await renderPrometheus(registry)).toMatch(/^process_memory_usage_bytes \d+/m);
    });

    it('should change the error rate limit at run time, keeping the sinks', async () => {
      const captured: string[] = [];
      const sink = { name: 'memory', capture: (r: { message: string }) => void captured.push(r.message) };
      m = initMonitoring({ metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: { sinks: [sink], globalHandlers: false, rateLimit: { perGroup: 100 } }, security: false });
      await m.ready();
      for (let i = 0; i < 3; i++) m.errors.captureError(new Error('before'));
      expect(captured.filter((x) => x === 'before')).toHaveLength(3);
      const first = m.errors;
      m.reconfigure({ errors: { rateLimit: { perGroup: 1 } } });
      await pollUntil('tracker rebuilt', async () => (m!.errors !== first ? true : undefined), 5_000);
      for (let i = 0; i < 3; i++) m.errors.captureError(new Error('after'));
      expect(captured.filter((x) => x === 'after')).toHaveLength(1);
    });

    it('should change the brute-force threshold at run time, keeping the sinks', async () => {
      const events: unknown[] = [];
      const sink = { name: 'memory', write: (e: unknown) => void events.push(e) };
      m = initMonitoring({ metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: false, security: { sinks: [sink as never], bruteForce: { maxFailures: 10 } } });
      await m.ready();
      const fail = (actor: string): void => void m!.security.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor });
      fail('a');
      fail('a');
      expect(m.security.isBlocked({ actor: 'a' })).toBe(false);
      const first = m.security;
      m.reconfigure({ security: { bruteForce: { maxFailures: 2 } } });
      await pollUntil('logger rebuilt', async () => (m!.security !== first ? true : undefined), 5_000);
      fail('b');
      fail('b');
      expect(m.security.isBlocked({ actor: 'b' })).toBe(true);
      await m.security.flush();
      expect(events.length).toBeGreaterThanOrEqual(4);
    });

    it('should refuse options fixed at init with one diagnostic each', () => {
      const { logger: l, messages } = logger();
      m = initMonitoring({ diagnostics: { logger: l }, metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false } });
      m.reconfigure({ errors: { dsn: 'http://k@127.0.0.1:1/1' } as never, security: { auditLog: { dir: '/tmp/x' } } as never });
      expect(messages.filter((x) => x.includes('reconfigure.invalid'))).toHaveLength(2);
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
