import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { configureDiagnostics, createDiagnostics, resetDiagnosticsForTests } from '@lookout/core';
import { createPageErrorCapture } from '@lookout/errors/page';
import { memorySink } from '../helpers/memorySink.js';

function diagnostics() {
  const warnings: string[] = [];
  const internal: unknown[] = [];
  const d = createDiagnostics({
    level: 'warn',
    logger: { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {}, debug: () => {} },
    onInternalError: (e) => internal.push(e),
  });
  return { d, warnings, internal };
}

/** Makers of values that break naive code: throwing getters, revoked proxies, cycles, huge strings, odd prototypes. */
const nasty: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true }).map((v) => () => v),
  fc.constant(() => null),
  fc.constant(() => undefined),
  fc.string({ minLength: 20_000, maxLength: 40_000 }).map((v) => () => v),
  fc.constant(() => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }),
  fc.constant(() =>
    Object.create(Error.prototype, {
      message: { get: () => { throw new Error('no message for you'); } },
      stack: { get: () => { throw new Error('no stack'); } },
    }) as Error,
  ),
  fc.constant(() => ({ get message() { throw new Error('x'); }, toString() { throw new Error('y'); } })),
  fc.constant(() => {
    const a: Record<string, unknown> = { name: 'Loop', message: 'm' };
    a['cause'] = a;
    a['self'] = a;
    return a;
  }),
  fc.constant(() => Object.create(null) as object),
);

describe('createPageErrorCapture garbage', () => {
  it('should never throw and give a record for anything thrown, with any context', async () => {
    const sink = memorySink();
    const { d, internal } = diagnostics();
    const capture = createPageErrorCapture({ sinks: [sink], diagnostics: d, maxPerGroupPerMinute: 1e9 });
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (makeThrown, makeContext) => {
        const thrown = makeThrown();
        const context = makeContext();
        expect(() => capture.captureError(thrown, context as never)).not.toThrow();
        calls++;
        expect(() => capture.captureMessage(thrown as never, context as never, context as never)).not.toThrow();
        expect(() => capture.addBreadcrumb(thrown as never)).not.toThrow();
        expect(() => capture.setUser(thrown as never)).not.toThrow();
        expect(() => capture.setSession(context as never)).not.toThrow();
        await capture.flush();
      }),
      { numRuns: 200 },
    );
    expect(internal.map(String).slice(0, 3)).toEqual([]);
    expect(sink.records.filter((r) => r.kind === "error")).toHaveLength(calls);
    expect(internal).toEqual([]);
    for (const r of sink.records) {
      expect(r.id).toMatch(/^[0-9a-f]{32}$/);
      expect(r.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(r.message.length).toBeLessThan(8300);
    }
    await capture.shutdown();
  });

  it('should give one diagnostic for options that are not an object, and still work', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer().filter((n) => n < 0 || n > 100), fc.double({ noInteger: true }), fc.string(), fc.boolean(), fc.array(fc.anything())), async (options) => {
        const { d, warnings } = diagnostics();
        const sink = memorySink();
        // The diagnostics cannot come from such options, so the capture reports through core's.
        const global: string[] = [];
        configureDiagnostics({ logger: { error: (m) => global.push(m), warn: (m) => global.push(m), info: () => {}, debug: () => {} } });
        const capture = createPageErrorCapture(options as never);
        expect(capture.captureError(new Error('x'))).toMatch(/^[0-9a-f]{32}$/);
        await capture.flush();
        resetDiagnosticsForTests();
        expect(global).toHaveLength(1);
        expect(global[0]).toContain('createPageErrorCapture: (options): must be an object');
        const checked = createPageErrorCapture({ diagnostics: d, sinks: [sink], maxBreadcrumbs: options as never });
        checked.captureError(new Error('y'));
        await checked.flush();
        expect(warnings.filter((w) => w.includes('createPageErrorCapture: maxBreadcrumbs:'))).toHaveLength(1);
        expect(sink.records).toHaveLength(1);
      }),
      { numRuns: 30 },
    );
  });
});
