import { describe, expect, it } from 'vitest';
import { createDiagnostics, describeError, safeString } from '@lookout/core';

describe('createDiagnostics', () => {
  it('should emit warnings by default with a prefix and code, and hide info and debug', () => {
    const seen: [string, string][] = [];
    const d = createDiagnostics({
      logger: { error: (m) => seen.push(['error', m]), warn: (m) => seen.push(['warn', m]), info: (m) => seen.push(['info', m]), debug: (m) => seen.push(['debug', m]) },
    });
    d.warn('metric.x', 'something');
    d.info('i', 'info');
    d.debug('d', 'debug');
    expect(seen).toEqual([['warn', '[lookout] metric.x: something']]);
    expect(d.enabled('warn')).toBe(true);
    expect(d.enabled('info')).toBe(false);
  });

  it('should report a key once and count repeats as suppressed', () => {
    const seen: string[] = [];
    const d = createDiagnostics({ logger: { error() {}, warn: (m) => seen.push(m), info() {}, debug() {} } });
    for (let i = 0; i < 5; i++) d.warn('a', 'same', 'k1');
    d.warn('a', 'other key', 'k2');
    expect(seen).toHaveLength(2);
    expect(d.counts.suppressed).toBe(4);
    expect(d.counts.warn).toBe(2);
  });

  it('should rate-limit per minute and start again in the next minute', () => {
    let now = 0;
    const seen: string[] = [];
    const d = createDiagnostics({ logger: { error() {}, warn: (m) => seen.push(m), info() {}, debug() {} }, maxPerMinute: 3, now: () => now });
    for (let i = 0; i < 10; i++) d.warn('c', `m${i}`, `k${i}`);
    expect(seen).toHaveLength(3);
    now = 61_000;
    d.warn('c', 'later', 'k-late');
    expect(seen).toHaveLength(4);
  });

  it('should survive a throwing logger and a throwing internal-error handler', () => {
    const d = createDiagnostics({
      logger: {
        error: () => {
          throw new Error('logger down');
        },
        warn: () => {
          throw new Error('logger down');
        },
        info() {},
        debug() {},
      },
      onInternalError: () => {
        throw new Error('handler down');
      },
    });
    expect(() => d.warn('x', 'y')).not.toThrow();
    expect(() => d.internalError(new Error('boom'), 'somewhere')).not.toThrow();
  });

  it('should report each different internal error of a site once, however often it repeats', () => {
    const lines: string[] = [];
    const d = createDiagnostics({ logger: { error: (m) => lines.push(m), warn: () => {}, info: () => {}, debug: () => {} } });
    for (let i = 0; i < 3; i++) {
      d.internalError(new TypeError('x is undefined'), 'collect');
      d.internalError(new RangeError('too deep'), 'collect');
      d.internalError(new TypeError('x is undefined'), 'render');
    }
    expect(lines).toEqual([
      '[lookout] internal-error: collect: TypeError: x is undefined',
      '[lookout] internal-error: collect: RangeError: too deep',
      '[lookout] internal-error: render: TypeError: x is undefined',
    ]);
    expect(d.counts.suppressed).toBe(6);
  });

  it('should pass internal errors to the host handler', () => {
    const got: [unknown, string][] = [];
    const d = createDiagnostics({ level: 'none', onInternalError: (e, w) => got.push([e, w]) });
    const err = new Error('x');
    d.internalError(err, 'collect');
    expect(got).toEqual([[err, 'collect']]);
  });
});

describe('describeError and safeString', () => {
  it('should never throw on hostile values', () => {
    const hostile = { toString: () => { throw new Error('no'); } };
    const badError = Object.defineProperty(new Error('m'), 'name', { get: () => { throw new Error('no'); } });
    expect(safeString(hostile)).toBe('<object>');
    expect(safeString(Symbol('s'))).toBe('Symbol(s)');
    expect(safeString('x'.repeat(100), 10)).toBe('x'.repeat(10));
    expect(describeError(badError)).toBe('<unprintable error>');
    expect(describeError(new TypeError('bad'))).toBe('TypeError: bad');
  });
});

describe('randomId', () => {
  it('should return distinct version 4 UUIDs', async () => {
    const { randomId } = await import('@lookout/core');
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
