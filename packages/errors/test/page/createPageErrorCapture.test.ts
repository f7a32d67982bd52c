import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics, createMetricsRegistry, createRedactor, renderPrometheus } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import { DEFAULT_ERRORS_FLUSH_TIMEOUT_MS, DEFAULT_ERRORS_NAMESPACE, DEFAULT_RATE_LIMIT_PER_GROUP, DEFAULT_RATE_LIMIT_WINDOW_MS } from '@lookout/errors';
import { DEFAULT_PAGE_MAX_BREADCRUMBS, DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE, createPageErrorCapture } from '@lookout/errors/page';
import type { ErrorSink, PageErrorCaptureOptions } from '@lookout/errors/page';
import { memorySink } from '../helpers/memorySink.js';

function setup(extra: PageErrorCaptureOptions = {}) {
  const sink = memorySink();
  const warnings: string[] = [];
  const diagnostics: Diagnostics = createDiagnostics({
    level: 'warn',
    logger: { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {}, debug: () => {} },
  });
  const capture = createPageErrorCapture({ sinks: [sink], diagnostics, ...extra });
  return { capture, sink, warnings, diagnostics };
}

/** An Error thrown from a named function, so its stack has a known frame. */
function thrownFrom(message: string): Error {
  try {
    throw new TypeError(message);
  } catch (error) {
    return error as Error;
  }
}

type Target = { addEventListener?: unknown; removeEventListener?: unknown; dispatchEvent?: unknown };

afterEach(() => {
  const g = globalThis as Target;
  delete g.addEventListener;
  delete g.removeEventListener;
  delete g.dispatchEvent;
});

