import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus, resetDefaultRegistryForTests } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import {
  MonitoredError,
  analysisFailed,
  configurationError,
  createErrorTracker,
  databaseOperationFailed,
  pipelineStageFailed,
} from '@lookout/errors';
import type { ErrorTrackerOptions, SpikeEvent } from '@lookout/errors';
import { memorySink } from './helpers/memorySink.js';

function setup(extra: ErrorTrackerOptions = {}) {
  const sink = memorySink();
  const registry = createMetricsRegistry();
  const warnings: string[] = [];
  const diagnostics: Diagnostics = createDiagnostics({
    level: 'warn',
    logger: { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {}, debug: () => {} },
  });
  let t = 1_700_000_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const tracker = createErrorTracker({ sinks: [sink], registry, diagnostics, now: clock.now, ...extra });
  return { tracker, sink, registry, warnings, clock };
}

function throwFrom(message: string): unknown {
  try {
    throw new Error(message);
  } catch (error) {
    return error;
  }
}

describe('createErrorTracker', () => {
  afterEach(() => vi.useRealTimers());

  describe('captureError', () => {
    it('should record an id, category, severity, timestamp, user and session ids, context and a parsed stack', () => {
      const { tracker, sink } = setup();
      tracker.setUser('user-42');
      tracker.setSession('session-7');
      const id = tracker.captureError(new TypeError('x is not a function'), { context: { route: '/items' } });
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      const r = sink.records[0];
      expect(r).toMatchObject({
        id,
        kind: 'error',
        type: 'TypeError',
        message: 'x is not a function',
        category: 'javascript',
        severity: 'high',
        userId: 'user-42',
        sessionId: 'session-7',
        timestamp: 1_700_000_000_000,
        context: { route: '/items' },
        handled: true,
        mechanism: 'manual',
      });
      expect(r?.stack[0]?.filename).toContain('tracker.test.ts');
      expect(r?.stack[0]?.inApp).toBe(true);
      expect(r?.stack[0]?.lineno).toBeGreaterThan(0);
    });

    it('should infer network, database, api and custom categories', () => {
      const { tracker, sink } = setup({ categories: ['billing'] });
      tracker.captureError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
      tracker.captureError(Object.assign(new Error('duplicate key'), { code: '23505' }));
      tracker.captureError(Object.assign(new Error('upstream failed'), { status: 502 }));
      tracker.captureError(new Error('card declined'), { category: 'billing' });
      tracker.captureError(new Error('quota'), { category: 'quota_exceeded' });
      expect(sink.records.map((r) => r.category)).toEqual(['network', 'database', 'api', 'billing', 'quota_exceeded']);
    });

    it('should scrub messages, context, tags, user ids and breadcrumbs', () => {
      const { tracker, sink } = setup();
      tracker.setUser('bob@example.com');
      tracker.addBreadcrumb({ message: 'login bob@example.com', data: { password: 'hunter2' } });
      tracker.captureError(new Error('mail to bob@example.com failed'), { context: { token: 'abc', note: 'bob@example.com' }, tags: { who: 'bob@example.com' } });
      const r = sink.records[0];
      expect(JSON.stringify(r)).not.toContain('bob@example.com');
      expect(JSON.stringify(r)).not.toContain('hunter2');
      expect(r?.message).toBe('mail to [REDACTED:email] failed');
      expect(r?.context).toEqual({ token: '[REDACTED:key]', note: '[REDACTED:email]' });
    });

    it('should keep the last N breadcrumbs, oldest first, including earlier errors', () => {
      const { tracker, sink } = setup({ maxBreadcrumbs: 3 });
      for (let i = 0; i < 5; i++) tracker.addBreadcrumb({ message: `step ${i}` });
      tracker.captureError(new Error('first'));
      tracker.captureError(new Error('second'));
      expect(sink.records[0]?.breadcrumbs.map((b) => b.message)).toEqual(['step 2', 'step 3', 'step 4']);
      expect(sink.records[1]?.breadcrumbs.map((b) => b.message)).toEqual(['step 3', 'step 4', 'Error: first']);
    });

    it('should count errors_total by category and severity through the standard metric', async () => {
      const { tracker, registry } = setup({ namespace: 'lookout_test' });
      tracker.captureError(new TypeError('a'));
      tracker.captureError(new TypeError('b'));
      tracker.captureError(new Error('c'), { category: 'database', severity: 'critical' });
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_test_errors_total{category="javascript",severity="high"} 2');
      expect(text).toContain('lookout_test_errors_total{category="database",severity="critical"} 1');
    });

    it('should record no metrics, not even in the default registry, when no registry is passed', async () => {
      const defaults = resetDefaultRegistryForTests();
      defaults.enable();
      try {
        const sink = memorySink();
        const tracker = createErrorTracker({ sinks: [sink], diagnostics: createDiagnostics({ level: 'none' }), namespace: 'lookout_noreg' });
        tracker.captureError(new TypeError('a'));
        tracker.captureMessage('m', 'low');
        expect(sink.records).toHaveLength(2);
        expect(await renderPrometheus(defaults)).not.toMatch(/lookout_noreg_errors_total|lookout_errors_/);
      } finally {
        resetDefaultRegistryForTests();
      }
    });

    it('should follow the cause chain', () => {
      const { tracker, sink } = setup();
      const root = new Error('socket closed');
      tracker.captureError(new Error('query failed', { cause: new Error('pool exhausted', { cause: root }) }));
      expect(sink.records[0]?.causes.map((c) => c.message)).toEqual(['pool exhausted', 'socket closed']);
    });
  });

  describe('typed errors', () => {
    it('should turn typed fields into tags and details', () => {
      const { tracker, sink } = setup();
      tracker.captureError(pipelineStageFailed('embed', 'model timed out'));
      tracker.captureError(analysisFailed('src/a.ts', new SyntaxError('Unexpected token')));
      tracker.captureError(databaseOperationFailed('insert', new Error('deadlock')));
      tracker.captureError(configurationError('apiUrl', 'must be https'));
      tracker.captureError(new MonitoredError('custom', { category: 'security', severity: 'low', tags: { rule: 'csrf' }, details: { ip: 'x' } }));
      const [stage, analysis, db, config, custom] = sink.records;
      expect(stage).toMatchObject({ type: 'PipelineStageError', category: 'business', severity: 'high', tags: { stage: 'embed' }, details: { stage: 'embed', reason: 'model timed out' } });
      expect(analysis).toMatchObject({ type: 'AnalysisError', category: 'business', severity: 'medium', details: { path: 'src/a.ts', error: 'SyntaxError: Unexpected token' } });
      expect(analysis?.causes[0]?.type).toBe('SyntaxError');
      expect(db).toMatchObject({ type: 'DatabaseError', category: 'database', tags: { operation: 'insert' } });
      expect(config).toMatchObject({ type: 'ConfigurationError', category: 'configuration', severity: 'critical', tags: { field: 'apiUrl' } });
      expect(custom).toMatchObject({ category: 'security', severity: 'low', tags: { rule: 'csrf' }, details: { ip: 'x' } });
    });
  });

  describe('grouping', () => {
    it('should put the same error with different ids, numbers and quoted values in one group', () => {
      const { tracker, sink } = setup();
      const ids = ['8f14e45f-ceea-467a-9a36-dedd4bea2543', 'c9f0f895-fb98-4b91-b9f5-1fd0297e236d'];
      for (const [i, id] of ids.entries()) {
        // Same throw site for both, as in a real loop.
        const error = throwFrom(`User ${id} not found after ${i + 3} attempts (key 'cache:${i}', trace 0x${i}f3a9b2c1)`);
        tracker.captureError(error);
      }
      const [a, b] = sink.records;
      expect(a?.fingerprint).toBe(b?.fingerprint);
      expect(a?.fingerprintParts[1]).toBe('User <uuid> not found after <n> attempts (key <str>, trace <hex>)');
      expect(tracker.getGroup(a?.fingerprint ?? '')?.count).toBe(2);
      expect(b?.groupCount).toBe(2);
    });

    it('should split errors of a different type or message', () => {
      const { tracker, sink } = setup();
      tracker.captureError(new TypeError('boom'));
      tracker.captureError(new RangeError('boom'));
      tracker.captureError(new TypeError('bang'));
      expect(new Set(sink.records.map((r) => r.fingerprint)).size).toBe(3);
      expect(tracker.getGroups()).toHaveLength(3);
    });
  });

  describe('rate limit', () => {
    it('should forward at most perGroup records per window per group, and count the rest', async () => {
      const { tracker, sink, clock, registry } = setup({ rateLimit: { perGroup: 3, windowMs: 1000 } });
      for (let i = 0; i < 10; i++) expect(tracker.captureError(new Error(`storm ${i}`))).toMatch(/^[0-9a-f]{32}$/);
      tracker.captureError(new Error('other'));
      expect(sink.records.map((r) => r.message)).toEqual(['storm 0', 'storm 1', 'storm 2', 'other']);
      const group = tracker.getGroup(sink.records[0]?.fingerprint ?? '');
      expect(group).toMatchObject({ count: 10, suppressed: 7 });
      clock.advance(1000);
      tracker.captureError(new Error('storm 11'));
      expect(sink.records.at(-1)?.message).toBe('storm 11');
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_errors_suppressed_total{reason="rate_limited"} 7');
      expect(text).toContain('app_errors_total{category="javascript",severity="high"} 12');
    });
  });

  describe('spike detection', () => {
    it('should fire once per group when its rate crosses the threshold, then again only after the cooldown', () => {
      const spikes: SpikeEvent[] = [];
      const { tracker, clock } = setup({
        rateLimit: false,
        spike: { onSpike: (s) => void spikes.push(s), windowMs: 10_000, groupThreshold: 5, categoryThreshold: 1000, cooldownMs: 60_000 },
      });
      for (let i = 0; i < 4; i++) tracker.captureError(new Error(`spike ${i}`));
      expect(spikes).toHaveLength(0);
      tracker.captureError(new Error('spike 4'));
      expect(spikes).toHaveLength(1);
      expect(spikes[0]).toMatchObject({ kind: 'group', count: 5, threshold: 5, windowMs: 10_000, ratePerMinute: 30, category: 'javascript' });
      expect(spikes[0]?.group.count).toBe(5);
      for (let i = 0; i < 20; i++) tracker.captureError(new Error(`spike ${i + 5}`));
      expect(spikes).toHaveLength(1);
      clock.advance(61_000);
      for (let i = 0; i < 5; i++) tracker.captureError(new Error(`spike ${i + 50}`));
      expect(spikes).toHaveLength(2);
    });

    it('should not fire when occurrences are spread wider than the window', () => {
      const spikes: SpikeEvent[] = [];
      const { tracker, clock } = setup({ spike: { onSpike: (s) => void spikes.push(s), windowMs: 1000, groupThreshold: 3, categoryThreshold: 1000 } });
      for (let i = 0; i < 10; i++) {
        tracker.captureError(new Error('slow drip'));
        clock.advance(600);
      }
      expect(spikes).toHaveLength(0);
    });

    it('should fire for a category across groups and survive a throwing callback', () => {
      const spikes: SpikeEvent[] = [];
      const { tracker, warnings } = setup({
        spike: {
          onSpike: (s) => {
            spikes.push(s);
            throw new Error('pager down');
          },
          groupThreshold: 1000,
          categoryThreshold: 4,
        },
      });
      for (let i = 0; i < 4; i++) tracker.captureError(new Error(`distinct ${'x'.repeat(i)}`), { category: 'database' });
      expect(spikes).toHaveLength(1);
      expect(spikes[0]).toMatchObject({ kind: 'category', key: 'database', count: 4 });
      expect(warnings.some((w) => w.includes('pager down'))).toBe(true);
    });
  });

  describe('sinks', () => {
    it('should turn a failing sink into a diagnostic and keep the others running', async () => {
      const good = memorySink();
      const { tracker, warnings } = setup();
      tracker.addSink({ name: 'broken', capture: () => { throw new Error('sink down'); }, flush: () => Promise.reject(new Error('nope')) });
      tracker.addSink(good);
      expect(() => tracker.captureError(new Error('x'))).not.toThrow();
      expect(good.records).toHaveLength(1);
      expect(await tracker.flush(100)).toBe(false);
      expect(warnings.filter((w) => w.includes('sink broken failed'))).toHaveLength(2);
    });

    it('should let beforeCapture change or drop a record', () => {
      const { tracker, sink } = setup({ beforeCapture: (r) => (r.message === 'drop me' ? null : { ...r, tags: { ...r.tags, seen: 'yes' } }) });
      tracker.captureError(new Error('drop me'));
      tracker.captureError(new Error('keep me'));
      expect(sink.records.map((r) => [r.message, r.tags['seen']])).toEqual([['keep me', 'yes']]);
    });

    it('should capture nothing after shutdown', async () => {
      const { tracker, sink } = setup();
      await tracker.shutdown(100);
      expect(tracker.captureError(new Error('late'))).toBeUndefined();
      expect(sink.records).toHaveLength(0);
    });
  });

  describe('installGlobalHandlers', () => {
    it('should capture unhandled rejections (continue mode) and remove its listeners', async () => {
      const { tracker, sink } = setup();
      const before = process.listenerCount('unhandledRejection');
      const remove = tracker.installGlobalHandlers({ unhandledRejection: 'continue', uncaughtException: false });
      expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
      void Promise.reject(new Error('nobody caught me'));
      await new Promise((r) => setTimeout(r, 20));
      expect(sink.records[0]).toMatchObject({ message: 'nobody caught me', handled: false, mechanism: 'unhandledRejection', severity: 'high' });
      remove();
      expect(process.listenerCount('unhandledRejection')).toBe(before);
    });

    it('should observe uncaught exceptions through the monitor, keeping Node\'s default', () => {
      const { tracker } = setup();
      const before = process.listenerCount('uncaughtExceptionMonitor');
      const beforeUncaught = process.listenerCount('uncaughtException');
      const remove = tracker.installGlobalHandlers();
      expect(process.listenerCount('uncaughtExceptionMonitor')).toBe(before + 1);
      expect(process.listenerCount('uncaughtException')).toBe(beforeUncaught);
      expect(tracker.installGlobalHandlers()).toBe(remove);
      remove();
      expect(process.listenerCount('uncaughtExceptionMonitor')).toBe(before);
    });
  });
});
