import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '../../src/diagnostics/index.js';
import { createRedactor, redact } from '../../src/redaction/index.js';
import type { RedactorOptions } from '../../src/redaction/index.js';

function quiet() {
  const lines: string[] = [];
  const sink = (message: string): void => {
    lines.push(message);
  };
  return { diagnostics: createDiagnostics({ level: 'warn', logger: { error: sink, warn: sink, info: sink, debug: sink } }), lines };
}

const redactor = createRedactor();
const text = (s: string, options?: RedactorOptions): string => (options ? createRedactor(options) : redactor).redactString(s);

describe('createRedactor', () => {
  describe('redactString', () => {
    it('should mask email addresses', () => {
      expect(text('contact jane.doe+tag@mail.example.co.uk now')).toBe('contact [REDACTED:email] now');
      expect(text('<a@b.io>, x_y@sub.domain.org')).toBe('<[REDACTED:email]>, [REDACTED:email]');
      expect(text('not an email: a@b, @handle, foo@bar')).toBe('not an email: a@b, @handle, foo@bar');
    });

    it('should mask bearer tokens and basic credentials but not prose', () => {
      expect(text('Authorization: Bearer abc.DEF-123_xyz~+/=')).toBe('Authorization: Bearer [REDACTED:token]');
      expect(text('authorization: Bearer short')).toBe('authorization: Bearer [REDACTED:secret]');
      expect(text('header Basic dXNlcjpwYXNzd29yZA==')).toBe('header Basic [REDACTED:token]');
      expect(text('Basic authentication failed')).toBe('Basic authentication failed');
    });

    it('should mask JWTs', () => {
      const jwt =
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
      expect(text(`jwt=${jwt}`)).toBe('jwt=[REDACTED:jwt]');
      expect(text(`got ${jwt} from idp`)).toBe('got [REDACTED:jwt] from idp');
    });

    it.each([
      ['stripe', 'sk_live_51HxYzAbCdEfGhIjKlMn'],
      ['stripe test', 'rk_test_abcdefgh12345678'],
      ['github', `ghp_${'a1B2'.repeat(9)}`],
      ['github pat', `github_pat_${'x'.repeat(40)}`],
      ['slack', 'xoxb-123456789012-abcdefABCDEF'],
      ['slack app', 'xoxa-2-abcdefghijkl'],
      ['aws', 'AKIAIOSFODNN7EXAMPLE'],
      ['google', `AIza${'B'.repeat(35)}`],
      ['openai', `sk-proj-${'Q'.repeat(30)}`],
      ['gitlab', `glpat-${'z'.repeat(20)}`],
    ])('should mask a %s key', (_name, key) => {
      expect(text(`using ${key} here`)).toBe('using [REDACTED:api_key] here');
    });

    it('should mask secrets the rules used to let through', () => {
      // Every cookie of a header, not only the first.
      expect(text('Cookie: theme=dark; sessionid=abc123\nAccept: */*')).toBe('Cookie: [REDACTED:secret]\nAccept: */*');
      expect(text('{"set-cookie":"sid=abc; Path=/","ok":1}')).toBe('{"set-cookie":"[REDACTED:secret]","ok":1}');
      // A quoted value with spaces, whole, up to its closing quote (escaped quotes inside).
      expect(text('{"password": "correct horse \\"battery\\" staple", "user": "bob"}')).toBe('{"password": "[REDACTED:secret]", "user": "bob"}');
      // Long tokens, whole.
      const long = 'A'.repeat(5000);
      expect(text(`Authorization: Bearer ${long} next`)).toBe('Authorization: Bearer [REDACTED:token] next');
      expect(text(`sent Bearer ${long} next`)).toBe('sent Bearer [REDACTED:token] next');
      expect(text(`{"authorization":"Bearer ${long}"}`)).toBe('{"authorization":"Bearer [REDACTED:token]"}');
      // URL credentials with an empty user, and a percent-encoded address.
      expect(text('redis://:pw1234@cache:6379/0')).toBe('redis://[REDACTED:credentials]@cache:6379/0');
      expect(text('/signup?email=alice%40example.com&step=2')).toBe('/signup?email=[REDACTED:email]&step=2');
    });

    it('should mask sensitive key=value pairs in query strings, logs and JSON text', () => {
      expect(text('https://x.io/cb?code=1&token=abc123&page=2')).toBe('https://x.io/cb?code=1&token=[REDACTED:secret]&page=2');
      expect(text('/api?key=k-1234&api_key=zz&X-Amz-Signature=ff00')).toBe(
        '/api?key=[REDACTED:secret]&api_key=[REDACTED:secret]&X-Amz-Signature=[REDACTED:secret]',
      );
      expect(text('login failed password: hunter2, user=bob')).toBe('login failed password: [REDACTED:secret], user=bob');
      expect(text('{"user":"bob","password":"hunter2","secret" : "s"}')).toBe(
        '{"user":"bob","password":"[REDACTED:secret]","secret" : "[REDACTED:secret]"}',
      );
      expect(text('db.password=x;mode=fast')).toBe('db.password=[REDACTED:secret];mode=fast');
    });

    it('should find a sensitive pair right after an ordinary one', () => {
      expect(text('a=b:password=hunter2')).toBe('a=b:password=[REDACTED:secret]');
    });

    it('should mask credentials in URLs', () => {
      expect(text('postgres://admin:s3cr3t@db.internal:5432/app')).toBe('postgres://[REDACTED:credentials]@db.internal:5432/app');
    });

    it('should mask card numbers that pass Luhn, with or without separators', () => {
      expect(text('card 4111111111111111 ok')).toBe('card [REDACTED:credit_card] ok');
      expect(text('card 4111 1111 1111 1111')).toBe('card [REDACTED:credit_card]');
      expect(text('amex 3782-822463-10005')).toBe('amex [REDACTED:credit_card]');
      expect(text('mc 5555555555554444, mc2 2223003122003222')).toBe('mc [REDACTED:credit_card], mc2 [REDACTED:credit_card]');
      expect(text('ref 12 4111-1111-1111-1111 99')).toBe('ref 12 [REDACTED:credit_card] 99');
    });

    it('should leave digit runs alone when Luhn, length or prefix rule them out', () => {
      expect(text('card 4111111111111112')).toBe('card 4111111111111112');
      expect(text('ts 1700000000000 and 1700000000004')).toBe('ts 1700000000000 and 1700000000004');
      expect(text('id 41111111111111110000000')).toBe('id 41111111111111110000000');
      expect(text('order 123456')).toBe('order 123456');
      expect(text('a 1234 4111 1111 1111 1112 b')).toBe('a 1234 4111 1111 1111 1112 b');
    });

    // A digit run inside an id is a piece of the id: masking it (about one web-vitals id in seven,
    // whose parts a Luhn-valid window could span) broke grouping by id at the receiver.
    it('should leave digit runs inside ids alone', () => {
      expect(text('v6-1796583524550-8339647542973')).toBe('v6-1796583524550-8339647542973');
      expect(text('id v5-6179658352455-4111111111111')).toBe('id v5-6179658352455-4111111111111');
      expect(text('a99e45a0ccf4111111111111111db51792')).toBe('a99e45a0ccf4111111111111111db51792');
      expect(text('order_4111111111111111 cc4111111111111111')).toBe('order_4111111111111111 cc4111111111111111');
      // Text around a card is still text: punctuation, quotes, a dash that joins nothing.
      expect(text('cards: 4111111111111111; "5555555555554444", -4111-1111-1111-1111.')).toBe('cards: [REDACTED:credit_card]; "[REDACTED:credit_card]", -[REDACTED:credit_card].');
      expect(text('/cards/4111111111111111/charge?n=4111111111111111&x=1')).toBe('/cards/[REDACTED:credit_card]/charge?n=[REDACTED:credit_card]&x=1');
    });

    it('should leave web-vitals ids and random hex ids alone', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1e12, max: 9e12 }), fc.integer({ min: 1e12, max: 2e12 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (random, at, bytes) => {
          const vital = `v6-${at}-${random}`;
          const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
          expect(text(vital)).toBe(vital);
          expect(text(hex)).toBe(hex);
        }),
        { numRuns: 3000 },
      );
    });

    it('should leave IP addresses alone by default', () => {
      expect(text('from 10.0.0.1 and ::1')).toBe('from 10.0.0.1 and ::1');
    });

    it('should mask IPv4 and IPv6 addresses when ips is true', () => {
      const ips = { ips: true };
      expect(text('from 192.168.1.20, 8.8.8.8.', ips)).toBe('from [REDACTED:ip], [REDACTED:ip].');
      expect(text('v6 2001:db8::8a2e:370:7334 and ::1 and fe80:0:0:0:202:b3ff:fe1e:8329', ips)).toBe(
        'v6 [REDACTED:ip] and [REDACTED:ip] and [REDACTED:ip]',
      );
      expect(text('at 12:30:45, version 1.2.3, 999.1.1.1', ips)).toBe('at 12:30:45, version 1.2.3, 999.1.1.1');
    });

    it('should turn rules off one by one', () => {
      const off = { emails: false, secrets: false, creditCards: false };
      const s = 'a@b.com token=x 4111111111111111 Bearer abcdefghijk';
      expect(text(s, off)).toBe(s);
    });

    it('should cut strings past maxStringLength', () => {
      expect(text('x'.repeat(50), { maxStringLength: 10 })).toBe(`${'x'.repeat(10)}…[truncated]`);
    });

    // Cut first, the part of a secret before the cut no longer matched its rule and went out in clear.
    it('should mask a secret the cut crosses before cutting', () => {
      const jwt = `eyJ${'a'.repeat(40)}.${'b'.repeat(40)}.${'c'.repeat(40)}`;
      expect(text(`${'x'.repeat(44)} alice.smith@example.com`, { maxStringLength: 50 })).toBe(`${'x'.repeat(44)} [REDA…[truncated]`);
      expect(text(`${'x'.repeat(30)} ${jwt}`, { maxStringLength: 50 })).not.toContain('eyJ');
      expect(text(`${'x'.repeat(30)} password=${'s'.repeat(40)}`, { maxStringLength: 50 })).not.toContain('sss');
    });

    it('should apply custom patterns and the host redact hook last', () => {
      const seen: Array<string | undefined> = [];
      const r = createRedactor({
        patterns: [{ kind: 'order', pattern: /ORD-\d{1,8}/ }, { pattern: /\$\{secret\}/g }],
        redact: (value, key) => {
          seen.push(key);
          return value.replace('internal', '***');
        },
      });
      expect(r.redactString('ORD-42 ORD-7 ${secret} internal a@b.io')).toBe(
        '[REDACTED:order] [REDACTED:order] [REDACTED:custom] *** [REDACTED:email]',
      );
      expect(r.redact({ note: 'internal' })).toEqual({ note: '***' });
      expect(seen).toEqual([undefined, 'note']);
    });

    it('should keep the string when the hook throws or returns garbage, and report it', () => {
      const q = quiet();
      const throwing = createRedactor({
        redact: () => {
          throw new Error('host bug');
        },
        diagnostics: q.diagnostics,
      });
      expect(throwing.redactString('mail a@b.io')).toBe('mail [REDACTED:email]');
      expect(q.lines.filter((l) => l.includes('redaction.redact'))).toHaveLength(1);
      const garbage = createRedactor({ redact: (() => 42) as unknown as (v: string) => string });
      expect(garbage.redactString('x')).toBe('x');
    });

    it('should mask a string whole when the key it sits under is sensitive, as redact() does', () => {
      expect(redactor.redactString('hunter2', 'password')).toBe('[REDACTED:key]');
      expect(redactor.redactString('hunter2', 'X-Api-Key')).toBe(redactor.redact({ 'X-Api-Key': 'hunter2' })['X-Api-Key']);
      expect(redactor.redactString('checkout', 'route')).toBe('checkout');
    });
  });

  describe('keys and key-value lists', () => {
    it('should scrub object and Map keys, keeping two keys masked alike apart', () => {
      expect(redactor.redact({ 'alice@example.com': 1, 'bob@example.com': 2, plain: 3 })).toEqual({ '[REDACTED:email]': 1, '[REDACTED:email]#2': 2, plain: 3 });
      const map = redactor.redact(new Map<unknown, string>([['alice@example.com', 'x'], [{ token: 'abc' }, 'y']]));
      expect([...map.keys()]).toEqual(['[REDACTED:email]', { token: '[REDACTED:key]' }]);
    });

    it('should mask the value after a sensitive key in pairs and flat header lists', () => {
      expect(redactor.redact([['password', 'hunter2'], ['user', 'bob']])).toEqual([['password', '[REDACTED:key]'], ['user', 'bob']]);
      expect(redactor.redact(['Cookie', 'sid=abc; theme=dark', 'Accept', '*/*'])).toEqual(['Cookie', '[REDACTED:key]', 'Accept', '*/*']);
    });
  });

  describe('redact', () => {
    it('should mask the whole value of sensitive keys, case-insensitively', () => {
      const input = {
        user: 'bob',
        Password: 'hunter2',
        db_password: 'x',
        headers: { Authorization: 'Bearer zzz', cookie: ['a=1'], 'X-Api-Key': 'k', 'content-type': 'json' },
        SENTRY_DSN: 'https://k@o1.ingest.sentry.io/1',
        accessToken: 't',
        apiKey: { nested: true },
        secret: null,
        tokenCount: 12,
        maxTokens: 3,
      };
      expect(redactor.redact(input)).toEqual({
        user: 'bob',
        Password: '[REDACTED:key]',
        db_password: '[REDACTED:key]',
        headers: { Authorization: '[REDACTED:key]', cookie: '[REDACTED:key]', 'X-Api-Key': '[REDACTED:key]', 'content-type': 'json' },
        SENTRY_DSN: '[REDACTED:key]',
        accessToken: '[REDACTED:key]',
        apiKey: '[REDACTED:key]',
        secret: null,
        tokenCount: 12,
        maxTokens: 3,
      });
    });

    it('should let the host replace or extend the sensitive keys', () => {
      expect(createRedactor({ sensitiveKeys: ['ssnumber'] }).redact({ password: 'p', SSNumber: '1' })).toEqual({
        password: 'p',
        SSNumber: '[REDACTED:key]',
      });
      expect(createRedactor({ additionalSensitiveKeys: [/^email$/i] }).redact({ password: 'p', Email: 'x' })).toEqual({
        password: '[REDACTED:key]',
        Email: '[REDACTED:key]',
      });
      expect(redactor.isSensitiveKey('x-auth-token')).toBe(true);
      expect(redactor.isSensitiveKey('author')).toBe(false);
    });

    it('should redact deep inside arrays and objects without mutating the input', () => {
      const input = { list: [{ msg: 'mail a@b.io' }, 'card 4111111111111111', 4111111111111111, 7], n: 1, ok: true, none: undefined };
      const snapshot = structuredClone(input);
      const out = redactor.redact(input);

      expect(out).toEqual({
        list: [{ msg: 'mail [REDACTED:email]' }, 'card [REDACTED:credit_card]', '[REDACTED:credit_card]', 7],
        n: 1,
        ok: true,
        none: undefined,
      });
      expect(input).toEqual(snapshot);
      expect(out).not.toBe(input);
      expect(out.list[0]).not.toBe(input.list[0]);
    });

    it('should mark cycles but copy shared references', () => {
      const shared = { v: 'a@b.io' };
      const node: Record<string, unknown> = { name: 'root', left: shared, right: shared };
      node.self = node;
      const list: unknown[] = [1];
      list.push(list);

      expect(redactor.redact(node)).toEqual({
        name: 'root',
        left: { v: '[REDACTED:email]' },
        right: { v: '[REDACTED:email]' },
        self: '[Circular]',
      });
      expect(redactor.redact(list)).toEqual([1, '[Circular]']);
    });

    it('should survive throwing getters and hostile proxies', () => {
      const getter = {
        ok: 'fine',
        get bad(): string {
          throw new Error('nope');
        },
      };
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      const ownKeysThrows = new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap');
          },
        },
      );

      expect(redactor.redact(getter)).toEqual({ ok: 'fine', bad: '[Unreadable]' });
      expect(redactor.redact({ p: proxy, q: ownKeysThrows })).toEqual({ p: '[Unreadable]', q: '[Unreadable]' });
    });

    it('should stop at maxDepth and maxNodes', () => {
      const deep = { a: { b: { c: { d: 'x' } } } };
      expect(createRedactor({ maxDepth: 2 }).redact(deep)).toEqual({ a: { b: '[Truncated]' } });
      const wide = Array.from({ length: 100 }, (_, i) => i);
      const out = createRedactor({ maxNodes: 10 }).redact(wide);
      expect(out.length).toBeLessThan(15);
      expect(out.at(-1)).toBe('[Truncated]');
    });

    it('should copy Errors keeping their prototype, and Maps, Sets and Dates', () => {
      const error = new TypeError('failed for a@b.io');
      (error as TypeError & { password?: string }).password = 'p';
      const out = redactor.redact({ error, map: new Map([['token', 'x'], ['note', 'a@b.io']]), set: new Set(['a@b.io']), at: new Date(5) });

      expect(out.error).toBeInstanceOf(TypeError);
      expect(out.error).not.toBe(error);
      expect(out.error.message).toBe('failed for [REDACTED:email]');
      expect(out.error.stack).toContain('[REDACTED:email]');
      expect((out.error as TypeError & { password?: string }).password).toBe('[REDACTED:key]');
      expect(error.message).toBe('failed for a@b.io');
      expect([...out.map]).toEqual([
        ['token', '[REDACTED:key]'],
        ['note', '[REDACTED:email]'],
      ]);
      expect([...out.set]).toEqual(['[REDACTED:email]']);
      expect(out.at).toEqual(new Date(5));
      expect(out.at).not.toBe(out.at === undefined ? null : new Date(5));
    });

    it('should turn class instances into plain objects and never follow __proto__', () => {
      class User {
        constructor(
          public email: string,
          public password: string,
        ) {}
      }
      expect(redactor.redact(new User('a@b.io', 'x'))).toEqual({ email: '[REDACTED:email]', password: '[REDACTED:key]' });
      const parsed = JSON.parse('{"__proto__": {"polluted": "a@b.io"}}') as Record<string, unknown>;
      const out = redactor.redact(parsed) as Record<string, unknown>;
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: '[REDACTED:email]' });
    });

    it('should be available as a shared default', () => {
      expect(redact({ password: 'p', m: 'a@b.io' })).toEqual({ password: '[REDACTED:key]', m: '[REDACTED:email]' });
    });
  });

  describe('never throws', () => {
    it('should accept garbage options with one warning', () => {
      const q = quiet();
      const garbage = {
        emails: 'yes',
        maxDepth: -1,
        maxStringLength: Number.NaN,
        patterns: [null, { pattern: 'x' }, { kind: 'bad kind!', pattern: /x/ }],
        sensitiveKeys: 'password',
        redact: 42,
        diagnostics: q.diagnostics,
      } as unknown as RedactorOptions;
      const r = createRedactor(garbage);

      expect(q.lines).toHaveLength(1);
      expect(q.lines[0]).toContain('redaction/invalid-options');
      expect(r.redact({ password: 'p', e: 'a@b.io' })).toEqual({ password: '[REDACTED:key]', e: '[REDACTED:email]' });
      expect(() => createRedactor(null as unknown as RedactorOptions)).not.toThrow();
    });

    it('should never throw on arbitrary values', () => {
      fc.assert(
        fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true }), (value) => {
          const out = redactor.redact(value);
          redactor.redactString(value as string);
          return out !== undefined || value === undefined;
        }),
        { numRuns: 300 },
      );
    });

    it('should never throw on arbitrary strings, and keep plain text as is', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => typeof redactor.redactString(s) === 'string'),
        { numRuns: 500 },
      );
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z ]{0,60}$/), (s) => redactor.redactString(s) === s),
        { numRuns: 200 },
      );
    });
  });
});