describe('createPageErrorCapture', () => {
  describe('defaults', () => {
    it("should use the full tracker's rate limit, namespace and flush deadline", () => {
      expect(DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE).toBe(DEFAULT_RATE_LIMIT_PER_GROUP);
      expect(DEFAULT_RATE_LIMIT_WINDOW_MS).toBe(60_000);
      expect(DEFAULT_ERRORS_NAMESPACE).toBe('app');
      expect(DEFAULT_ERRORS_FLUSH_TIMEOUT_MS).toBe(5000);
      expect(DEFAULT_PAGE_MAX_BREADCRUMBS).toBe(20);
    });
  });

  describe('captureError', () => {
    it('should hand every sink a full ErrorRecord', async () => {
      const { capture, sink } = setup({ tags: { release: '1.4.2', environment: 'production' } });
      const cause = new RangeError('inner 42');
      const error = thrownFrom('outer failure');
      (error as { cause?: unknown }).cause = cause;
      const id = capture.captureError(error, { tags: { route: '/pay' }, context: { cart: 3 } });
      expect(await capture.flush()).toBe(true);
      expect(sink.records).toHaveLength(1);
      const r = sink.records[0]!;
      expect(r.id).toBe(id);
      expect(r.id).toMatch(/^[0-9a-f]{32}$/);
      expect(r).toMatchObject({
        kind: 'error',
        type: 'TypeError',
        message: 'outer failure',
        category: 'javascript',
        severity: 'high',
        tags: { release: '1.4.2', environment: 'production', route: '/pay' },
        details: {},
        context: { cart: 3 },
        handled: true,
        mechanism: 'manual',
        groupCount: 1,
        breadcrumbs: [],
      });
      expect(r.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(r.fingerprintParts.slice(0, 2)).toEqual(['TypeError', 'outer failure']);
      expect(r.stack[0]).toMatchObject({ function: 'thrownFrom', inApp: true });
      expect(r.stack[0]?.filename).toContain('createPageErrorCapture.test.ts');
      expect(r.causes).toEqual([{ type: 'RangeError', message: 'inner 42', stack: expect.any(Array) }]);
      expect(typeof r.timestamp).toBe('number');
    });

    it('should classify fetch failures as network and honour the context', async () => {
      const { capture, sink } = setup();
      capture.captureError(new TypeError('Failed to fetch'));
      capture.captureError(new Error('x'), { category: 'business', severity: 'critical', handled: false, userId: 'u1', fingerprint: ['a', 'b'] });
      await capture.flush();
      expect(sink.records[0]).toMatchObject({ category: 'network', severity: 'high' });
      expect(sink.records[1]).toMatchObject({ category: 'business', severity: 'critical', handled: false, userId: 'u1', fingerprintParts: ['a', 'b'] });
    });

    it('should give a non-Error a synthetic stack from where it was captured', async () => {
      const { capture, sink } = setup();
      capture.captureError('plain string');
      await capture.flush();
      expect(sink.records[0]).toMatchObject({ type: 'NonError', message: 'plain string', context: { thrownType: 'string' } });
      expect(sink.records[0]?.stack[0]?.filename).toContain('createPageErrorCapture.test.ts');
    });

    it('should scrub with the redactor given', async () => {
      const { capture, sink } = setup({ redactor: createRedactor() });
      capture.setUser('carol@example.com');
      capture.addBreadcrumb({ message: 'mail carol@example.com' });
      capture.captureError(new Error('failed for carol@example.com'));
      await capture.flush();
      const text = JSON.stringify(sink.records);
      expect(text).not.toContain('carol@example.com');
      expect(sink.records[0]?.message).toBe('failed for [REDACTED:email]');
    });
  });

  describe('captureMessage', () => {
    it('should record a message at low severity by default, or the one given', async () => {
      const { capture, sink, warnings } = setup();
      capture.captureMessage('cache cold');
      capture.captureMessage('disk nearly full', 'medium');
      capture.captureMessage('odd', 'loud' as never);
      await capture.flush();
      expect(sink.records.map((r) => [r.kind, r.type, r.message, r.severity])).toEqual([
        ['message', 'Message', 'cache cold', 'low'],
        ['message', 'Message', 'disk nearly full', 'medium'],
        ['message', 'Message', 'odd', 'low'],
      ]);
      expect(warnings.filter((w) => w.includes('invalid severity'))).toHaveLength(1);
    });
  });

  describe('addBreadcrumb', () => {
    it('should keep the last maxBreadcrumbs, oldest first, with earlier errors among them', async () => {
      const { capture, sink, warnings } = setup({ maxBreadcrumbs: 3 });
      for (let i = 0; i < 5; i++) capture.addBreadcrumb({ category: 'ui', message: `click ${i}`, data: { i } });
      capture.captureError(new Error('first'));
      capture.addBreadcrumb({ message: 'after' });
      capture.addBreadcrumb({ nope: true } as never);
      capture.captureError(new Error('second'));
      await capture.flush();
      expect(sink.records[0]?.breadcrumbs.map((b) => b.message)).toEqual(['click 2', 'click 3', 'click 4']);
      expect(sink.records[0]?.breadcrumbs[0]).toMatchObject({ category: 'ui', level: 'info', data: { i: 2 } });
      expect(sink.records[1]?.breadcrumbs.map((b) => b.message)).toEqual(['click 4', 'Error: first', 'after']);
      expect(sink.records[1]?.breadcrumbs[1]).toMatchObject({ category: 'error', level: 'error' });
      expect(warnings.filter((w) => w.includes('invalid addBreadcrumb'))).toHaveLength(1);
    });

    it('should keep none with maxBreadcrumbs 0', async () => {
      const { capture, sink } = setup({ maxBreadcrumbs: 0 });
      capture.addBreadcrumb({ message: 'a' });
      capture.captureError(new Error('x'));
      await capture.flush();
      expect(sink.records[0]?.breadcrumbs).toEqual([]);
    });
  });

  describe('setUser / setSession', () => {
    it('should add the ids current at capture time, and warn once about a bad one', async () => {
      const { capture, sink, warnings } = setup();
      capture.setUser('u1');
      capture.setSession('s1');
      capture.captureError(new Error('a'));
      capture.setUser(undefined);
      capture.setUser({} as never);
      capture.captureError(new Error('b'));
      await capture.flush();
      expect(sink.records[0]).toMatchObject({ userId: 'u1', sessionId: 's1' });
      expect(sink.records[1]?.userId).toBeUndefined();
      expect(sink.records[1]?.sessionId).toBe('s1');
      expect(warnings.filter((w) => w.includes('invalid setUser'))).toHaveLength(1);
    });
  });

  describe('maxPerGroupPerMinute', () => {
    it('should forward at most that many records per fingerprint per minute, counting them all', async () => {
      let now = 1_700_000_000_000;
      vi.spyOn(Date, 'now').mockImplementation(() => now);
      const registry = createMetricsRegistry();
      const { capture, sink } = setup({ maxPerGroupPerMinute: 2, registry, namespace: 'pg' });
      for (let i = 0; i < 4; i++) capture.captureError(thrownFrom(`same ${i}`));
      capture.captureError(new Error('other'));
      now += 60_000;
      capture.captureError(thrownFrom('same 9'));
      await capture.flush();
      expect(sink.records.map((r) => [r.message, r.groupCount])).toEqual([
        ['same 0', 1],
        ['same 1', 2],
        ['other', 1],
        ['same 9', 5],
      ]);
      await vi.waitFor(async () => {
        const text = await renderPrometheus(registry);
        expect(text).toContain('pg_errors_total{category="javascript",severity="high"} 6');
        expect(text).toContain('lookout_errors_suppressed_total{reason="rate_limited"} 2');
      });
    });
  });

  describe('ignoreErrors', () => {
    it('should drop errors whose message contains a string or matches a pattern', async () => {
      const { capture, sink } = setup({ ignoreErrors: ['ResizeObserver loop', /^Script error\.?$/g] });
      capture.captureError(new Error('ResizeObserver loop completed with undelivered notifications'));
      capture.captureError(new Error('Script error.'));
      capture.captureError(new Error('Script error.'));
      capture.captureError(new Error('real one'));
      await capture.flush();
      expect(sink.records.map((r) => r.message)).toEqual(['real one']);
    });
  });

  describe('beforeCapture', () => {
    it('should let the host change or drop a record, and keep it when the hook throws', async () => {
      const { capture, sink, diagnostics } = setup({
        beforeCapture: (r) => (r.message === 'drop' ? null : r.message === 'boom' ? (() => { throw new Error('hook'); })() : { ...r, tags: { ...r.tags, seen: 'yes' } }),
      });
      const internal = vi.spyOn(diagnostics, 'internalError');
      capture.captureError(new Error('keep'));
      capture.captureError(new Error('drop'));
      capture.captureError(new Error('boom'));
      await capture.flush();
      expect(sink.records.map((r) => [r.message, r.tags['seen']])).toEqual([
        ['keep', 'yes'],
        ['boom', undefined],
      ]);
      expect(internal).toHaveBeenCalledTimes(1);
    });
  });

  describe('sinks', () => {
    it('should guard capture, and bound flush and shutdown by the deadline', async () => {
      const good = memorySink();
      const failing: ErrorSink = { name: 'failing', capture: () => { throw new Error('sink down'); } };
      const hanging: ErrorSink = { name: 'hanging', capture: () => {}, flush: () => new Promise(() => {}), shutdown: () => new Promise(() => {}) };
      const { capture, warnings } = setup({ sinks: [failing, hanging, good] });
      capture.captureError(new Error('x'));
      const started = Date.now();
      expect(await capture.flush(50)).toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(good.records).toHaveLength(1);
      expect(warnings.some((w) => w.includes('sink failing failed: sink down'))).toBe(true);
      const first = capture.shutdown(50);
      expect(capture.shutdown(50)).toBe(first);
      expect(await first).toBe(false);
      expect(capture.captureError(new Error('after'))).toBeUndefined();
      expect(good.records).toHaveLength(1);
    });

    it('should shut sinks down even when nothing was captured', async () => {
      const shutdown = vi.fn(async () => true);
      const { capture } = setup({ sinks: [{ name: 's', capture: () => {}, shutdown }] });
      expect(await capture.shutdown()).toBe(true);
      expect(shutdown).toHaveBeenCalledTimes(1);
    });
  });

  describe('options', () => {
    it('should report each bad option once, by name, and use its default', async () => {
      const { capture, sink, warnings } = setup({ maxBreadcrumbs: -1, maxPerGroupPerMinute: 'x' as never, ignoreErrors: [1 as never, 'ok'], colour: 'blue' } as PageErrorCaptureOptions);
      capture.captureError(new Error('x'));
      await capture.flush();
      expect(sink.records).toHaveLength(1);
      const about = (path: string) => warnings.filter((w) => w.includes(`createPageErrorCapture: ${path}:`));
      expect(about('maxBreadcrumbs')).toHaveLength(1);
      expect(about('maxPerGroupPerMinute')).toHaveLength(1);
      expect(about('colour')).toHaveLength(1);
      expect(about('ignoreErrors.0')).toHaveLength(1);
      expect(warnings).toHaveLength(4);
    });

    it('should accept preload (kept for compatibility) and report bad options at once', async () => {
      const { capture, warnings } = setup({ preload: true, maxBreadcrumbs: 'x' as never });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('createPageErrorCapture: maxBreadcrumbs:');
      await capture.shutdown();
    });

    it('should report a bad capture context field once and use the rest', async () => {
      const { capture, sink, warnings } = setup();
      capture.captureError(new Error('x'), { severity: 'loud' as never, tags: { a: 1 } });
      capture.captureError(new Error('y'), { severity: 'loud' as never });
      await capture.flush();
      expect(sink.records.map((r) => [r.severity, r.tags['a']])).toEqual([
        ['high', '1'],
        ['high', undefined],
      ]);
      expect(warnings.filter((w) => w.includes('context: severity:'))).toHaveLength(1);
    });
  });

  describe('installGlobalHandlers', () => {
    it('should be a no-op without addEventListener', () => {
      const { capture } = setup();
      const remove = capture.installGlobalHandlers();
      expect(typeof remove).toBe('function');
      expect(() => remove()).not.toThrow();
    });

    it('should capture error events and rejections as unhandled, and remove its listeners', async () => {
      const target = new EventTarget();
      const g = globalThis as Target;
      g.addEventListener = target.addEventListener.bind(target);
      g.removeEventListener = target.removeEventListener.bind(target);
      const others: string[] = [];
      target.addEventListener('error', () => others.push('error'));
      const { capture, sink } = setup();
      const remove = capture.installGlobalHandlers();
      expect(capture.installGlobalHandlers()).toBe(remove);
      const errorEvent = Object.assign(new Event('error'), { error: thrownFrom('boom'), message: 'Uncaught TypeError: boom' });
      target.dispatchEvent(errorEvent);
      target.dispatchEvent(Object.assign(new Event('error'), { error: null, message: '', filename: 'https://cdn.example.com/x.js', lineno: 1, colno: 2 }));
      target.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: new RangeError('nope') }));
      await capture.flush();
      expect(sink.records.map((r) => [r.type, r.message, r.mechanism, r.handled])).toEqual([
        ['TypeError', 'boom', 'onerror', false],
        ['ScriptError', 'Script error.', 'onerror', false],
        ['RangeError', 'nope', 'unhandledRejection', false],
      ]);
      expect(sink.records[0]?.stack[0]?.function).toBe('thrownFrom');
      expect(sink.records[1]?.context).toMatchObject({ location: { filename: 'https://cdn.example.com/x.js', lineno: 1, colno: 2 } });
      expect(others).toEqual(['error', 'error']);
      remove();
      remove();
      target.dispatchEvent(Object.assign(new Event('error'), { error: new Error('after') }));
      await capture.flush();
      expect(sink.records).toHaveLength(3);
      expect(others).toEqual(['error', 'error', 'error']);
    });

    it('should remove the listeners on shutdown', async () => {
      const target = new EventTarget();
      const g = globalThis as Target;
      const remove = vi.spyOn(target, 'removeEventListener');
      g.addEventListener = target.addEventListener.bind(target);
      g.removeEventListener = target.removeEventListener.bind(target);
      const { capture } = setup();
      capture.installGlobalHandlers();
      await capture.shutdown();
      expect(remove.mock.calls.map((c) => c[0]).sort()).toEqual(['error', 'unhandledrejection']);
    });
  });
});
