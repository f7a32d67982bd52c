import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, scrubber, scrubString, scrubValue } from '../../src/redaction/index.js';

const full = createRedactor();
const MASK = /\[REDACTED:[a-z_]+\]/g;

/** The secrets the full redactor masked in `text`: each stretch of the input its output replaced. */
function maskedByFull(text: string): string[] {
  const out = full.redactString(text);
  // Align the output's literal pieces with the input to recover what each mask stands for.
  const pieces = out.split(MASK);
  const secrets: string[] = [];
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    const start = text.indexOf(piece, at);
    if (i > 0 && start > at) secrets.push(text.slice(at, start));
    at = start + piece.length;
  }
  if (at < text.length && pieces.length > 1) secrets.push(text.slice(at));
  return secrets;
}

const alnum = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('')), minLength: 1, maxLength: 24 });
const luhnCard = fc.constantFrom('4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '2223003122003222', '4111 1111 1111 1111', '3782-822463-10005');
const secretKinds = {
  email: fc.tuple(alnum, alnum, fc.constantFrom('com', 'io', 'co.uk')).map(([u, d, t]) => `${u}@${d}.${t}`),
  urlCredentials: fc.tuple(alnum, alnum, alnum).map(([u, p, h]) => `https://${u}:${p}@${h}.example.com/x`),
  bearer: fc.string({ unit: fc.constantFrom(...'abcDEF123-._~+/'.split('')), minLength: 8, maxLength: 40 }).map((t) => `Bearer ${t}`),
  basic: fc.constantFrom('Basic dXNlcjpwYXNzd29yZA==', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'),
  jwt: fc.tuple(alnum, alnum, alnum).map(([a, b, c]) => `eyJ${a.padEnd(6, 'x')}.${b.padEnd(6, 'y')}.${c}`),
  apiKey: fc.tuple(fc.constantFrom('sk_live_', 'ghp_', 'xoxb-', 'glpat-', 'sk-proj-'), fc.string({ unit: fc.constantFrom(...'abcXYZ0189'.split('')), minLength: 36, maxLength: 40 })).map(([p, k]) => p + k),
  aws: fc.string({ unit: fc.constantFrom(...'ABCXYZ0189'.split('')), minLength: 16, maxLength: 16 }).map((k) => `AKIA${k}`),
  card: luhnCard,
  pair: fc.tuple(fc.constantFrom('password', 'token', 'api_key', 'secret', 'key', 'Authorization'), fc.constantFrom('=', ': ', '":"'), alnum).map(([k, s, v]) => `${k}${s}${v}`),
};
const filler = fc.string({ unit: fc.constantFrom(...'abc XYZ 019 ,.;:/=@-_"\''.split('')), maxLength: 20 });

describe('scrubString', () => {
  it.each([
    ['contact jane.doe+tag@mail.example.co.uk now', 'contact [REDACTED:email] now'],
    ['postgres://admin:s3cr3t@db.internal:5432/app', 'postgres://[REDACTED:credentials]@db.internal:5432/app'],
    ['Authorization: Bearer abc.DEF-123_xyz~+/=', 'Authorization: Bearer [REDACTED:token]'],
    ['header Basic dXNlcjpwYXNzd29yZA==', 'header Basic [REDACTED:token]'],
    ['got eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefgh from idp', 'got [REDACTED:jwt] from idp'],
    ['using sk_live_51HxYzAbCdEfGhIjKlMn here', 'using [REDACTED:api_key] here'],
    ['card 4111 1111 1111 1111', 'card [REDACTED:credit_card]'],
    ['https://x.io/cb?code=1&token=abc123&page=2', 'https://x.io/cb?code=1&token=[REDACTED:secret]&page=2'],
    ['from 10.0.0.1 at 1712345678901', 'from 10.0.0.1 at 1712345678901'],
  ])('should mask %j as the full redactor does', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
    expect(scrubString(input)).toBe(full.redactString(input));
  });

  it('should leak none of the secrets the full redactor masks, in random text', () => {
    const secret = fc.oneof(...Object.values(secretKinds));
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, secret), { minLength: 1, maxLength: 4 }), filler, (parts, tail) => {
        const text = parts.map(([f, s]) => `${f} ${s} `).join('') + tail;
        const lean = scrubString(text);
        for (const leaked of maskedByFull(text)) {
          const core = leaked.trim();
          if (core.length >= 4) expect(lean, `${JSON.stringify(text)} leaks ${JSON.stringify(core)}`).not.toContain(core);
        }
        expect(lean).toBe(full.redactString(text));
      }),
      { numRuns: 400 },
    );
  });
});

describe('scrubValue', () => {
  it('should mask strings, card-number numbers and sensitive keys in nested objects and arrays', () => {
    const input = { user: { email: 'a.b@example.com', password: 'hunter2', apiKey: null }, list: ['Bearer abcdefgh1234', 4111111111111111, 42], ok: true };
    expect(scrubValue(input)).toEqual({
      user: { email: '[REDACTED:email]', password: '[REDACTED:key]', apiKey: null },
      list: ['Bearer [REDACTED:token]', '[REDACTED:credit_card]', 42],
      ok: true,
    });
    expect(scrubValue(input)).toEqual(full.redact(input));
  });

  it('should scrub keys and mask values after sensitive keys in lists, as the full redactor does', () => {
    const input = { 'alice@example.com': 1, 'bob@example.com': 2, pairs: [['password', 'hunter2'], ['user', 'bob']], headers: ['Cookie', 'sid=abc', 'Accept', '*/*'] };
    expect(scrubValue(input)).toEqual({
      '[REDACTED:email]': 1,
      '[REDACTED:email]#2': 2,
      pairs: [['password', '[REDACTED:key]'], ['user', 'bob']],
      headers: ['Cookie', '[REDACTED:key]', 'Accept', '*/*'],
    });
    expect(scrubValue(input)).toEqual(full.redact(input));
    expect(scrubber.redactString('hunter2', 'password')).toBe('[REDACTED:key]');
  });

  it('should never mutate its input', () => {
    const input = { token: 'x', nested: { note: 'mail me at a@b.io' } };
    const copy = structuredClone(input);
    scrubValue(input);
    expect(input).toEqual(copy);
  });

  it('should mark cycles, cut deep nesting and keep class instances as they are', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(scrubValue(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(scrubValue(deep))).toContain('[Truncated]');
    const date = new Date(0);
    expect(scrubValue({ date }).date).toBe(date);
  });

  it('should keep a __proto__ key as an own property', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>;
    const out = scrubValue(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('should never throw on garbage', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('boom'); } });
    for (const value of [revoked.proxy, throwing, Symbol('s'), () => 1, 10n, undefined, NaN]) expect(() => scrubValue(value)).not.toThrow();
    expect(scrubValue(throwing)).toBe('[Unreadable]');
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), (value) => {
        expect(() => scrubValue(value)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(typeof scrubString(s)).toBe('string');
      }),
    );
  });

  describe('scrubber', () => {
    it('should be the lean path in the Redactor shape', () => {
      expect(scrubber.redactString('mail ada@example.com')).toBe('mail [REDACTED:email]');
      expect(scrubber.redact({ password: 'hunter2', note: 'card 4111 1111 1111 1111' })).toEqual({ password: '[REDACTED:key]', note: 'card [REDACTED:credit_card]' });
      expect(scrubber.isSensitiveKey('X-Api-Key')).toBe(true);
      expect(scrubber.isSensitiveKey('route')).toBe(false);
    });
  });
});
