import fc from 'fast-check';
import { createMetricsRegistry, type Logger } from '@lookout/core';
import { afterEach, describe, expect, it } from 'vitest';
import { initMonitoring, resetMonitoringForTests } from '../src/index.js';

function logger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const push = (m: string): void => void messages.push(m);
  return { logger: { error: push, warn: push, info: () => {}, debug: () => {} }, messages };
}

describe('initMonitoring', () => {
  afterEach(async () => {
    resetMonitoringForTests();
  });

  describe('garbage input', () => {
    it('should never throw on any input, and always return a usable handle', async () => {
      await fc.assert(
        fc.asyncProperty(fc.anything(), async (input) => {
          const m = initMonitoring(input as never);
          expect(typeof m.metrics.counter).toBe('function');
          m.telemetry.track('x');
          m.errors.captureError(new Error('x'));
          m.security.logSecurityEvent({ type: 'authn_login_fail' } as never);
          m.reconfigure(input as never);
          await m.shutdown(50);
          resetMonitoringForTests();
        }),
        { numRuns: 40 },
      );
    });

    it('should report one diagnostic for one invalid field and keep the rest', async () => {
      const { logger: l, messages } = logger();
      const registry = createMetricsRegistry();
      const m = initMonitoring({ diagnostics: { logger: l }, metrics: { registry, prometheus: { port: -1 } } as never, runtimeMetrics: false, exit: { signals: false }, errors: false, security: false });
      expect(messages.filter((x) => x.includes('metrics.prometheus.port'))).toHaveLength(1);
      expect(m.metrics).toBe(registry);
      await m.shutdown(100);
    });

    it('should warn on a second call and return the same handle', async () => {
      const { logger: l, messages } = logger();
      const first = initMonitoring({ diagnostics: { logger: l }, runtimeMetrics: false, exit: { signals: false }, metrics: { registry: createMetricsRegistry() } });
      const second = initMonitoring({ serviceName: 'other' });
      expect(second).toBe(first);
      expect(messages.filter((x) => x.includes('init.twice'))).toHaveLength(1);
      await first.shutdown(100);
    });
  });
});
