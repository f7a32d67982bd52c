import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createErrorTracker } from '@lookout/errors';
import { memorySink } from './helpers/memorySink.js';

function setup() {
  const sink = memorySink();
  const registry = createMetricsRegistry();
  const tracker = createErrorTracker({ sinks: [sink], registry, diagnostics: createDiagnostics({ level: 'none' }) });
  const outcomes = async () => (await renderPrometheus(registry)).split('\n').filter((l) => l.startsWith('app_error_recoveries_total{'));
  return { tracker, sink, outcomes };
}

describe('ErrorTracker', () => {
  describe('retry', () => {
    it('should return the first success without capturing anything', async () => {
      const { tracker, sink, outcomes } = setup();
      await expect(tracker.retry(() => 42)).resolves.toBe(42);
      expect(sink.records).toHaveLength(0);
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="retry",outcome="success"} 1']);
    });

    it('should recover after failures, leaving a breadcrumb per failed attempt', async () => {
      const { tracker, sink, outcomes } = setup();
      let calls = 0;
      const value = await tracker.retry(
        async (attempt) => {
          calls++;
          if (attempt < 3) throw new Error(`flaky ${attempt}`);
          return 'ok';
        },
        { attempts: 5, backoff: { initialMs: 1, maxMs: 2 }, name: 'load-config' },
      );
      expect(value).toBe('ok');
      expect(calls).toBe(3);
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="retry",outcome="recovered"} 1']);
      tracker.captureMessage('after');
      const crumbs = sink.records[0]?.breadcrumbs.map((b) => b.message) ?? [];
      expect(crumbs[0]).toMatch(/^load-config: attempt 1 of 5 failed \(Error: flaky 1\); retrying in \d+ ms$/);
      expect(crumbs[2]).toBe('load-config: succeeded on attempt 3');
    });

    it('should rethrow the host error unchanged once attempts are exhausted, and capture it', async () => {
      const { tracker, sink, outcomes } = setup();
      const failure = new Error('still down');
      let calls = 0;
      await expect(
        tracker.retry(
          () => {
            calls++;
            throw failure;
          },
          { attempts: 3, backoff: 1, jitter: false },
        ),
      ).rejects.toBe(failure);
      expect(calls).toBe(3);
      expect(sink.records[0]).toMatchObject({ message: 'still down', mechanism: 'retry', context: { retry: { attempts: 3, outcome: 'exhausted' } } });
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="retry",outcome="exhausted"} 1']);
    });

    it('should stop at once when retryOn says no (or throws)', async () => {
      const { tracker, outcomes } = setup();
      let calls = 0;
      const fn = () => {
        calls++;
        throw new TypeError('bug');
      };
      await expect(tracker.retry(fn, { attempts: 5, retryOn: (e) => !(e instanceof TypeError) })).rejects.toThrow('bug');
      await expect(tracker.retry(fn, { attempts: 5, retryOn: () => { throw new Error('hook'); } })).rejects.toThrow('bug');
      expect(calls).toBe(2);
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="retry",outcome="not_retryable"} 2']);
    });
  });

  describe('withFallback', () => {
    it('should return the primary value when it works', async () => {
      const { tracker, sink, outcomes } = setup();
      await expect(tracker.withFallback(() => 'primary', 'fallback')).resolves.toBe('primary');
      expect(sink.records).toHaveLength(0);
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="fallback",outcome="primary"} 1']);
    });

    it('should capture the failure and return the fallback value or computed fallback', async () => {
      const { tracker, sink, outcomes } = setup();
      await expect(tracker.withFallback(async () => Promise.reject(new Error('cache down')), 'stale', { name: 'read-cache' })).resolves.toBe('stale');
      await expect(tracker.withFallback(() => { throw new Error('x'); }, (e) => `fallback for ${(e as Error).message}`)).resolves.toBe('fallback for x');
      expect(sink.records[0]).toMatchObject({ message: 'cache down', severity: 'medium', mechanism: 'fallback', context: { fallback: { name: 'read-cache' } } });
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="fallback",outcome="fallback"} 2']);
    });

    it('should let a failing fallback function\'s error through', async () => {
      const { tracker, outcomes } = setup();
      const second = new Error('fallback failed too');
      await expect(tracker.withFallback(() => { throw new Error('first'); }, () => { throw second; })).rejects.toBe(second);
      expect(await outcomes()).toEqual(['app_error_recoveries_total{helper="fallback",outcome="failed"} 1']);
    });
  });
});
