import { describe, expect, it } from 'vitest';
import { defaultIsInApp, parseStack } from '@lookout/errors';
import { normaliseThrown } from '../../src/capture/normaliseThrown.js';

describe('parseStack', () => {
  describe('parseStack', () => {
    it('should read V8 and SpiderMonkey frames, skipping the header and other lines', () => {
      const v8 = 'TypeError: boom\n  more text\n    at pay (https://app.example.com/a.js?token=x:10:5)\n    at https://cdn.example.com/node_modules/lib/b.js:3:4\n    at new Cart (file:///srv/app/c.js:7:1)';
      expect(parseStack(v8, 50, defaultIsInApp)).toEqual([
        { function: 'pay', filename: 'https://app.example.com/a.js', lineno: 10, colno: 5, inApp: true },
        { filename: 'https://cdn.example.com/node_modules/lib/b.js', lineno: 3, colno: 4, inApp: false },
        { function: 'new Cart', filename: '/srv/app/c.js', lineno: 7, colno: 1, inApp: true },
      ]);
      expect(parseStack('pay@https://app.example.com/a.js#x:1:2\n@debugger eval code:3\nnot a frame', 50, defaultIsInApp)).toEqual([
        { function: 'pay', filename: 'https://app.example.com/a.js', lineno: 1, colno: 2, inApp: true },
        { filename: 'debugger eval code', lineno: 3, inApp: true },
      ]);
    });

    it('should take an eval frame from its origin, stop at maxFrames, and survive a throwing isInApp', () => {
      const stack = '    at eval (eval at run (https://a.io/x.js:4:9), <anonymous>:1:1)\n    at f (<anonymous>)\n    at g (a.js:1:2)';
      expect(parseStack(stack, 2, () => { throw new Error('no'); })).toEqual([
        { function: 'eval', filename: 'https://a.io/x.js', lineno: 4, colno: 9, inApp: true },
        { function: 'f', filename: '<anonymous>', inApp: false },
      ]);
      expect(parseStack(stack, 0, defaultIsInApp)).toEqual([]);
      expect(parseStack(stack, Number.NaN, defaultIsInApp)).toEqual([]);
      expect(parseStack(undefined, 5, defaultIsInApp)).toEqual([]);
    });
  });

  describe('defaultIsInApp', () => {
    it('should leave out dependencies, Node internals, native code and Lookout', () => {
      const out = ['/a/node_modules/x.js', 'C:\\a\\node_modules\\x.js', 'node:fs', 'internal/process', 'native', '<anonymous>', '/n/@lookout/core/x.js'];
      expect(out.filter(defaultIsInApp)).toEqual([]);
      expect(['/srv/app.js', 'https://a.io/node_modules.js', '/a/node_modules\\x.js'].every(defaultIsInApp)).toBe(true);
    });
  });
});

describe('normaliseThrown', () => {
  describe('normaliseThrown', () => {
    it('should read Errors, their causes and error-likes', () => {
      class PaymentError extends Error {}
      const info = normaliseThrown(new PaymentError('outer', { cause: Object.assign(new RangeError('mid'), { cause: 'why' }) }));
      expect(info).toMatchObject({ type: 'PaymentError', message: 'outer', isError: true, extra: undefined });
      expect(info.causes.map((c) => [c.type, c.message, typeof c.stack])).toEqual([
        ['RangeError', 'mid', 'string'],
        ['NonError', 'why', 'undefined'],
      ]);
      expect(normaliseThrown({ name: '', message: 'like', stack: 's' })).toMatchObject({ type: 'Error', message: 'like', stack: 's', isError: true });
    });

    it('should describe anything else, and stop at cycles', () => {
      const describe = (v: unknown) => [normaliseThrown(v).message, normaliseThrown(v).extra?.['thrownType']];
      expect([null, undefined, 'text', function named() {}, 12, { a: 1, b: 2 }, {}].map(describe)).toEqual([
        ['null was thrown', 'null'],
        ['undefined was thrown', 'undefined'],
        ['text', 'string'],
        ['Function thrown: named', 'function'],
        ['Non-Error thrown: 12', 'number'],
        ['Object thrown with keys: a, b', 'object'],
        ['Object thrown with keys: (none)', 'object'],
      ]);
      const loop = new Error('loop') as Error & { cause?: unknown };
      loop.cause = loop;
      expect(normaliseThrown(loop).causes).toEqual([]);
    });
  });
});
