import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createErrorTracker, MonitoredError, pipelineStageFailed } from '@lookout/errors';
import type { ErrorRecord } from '@lookout/errors';
import { memorySink } from './helpers/memorySink.js';

function quietTracker(extra: Record<string, unknown> = {}) {
  const sink = memorySink();
  const messages: string[] = [];
  const diagnostics = createDiagnostics({ level: 'warn', logger: { error: (m) => messages.push(m), warn: (m) => messages.push(m), info: () => {}, debug: () => {} } });
  const tracker = createErrorTracker({ sinks: [sink], registry: createMetricsRegistry(), diagnostics, rateLimit: false, ...extra });
  return { tracker, sink, messages };
}

function cyclic(): unknown {
  const a: Record<string, unknown> = { name: 'cyclic' };
  a['self'] = a;
  a['list'] = [a, { back: a }];
  return a;
}

function hostile(): unknown {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
      ownKeys() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    },
  );
}

function errorWithThrowingGetters(): unknown {
  const e = new Error('base');
  Object.defineProperty(e, 'stack', { get: () => { throw new Error('no stack'); } });
  Object.defineProperty(e, 'message', { get: () => { throw new Error('no message'); } });
  Object.defineProperty(e, 'cause', { get: () => { throw new Error('no cause'); } });
  return e;
}

function hugeStack(): Error {
  const e = new Error('deep');
  e.stack = 'Error: deep\n' + Array.from({ length: 200_000 }, (_, i) => `    at fn${i} (/app/src/file${i}.js:${i}:1)`).join('\n');
  return e;
}

const thrown = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.constantFrom(null, undefined, 0, -0, NaN, Symbol('s'), 10n, () => 1),
  fc.constant(cyclic()),
  fc.constant(hostile()),
  fc.constant(errorWithThrowingGetters()),
  fc.constant(hugeStack()),
  fc.string().map((s) => new Error(s)),
  fc.string().map((s) => pipelineStageFailed(s, s)),
  fc.record({ message: fc.anything(), name: fc.anything(), stack: fc.anything(), cause: fc.anything() }),
);

function meaningful(r: ErrorRecord | undefined): void {
  expect(r).toBeDefined();
  expect(typeof r?.type).toBe('string');
  expect(r?.type.length).toBeGreaterThan(0);
  expect(typeof r?.message).toBe('string');
  expect(r?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  expect(r?.id).toMatch(/^[0-9a-f]{32}$/);
  expect(r?.stack.length).toBeLessThanOrEqual(50);
}

describe('createErrorTracker (garbage input)', () => {
  describe('captureError', () => {
    it('should never throw and always record something meaningful, whatever is thrown', () => {
      const { tracker, sink } = quietTracker();
      fc.assert(
        fc.property(thrown, fc.anything(), (value, context) => {
          const before = sink.records.length;
          let id: string | undefined;
          expect(() => (id = tracker.captureError(value, context as never))).not.toThrow();
          // An object captured before (fast-check reuses values) is not recorded again: its first id comes back.
          if (sink.records.length === before) expect(sink.records.map((r) => r.id)).toContain(id);
          else meaningful(sink.records[before]);
        }),
        { numRuns: 300 },
      );
    });

    it('should describe non-Errors', () => {
      const { tracker, sink } = quietTracker();
      tracker.captureError(null);
      tracker.captureError('plain string');
      tracker.captureError({ code: 1, detail: 'x' });
      tracker.captureError(hostile());
      tracker.captureError(cyclic());
      expect(sink.records.map((r) => r.message)).toEqual([
        'null was thrown',
        'plain string',
        'Object thrown with keys: code, detail',
        'Object thrown with keys: (none)',
        'Object thrown with keys: name, self, list',
      ]);
      expect(sink.records[4]?.context['thrown']).toEqual({ name: 'cyclic', self: '[Circular]', list: ['[Circular]', { back: '[Circular]' }] });
      // A synthetic stack points at the capture site, not at the tracker.
      expect(sink.records[0]?.stack[0]?.filename).toContain('garbage.test.ts');
    });

    it('should cut a huge stack to maxStackFrames', () => {
      const { tracker, sink } = quietTracker();
      tracker.captureError(hugeStack());
      expect(sink.records[0]?.stack).toHaveLength(50);
      expect(sink.records[0]?.stack[0]).toEqual({ function: 'fn0', filename: '/app/src/file0.js', lineno: 0, colno: 1, inApp: true });
    });
  });

  describe('other methods', () => {
    it('should never throw on garbage, with one diagnostic per kind of misuse', async () => {
      const { tracker, messages } = quietTracker();
      fc.assert(
        fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, c) => {
          expect(() => tracker.captureMessage(a as never, b as never, c as never)).not.toThrow();
          expect(() => tracker.addBreadcrumb(a as never)).not.toThrow();
          expect(() => tracker.setUser(a as never)).not.toThrow();
          expect(() => tracker.setSession(b as never)).not.toThrow();
          expect(() => tracker.getGroup(a as never)).not.toThrow();
          expect(() => tracker.addSink(c as never)).not.toThrow();
        }),
        { numRuns: 200 },
      );
      await expect(tracker.retry(42 as never)).resolves.toBeUndefined();
      await expect(tracker.flush(-1)).resolves.toBe(true);
      expect(messages.filter((m) => m.includes('errors/invalid-breadcrumb'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('errors/invalid-sink'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('errors/invalid-argument'))).toHaveLength(1);
    });

    it('should give one diagnostic per invalid option and fall back to defaults', () => {
      const { tracker, sink, messages } = quietTracker({ maxBreadcrumbs: -3, rateLimit: 'yes', unknownOption: 1 });
      tracker.captureError(new Error('still works'));
      expect(sink.records).toHaveLength(1);
      expect(messages.filter((m) => m.includes('maxBreadcrumbs'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('rateLimit'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('unknownOption'))).toHaveLength(1);
    });

    it('should build typed errors from garbage without throwing', () => {
      fc.assert(
        fc.property(fc.anything(), fc.anything(), (a, b) => {
          expect(() => new MonitoredError(a as never, b as never)).not.toThrow();
          expect(() => pipelineStageFailed(a as never, b)).not.toThrow();
        }),
      );
    });
  });
});
