import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDiagnostics, createRedactor } from '@lookout/core';
import { createErrorTracker } from '@lookout/errors';
import type { StackFrame } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import { memorySink } from '../helpers/memorySink.js';

const quiet = () => createDiagnostics({ level: 'none' });

/** Throwables of many shapes: Errors of several types (with causes), error-likes, strings, objects, primitives. */
const throwable: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.record({
    ctor: fc.constantFrom(Error, TypeError, RangeError, SyntaxError),
    message: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('User 42 not found', 'id 0xdeadbeef1 at "x"', 'Failed to fetch', 'mail bob@example.com', 'x'.repeat(9000))),
    cause: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  }).map(({ ctor, message, cause }) => () => {
    const error = new ctor(message, cause === undefined ? undefined : { cause: new Error(cause) });
    return error;
  }),
  fc.record({ name: fc.string({ maxLength: 12 }), message: fc.string({ maxLength: 30 }), stack: fc.constantFrom('', 'Oops: x\n    at f (https://app.example.com/a.js:1:2)', 'g@https://app.example.com/b.js:3:4') }).map((v) => () => ({ ...v })),
  fc.string({ maxLength: 40 }).map((s) => () => s),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 12 }).map((o) => () => o),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()).map((v) => () => v),
  fc.constant(() => {
    const cyclic: Record<string, unknown> = { message: 'cyclic' };
    cyclic['self'] = cyclic;
    return cyclic;
  }),
);

const shape = (frames: StackFrame[]) => frames.map((f) => ({ function: f.function, filename: f.filename, inApp: f.inApp }));

describe('createPageErrorCapture agrees with createErrorTracker', () => {
  it('should give the same type, message, fingerprint and stack for the same thrown values', async () => {
    for (const redacting of [true, false]) {
      const full = memorySink();
      const lean = memorySink();
      const identity = { redact: <T>(v: T) => v, redactString: (s: string) => s } as unknown as ReturnType<typeof createRedactor>;
      const tracker = createErrorTracker({ sinks: [full], diagnostics: quiet(), rateLimit: false, redactor: redacting ? createRedactor() : identity });
      const page = createPageErrorCapture({ sinks: [lean], diagnostics: quiet(), maxPerGroupPerMinute: 1e9, ...(redacting ? { redactor: createRedactor() } : {}) });
      await fc.assert(
        fc.asyncProperty(throwable, async (make) => {
          const value = make();
          const ids = [tracker.captureError(value), page.captureError(value)];
          await page.flush();
          const a = full.records.at(-1);
          const b = lean.records.at(-1);
          expect(ids.every((id) => typeof id === 'string')).toBe(true);
          expect(b?.id).toBe(ids[1]);
          expect(b?.type).toBe(a?.type);
          expect(b?.message).toBe(a?.message);
          expect(b?.fingerprint).toBe(a?.fingerprint);
          expect(b?.causes.map((c) => [c.type, c.message])).toEqual(a?.causes.map((c) => [c.type, c.message]));
          // A non-Error's stack is where it was captured: the same frames, on two different columns.
          const fromValue = value instanceof Error || typeof (value as { stack?: unknown } | null)?.stack === 'string';
          if (fromValue) expect(b?.stack).toEqual(a?.stack);
          else expect(shape(b?.stack ?? [])).toEqual(shape(a?.stack ?? []));
        }),
        { numRuns: 150 },
      );
      await page.shutdown();
      await tracker.shutdown();
    }
  });
});
