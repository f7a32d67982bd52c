import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createErrorTracker } from '@lookout/errors';
import type { ErrorTrackerOptions, SpikeEvent } from '@lookout/errors';
import { memorySink } from './helpers/memorySink.js';

function setup(extra: ErrorTrackerOptions = {}) {
  const sink = memorySink();
  const warnings: string[] = [];
  const diagnostics = createDiagnostics({
    level: 'warn',
    maxPerMinute: 10_000,
    logger: { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {}, debug: () => {} },
  });
  let t = 1_700_000_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const tracker = createErrorTracker({ sinks: [sink], registry: createMetricsRegistry(), diagnostics, now: clock.now, ...extra });
  const invalid = (): string[] => warnings.filter((w) => w.includes('errors/invalid-changes'));
  return { tracker, sink, warnings, clock, invalid };
}

const boom = (): Error => new Error('boom');

describe('ErrorTracker', () => {
  describe('configure', () => {
    it('should continue a group\'s count and rate-limit window under a new perGroup', () => {
      const { tracker, sink } = setup({ rateLimit: { perGroup: 5, windowMs: 60_000 } });
      for (let i = 0; i < 3; i++) tracker.captureError(boom());
      tracker.configure({ rateLimit: { perGroup: 4 } });
      for (let i = 0; i < 3; i++) tracker.captureError(boom());
      expect(sink.records).toHaveLength(4);
      const [group] = tracker.getGroups();
      expect(group?.count).toBe(6);
      expect(group?.suppressed).toBe(2);
      expect(sink.records.at(-1)?.groupCount).toBe(4);
    });

    it('should keep the window start when only the window length changes', () => {
      const { tracker, sink, clock } = setup({ rateLimit: { perGroup: 2, windowMs: 60_000 } });
      tracker.captureError(boom());
      tracker.captureError(boom());
      clock.advance(30_000);
      tracker.configure({ rateLimit: { windowMs: 20_000 } });
      tracker.captureError(boom());
      expect(sink.records).toHaveLength(3);
      tracker.configure({ rateLimit: { windowMs: 120_000 } });
      clock.advance(1);
      tracker.captureError(boom());
      tracker.captureError(boom());
      expect(sink.records).toHaveLength(4);
    });

    it('should turn the rate limit off and back on', () => {
      const { tracker, sink } = setup({ rateLimit: { perGroup: 1 } });
      tracker.captureError(boom());
      tracker.configure({ rateLimit: false });
      for (let i = 0; i < 3; i++) tracker.captureError(boom());
      expect(sink.records).toHaveLength(4);
      tracker.configure({ rateLimit: { perGroup: 5 } });
      tracker.captureError(boom());
      tracker.captureError(boom());
      expect(sink.records).toHaveLength(5);
    });

    it('should keep breadcrumbs, user and session, and trim breadcrumbs when the ring shrinks', () => {
      const { tracker, sink } = setup({ maxBreadcrumbs: 10 });
      tracker.setUser('u-1');
      tracker.setSession('s-1');
      for (let i = 0; i < 5; i++) tracker.addBreadcrumb({ message: `step ${i}` });
      tracker.configure({ tags: { region: 'eu' } });
      tracker.captureError(boom());
      const first = sink.records[0];
      expect(first?.breadcrumbs.map((b) => b.message)).toEqual(['step 0', 'step 1', 'step 2', 'step 3', 'step 4']);
      expect(first?.userId).toBe('u-1');
      expect(first?.sessionId).toBe('s-1');
      expect(first?.tags).toEqual({ region: 'eu' });
      tracker.configure({ maxBreadcrumbs: 3 });
      tracker.captureError(new Error('second'));
      expect(sink.records[1]?.breadcrumbs.map((b) => b.message)).toEqual(['step 3', 'step 4', 'Error: boom']);
      tracker.configure({ maxBreadcrumbs: 20 });
      tracker.addBreadcrumb({ message: 'later' });
      tracker.captureError(new Error('third'));
      expect(sink.records[2]?.breadcrumbs.map((b) => b.message)).toEqual(['step 4', 'Error: boom', 'Error: second', 'later']);
    });

    it('should apply new classify and beforeCapture hooks, and remove them with undefined', () => {
      const { tracker, sink } = setup();
      tracker.configure({ classify: () => ({ category: 'database', severity: 'critical' }), beforeCapture: (r) => ({ ...r, message: 'scrubbed' }) });
      tracker.captureError(boom());
      expect(sink.records[0]).toMatchObject({ category: 'database', severity: 'critical', message: 'scrubbed' });
      tracker.configure({ classify: undefined, beforeCapture: undefined });
      tracker.captureError(new Error('plain'));
      expect(sink.records[1]).toMatchObject({ category: 'javascript', message: 'plain' });
    });

    it('should keep the spike window under a new threshold', () => {
      const spikes: SpikeEvent[] = [];
      const { tracker } = setup({ spike: { onSpike: (s) => void spikes.push(s), groupThreshold: 10, categoryThreshold: 1000 } });
      for (let i = 0; i < 4; i++) tracker.captureError(boom());
      tracker.configure({ spike: { groupThreshold: 5 } });
      expect(spikes).toHaveLength(0);
      tracker.captureError(boom());
      expect(spikes).toEqual([expect.objectContaining({ kind: 'group', count: 5, threshold: 5 })]);
    });

    it('should turn spike detection on with onSpike and off with false', () => {
      const spikes: SpikeEvent[] = [];
      const { tracker, invalid } = setup();
      tracker.configure({ spike: { groupThreshold: 2 } });
      expect(invalid()).toHaveLength(1);
      tracker.configure({ spike: { onSpike: (s) => void spikes.push(s), groupThreshold: 2, categoryThreshold: 1000 } });
      tracker.captureError(boom());
      tracker.captureError(boom());
      expect(spikes).toHaveLength(1);
      tracker.configure({ spike: false });
      for (let i = 0; i < 5; i++) tracker.captureError(new Error('other'));
      expect(spikes).toHaveLength(1);
    });

    it('should turn the tracker off and on, keeping the groups', () => {
      const { tracker, sink } = setup();
      tracker.captureError(boom());
      tracker.configure({ enabled: false });
      expect(tracker.captureError(boom())).toBeUndefined();
      tracker.configure({ enabled: true });
      tracker.captureError(boom());
      expect(sink.records.map((r) => r.groupCount)).toEqual([1, 2]);
    });

    it('should give one diagnostic per invalid, unknown or fixed change and apply the rest', () => {
      const { tracker, sink, invalid } = setup({ rateLimit: { perGroup: 5 } });
      tracker.configure({
        rateLimit: { perGroup: 1, windowMs: -5 },
        tags: { ok: 'yes', bad: { nested: true } },
        maxBreadcrumbs: 5000,
        sinks: [],
        registry: createMetricsRegistry(),
        fingerprintFrames: 1,
        nope: true,
        classify: 'not a function',
      } as never);
      expect(invalid()).toHaveLength(8);
      expect(invalid().join('\n')).toMatch(/sinks: is fixed at creation/);
      expect(invalid().join('\n')).toMatch(/rateLimit\.windowMs/);
      tracker.captureError(boom());
      tracker.captureError(boom());
      expect(sink.records).toHaveLength(1);
      expect(sink.records[0]?.tags).toEqual({ ok: 'yes' });
    });

    it('should never throw on garbage and give one diagnostic for a non-object', () => {
      fc.assert(
        fc.property(fc.anything(), (garbage) => {
          const { tracker, invalid, warnings } = setup();
          expect(() => tracker.configure(garbage as never)).not.toThrow();
          if (garbage === null || typeof garbage !== 'object' || Array.isArray(garbage)) expect(invalid()).toHaveLength(1);
          expect(warnings.filter((w) => w.includes('internal'))).toEqual([]);
          expect(() => tracker.captureError(boom())).not.toThrow();
        }),
        { numRuns: 300 },
      );
    });

    it('should do nothing after shutdown', async () => {
      const { tracker, invalid } = setup({ enabled: true });
      await tracker.shutdown(100);
      tracker.configure({ enabled: true, nope: 1 } as never);
      expect(invalid()).toHaveLength(0);
      expect(tracker.captureError(boom())).toBeUndefined();
    });
  });
});
