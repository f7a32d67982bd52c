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

    it('should keep runtime metrics off when turned off before they were registered', async () => {
      const registry = createMetricsRegistry();
      m = initMonitoring({ metrics: { registry }, exit: { signals: false }, errors: false, security: false });
      m.reconfigure({ runtimeMetrics: false });
      await m.ready();
      const { renderPrometheus } = await import('@lookout/core');
      expect(await renderPrometheus(registry)).not.toContain('process_memory_usage_bytes');
      m.reconfigure({ runtimeMetrics: true });
      expect(await renderPrometheus(registry)).toMatch(/^process_memory_usage_bytes \d+/m);
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

    it('should change the error rate limit at run time, keeping the groups, breadcrumbs and sinks', async () => {
      const captured: { message: string; groupCount: number; breadcrumbs: { message: string }[] }[] = [];
      const sink = { name: 'memory', capture: (r: (typeof captured)[number]) => void captured.push(r) };
      m = initMonitoring({ metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: { sinks: [sink as never], globalHandlers: false, rateLimit: { perGroup: 100 } }, security: false });
      await m.ready();
      const first = m.errors;
      const fail = (): void => void m!.errors.captureError(new Error('db down'));
      m.errors.addBreadcrumb({ message: 'checkout started' });
      for (let i = 0; i < 3; i++) fail();
      m.reconfigure({ errors: { rateLimit: { perGroup: 4 } } });
      expect(m.errors).toBe(first);
      for (let i = 0; i < 3; i++) fail();
      // The window's 3 forwarded records count under the new limit: one more, not four.
      expect(captured).toHaveLength(4);
      expect(captured.at(-1)?.groupCount).toBe(4);
      expect(m.errors.getGroups()[0]).toMatchObject({ count: 6, suppressed: 2 });
      expect(captured.at(-1)?.breadcrumbs.map((b) => b.message)).toContain('checkout started');
    });

    it('should apply error changes made before the tracker loaded', async () => {
      m = initMonitoring({ metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: { globalHandlers: false, rateLimit: { perGroup: 10, windowMs: 60_000 } }, security: false });
      m.reconfigure({ errors: { rateLimit: { perGroup: 1 } } });
      await m.ready();
      for (let i = 0; i < 3; i++) m.errors.captureError(new Error('early'));
      expect(m.errors.getGroups()[0]).toMatchObject({ count: 3, suppressed: 2 });
    });

    it('should remove and reinstall the global handlers on the same tracker', async () => {
      m = initMonitoring({ metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: { sinks: [{ name: 'x', capture: () => {} }] }, security: false });
      await m.ready();
      const installed = process.listenerCount('uncaughtExceptionMonitor');
      m.reconfigure({ errors: { globalHandlers: false } });
      await pollUntil('handlers removed', async () => (process.listenerCount('uncaughtExceptionMonitor') === installed - 1 ? true : undefined), 5_000);
      m.reconfigure({ errors: { globalHandlers: true } });
      await pollUntil('handlers back', async () => (process.listenerCount('uncaughtExceptionMonitor') === installed ? true : undefined), 5_000);
    });

    it('should change the brute-force threshold at run time, counting the failures from before', async () => {
      const events: { action: string }[] = [];
      const sink = { name: 'memory', write: (e: { action: string }) => void events.push(e) };
      m = initMonitoring({ metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: false, security: { sinks: [sink as never], bruteForce: { maxFailures: 10 } } });
      await m.ready();
      const first = m.security;
      const fail = (actor: string): void => void m!.security.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor });
      for (let i = 0; i < 3; i++) fail('a');
      m.security.block('user:mallory', 60_000);
      expect(m.security.isBlocked({ actor: 'a' })).toBe(false);
      m.reconfigure({ security: { bruteForce: { maxFailures: 4 } } });
      expect(m.security).toBe(first);
      expect(m.security.isBlocked({ actor: 'mallory' })).toBe(true);
      fail('a');
      expect(m.security.isBlocked({ actor: 'a' })).toBe(true);
      await m.security.flush();
      expect(events.filter((e) => e.action === 'authn_login_fail')).toHaveLength(4);
      expect(events.filter((e) => e.action === 'authn_login_fail_max')).toHaveLength(1);
    });

    it('should refuse an option the loaded logger fixes at creation with one diagnostic', async () => {
      const { logger: l, messages } = logger();
      m = initMonitoring({ diagnostics: { logger: l }, metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, errors: false, security: { sinks: [] } });
      await m.ready();
      m.reconfigure({ security: { redaction: {}, alertCooldownMs: 1000 } });
      expect(messages.filter((x) => x.includes('invalid-changes'))).toHaveLength(1);
      expect(messages.filter((x) => x.includes('redaction'))).toHaveLength(1);
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
