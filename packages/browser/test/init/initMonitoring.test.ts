import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createMetricsRegistry, LookoutConfigError } from '@lookout/core';
import { captureException, getMonitoring, initMonitoring, MAX_PENDING_CALLS, resetMonitoringForTests, setRoute, shutdown, track, trackDownload } from '@lookout/browser';
import type { Monitoring, MonitoringOptions } from '@lookout/browser';
import type { WebVitalsCollector } from '@lookout/web-vitals';
import { MEMORY_ENDPOINT, memoryFetch, recordingDiagnostics } from '../helpers/memory.js';

afterEach(async () => {
  await shutdown(1000);
  resetMonitoringForTests();
  vi.unstubAllGlobals();
});

function start(extra: MonitoringOptions = {}) {
  const memory = memoryFetch();
  const { diagnostics, messages } = recordingDiagnostics();
  const monitoring = initMonitoring({ serviceName: 'shop', endpoint: MEMORY_ENDPOINT, diagnostics, registry: createMetricsRegistry(), ...extra });
  return { monitoring, events: memory.events, messages };
}

async function sent(monitoring: Monitoring) {
  await monitoring.flush(2000);
}

describe('initMonitoring', () => {
  describe('before init', () => {
    it('should queue calls made before init and replay them in order', async () => {
      expect(track('early', { n: 1 })).toBeUndefined();
      trackDownload('mac', 'dmg', '3.0.0');
      setRoute('/pricing');
      captureException(new TypeError('too early'));
      const { monitoring, events } = start();
      await sent(monitoring);
      expect(events.map((e) => e.name)).toEqual(['early', 'download', 'error']);
      expect(events[1]?.attributes).toMatchObject({ platform: 'mac', method: 'dmg', version: '3.0.0' });
      expect(events[2]?.attributes).toMatchObject({ type: 'TypeError', message: 'too early', mechanism: 'manual' });
    });

    it('should keep at most MAX_PENDING_CALLS calls and report the rest once at init', async () => {
      for (let i = 0; i < MAX_PENDING_CALLS + 5; i++) track('early', { i });
      const { monitoring, events, messages } = start();
      await sent(monitoring);
      expect(events).toHaveLength(MAX_PENDING_CALLS);
      expect(messages.filter((m) => m.message.includes('5 call(s)'))).toHaveLength(1);
    });
  });

  describe('lifecycle', () => {
    it('should warn on a second init and return the same handle', () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const monitoring = initMonitoring({ serviceName: 'shop', diagnostics, webVitals: false });
      expect(initMonitoring({ serviceName: 'other', diagnostics })).toBe(monitoring);
      expect(getMonitoring()).toBe(monitoring);
      expect(messages.filter((m) => m.message.includes('already running'))).toHaveLength(1);
    });

    it('should stop everything on shutdown and allow a new init afterwards', async () => {
      const { monitoring, events } = start();
      monitoring.track('before');
      await monitoring.shutdown(1000);
      expect(events.map((e) => e.name)).toEqual(['before']);
      expect(getMonitoring()).toBeUndefined();
      expect(monitoring.track('after')).toBeUndefined();
      const next = start();
      expect(next.monitoring).not.toBe(monitoring);
    });

    it('should start web vitals in the next task, with a route named before', async () => {
      const { monitoring } = start();
      expect(monitoring.vitals).toBeUndefined();
      monitoring.setRoute('/pricing');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(monitoring.vitals?.route).toBe('/pricing');
    });

    it('should give the collector the URL the page had at init, though it starts a task later', async () => {
      vi.stubGlobal('location', { href: 'https://shop.example/products/1', pathname: '/products/1' });
      let landingUrl: string | undefined;
      const createCollector = (options: { landingUrl?: string }) => {
        landingUrl = options.landingUrl;
        return { setRoute: () => undefined, route: '/', softNavigationSupport: false, counts: {}, stop: () => undefined } as unknown as WebVitalsCollector;
      };
      start({ webVitals: { createCollector } });
      // A router that redirects in the same task as init.
      vi.stubGlobal('location', { href: 'https://shop.example/cart', pathname: '/cart' });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(landingUrl).toBe('https://shop.example/products/1');
    });

    it('should turn parts off with errors: false and webVitals: false', () => {
      const { monitoring } = start({ errors: false, webVitals: false });
      expect(monitoring.errors).toBeUndefined();
      expect(monitoring.vitals).toBeUndefined();
      expect(monitoring.captureException(new Error('x'))).toBeUndefined();
    });
  });

  describe('trackDownload', () => {
    it('should send a download event and drop invalid fields with one diagnostic', async () => {
      const { monitoring, events, messages } = start();
      expect(monitoring.trackDownload('linux', 'deb', '2.1.0')).toEqual(expect.any(String));
      expect(monitoring.trackDownload('linux', '', '2.1.0')).toBeUndefined();
      expect(monitoring.trackDownload('linux', 5 as unknown as string, '2.1.0')).toBeUndefined();
      await sent(monitoring);
      expect(events).toEqual([{ name: 'download', attributes: expect.objectContaining({ platform: 'linux', method: 'deb', version: '2.1.0' }) }]);
      expect(messages.filter((m) => m.message.includes('trackDownload'))).toHaveLength(1);
    });
  });

  describe('errors', () => {
    it('should send captured errors as error events with a stack', async () => {
      const { monitoring, events } = start();
      monitoring.captureException(new RangeError('bad range'), { tags: { area: 'cart' } });
      await sent(monitoring);
      expect(events[0]?.name).toBe('error');
      expect(events[0]?.attributes).toMatchObject({ type: 'RangeError', message: 'bad range', handled: true, 'tag.area': 'cart' });
      expect(String(events[0]?.attributes['stack'])).toMatch(/^RangeError: bad range\n {4}at /);
    });
  });

  describe('consent', () => {
    it('should send nothing with consent pending or after optOut, and send again after optIn', async () => {
      const { monitoring, events } = start({ consent: 'pending' });
      monitoring.track('a');
      monitoring.captureException(new Error('b'));
      await sent(monitoring);
      expect(events).toEqual([]);
      monitoring.optIn();
      monitoring.track('c');
      monitoring.optOut();
      monitoring.track('d');
      await sent(monitoring);
      expect(events).toEqual([]);
      expect(monitoring.telemetry.stats.dropped.consent).toBe(4);
      monitoring.optIn();
      monitoring.track('e');
      await sent(monitoring);
      expect(events.map((e) => e.name)).toEqual(['e']);
    });
  });

  describe('options', () => {
    it('should never throw on garbage options and always return a working handle', async () => {
      await fc.assert(
        fc.asyncProperty(fc.anything(), async (input) => {
          const { diagnostics } = recordingDiagnostics();
          const wrapped = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, diagnostics, strict: false, webVitals: false } : input;
          let monitoring: Monitoring | undefined;
          expect(() => {
            monitoring = initMonitoring(wrapped as MonitoringOptions);
          }).not.toThrow();
          expect(() => monitoring?.track('x')).not.toThrow();
          await monitoring?.shutdown(50);
          resetMonitoringForTests();
        }),
        { numRuns: 60 },
      );
    });

    it('should report each invalid option once by its path and use the default', () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const monitoring = initMonitoring({ serviceName: 'shop', endpoint: 'ftp://nope', consent: 'maybe' as 'granted', diagnostics, webVitals: false });
      const warnings = messages.filter((m) => m.level === 'warn' && m.message.includes('initMonitoring:')).map((m) => m.message);
      expect(warnings).toHaveLength(2);
      expect(warnings.some((w) => w.includes('initMonitoring: endpoint: invalid'))).toBe(true);
      expect(warnings.some((w) => w.includes('initMonitoring: consent:'))).toBe(true);
      expect(monitoring.consent).toBe('granted');
    });

    it('should throw LookoutConfigError with strict: true', () => {
      expect(() => initMonitoring({ strict: true, endpoint: 'not a url' })).toThrow(LookoutConfigError);
      expect(getMonitoring()).toBeUndefined();
    });
  });
});
