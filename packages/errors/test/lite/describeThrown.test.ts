import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { scrubString } from '@lookout/core/page';
import { createRateGate, describeThrown, MAX_LITE_MESSAGE_LENGTH, MAX_LITE_STACK_LENGTH, watchPageErrors } from '@lookout/errors/lite';
import type { LiteMechanism } from '@lookout/errors/lite';

type Listener = (event: unknown) => void;

/** A page's `window` as far as `watchPageErrors` sees it: listeners by type, and a way to fire events. */
function installFakeWindow() {
  const listeners = new Map<string, Set<Listener>>();
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type)!.add(listener);
  });
  vi.stubGlobal('removeEventListener', (type: string, listener: Listener) => void listeners.get(type)?.delete(listener));
  return {
    count: (type: string) => listeners.get(type)?.size ?? 0,
    fire(event: { type: string } & Record<string, unknown>) {
      for (const listener of [...(listeners.get(event.type) ?? [])]) listener(event);
    },
  };
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('describeThrown', () => {
  describe('Errors and error-like objects', () => {
    it('should take type, message and stack from an Error', () => {
      const error = new TypeError('cart is undefined');
      expect(describeThrown(error, 'onerror')).toEqual({
        type: 'TypeError',
        message: 'cart is undefined',
        stack: error.stack,
        category: 'javascript',
        severity: 'high',
        mechanism: 'onerror',
        handled: false,
      });
      expect(describeThrown(error, 'onerror').stack).toMatch(/^TypeError: cart is undefined\n\s+at /);
    });

    it('should take the name of an Error subclass and of an error-like object', () => {
      class PaymentError extends Error {
        override name = 'PaymentError';
      }
      expect(describeThrown(new PaymentError('declined'), 'manual')).toMatchObject({ type: 'PaymentError', message: 'declined' });
      expect(describeThrown({ name: 'ApiError', message: 'HTTP 500', stack: 'ApiError: HTTP 500\n    at api.js:1:1' }, 'unhandledRejection')).toMatchObject({
        type: 'ApiError',
        message: 'HTTP 500',
        stack: 'ApiError: HTTP 500\n    at api.js:1:1',
        mechanism: 'unhandledRejection',
        handled: false,
      });
    });

    it('should call an object with a string message but no string name or stack an Error with no stack', () => {
      expect(describeThrown({ message: 'plain' }, 'onerror')).toMatchObject({ type: 'Error', message: 'plain', stack: '' });
      expect(describeThrown({ message: 'odd', name: 42, stack: {} }, 'onerror')).toMatchObject({ type: 'Error', message: 'odd', stack: '' });
      expect(describeThrown({ message: 'empty name', name: '' }, 'onerror').type).toBe('Error');
    });

    it('should mark only manual captures as handled', () => {
      const mechanisms: LiteMechanism[] = ['onerror', 'unhandledRejection', 'manual'];
      expect(mechanisms.map((m) => [describeThrown(new Error('x'), m).mechanism, describeThrown(new Error('x'), m).handled])).toEqual([
        ['onerror', false],
        ['unhandledRejection', false],
        ['manual', true],
      ]);
    });
  });

  describe('other values', () => {
    it('should make a thrown string the message of an Error', () => {
      expect(describeThrown('out of stock', 'manual')).toMatchObject({ type: 'Error', message: 'out of stock', stack: '', category: 'javascript' });
    });

    it('should name null, numbers, undefined and objects without a string message by their type', () => {
      expect([null, 42, undefined, {}, { message: 7 }, [1, 2], true, 10n, Symbol('s'), () => 1].map((v) => {
        const d = describeThrown(v, 'onerror');
        return [d.type, d.message, d.stack];
      })).toEqual([
        ['NonError', 'null was thrown', ''],
        ['NonError', 'number was thrown', ''],
        ['NonError', 'undefined was thrown', ''],
        ['NonError', 'object was thrown', ''],
        ['NonError', 'object was thrown', ''],
        ['NonError', 'object was thrown', ''],
        ['NonError', 'boolean was thrown', ''],
        ['NonError', 'bigint was thrown', ''],
        ['NonError', 'symbol was thrown', ''],
        ['NonError', 'function was thrown', ''],
      ]);
    });
  });

  describe('hostile values', () => {
    it('should treat a throwing message getter as no message', () => {
      const thrown = { name: 'Trap', get message(): string { throw new Error('no message for you'); } };
      expect(describeThrown(thrown, 'onerror')).toMatchObject({ type: 'NonError', message: 'object was thrown', stack: '' });
    });

    it('should keep the message when only the name or stack getter throws', () => {
      const error = Object.create(Error.prototype, {
        message: { value: 'still readable' },
        name: { get: () => { throw new Error('no name'); } },
        stack: { get: () => { throw new Error('no stack'); } },
      }) as Error;
      expect(describeThrown(error, 'manual')).toMatchObject({ type: 'Error', message: 'still readable', stack: '' });
    });

    it('should describe a revoked proxy without throwing', () => {
      expect(describeThrown(revokedProxy(), 'unhandledRejection')).toMatchObject({ type: 'NonError', message: 'object was thrown', stack: '' });
    });

    it('should never throw and always give bounded strings, whatever is thrown', () => {
      // Makers, so that fast-check never touches a revoked proxy itself.
      const thrown: fc.Arbitrary<() => unknown> = fc.oneof(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }).map((v) => () => v),
        fc.record({ name: fc.string({ maxLength: 300 }), message: fc.string({ maxLength: 3000 }), stack: fc.string({ maxLength: 10_000 }) }).map((v) => () => v),
        fc.constant(revokedProxy),
      );
      fc.assert(
        fc.property(thrown, fc.constantFrom<LiteMechanism>('onerror', 'unhandledRejection', 'manual'), (make, mechanism) => {
          const d = describeThrown(make(), mechanism);
          expect(typeof d.type).toBe('string');
          expect(d.type.length).toBeGreaterThan(0);
          expect(d.type.length).toBeLessThanOrEqual(128);
          expect(d.message.length).toBeLessThanOrEqual(MAX_LITE_MESSAGE_LENGTH);
          expect(d.stack.length).toBeLessThanOrEqual(MAX_LITE_STACK_LENGTH);
          expect(['javascript', 'network']).toContain(d.category);
          expect(d.handled).toBe(mechanism === 'manual');
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('limits', () => {
    it('should cut the message to MAX_LITE_MESSAGE_LENGTH and the stack to MAX_LITE_STACK_LENGTH characters', () => {
      expect(MAX_LITE_MESSAGE_LENGTH).toBe(1024);
      expect(MAX_LITE_STACK_LENGTH).toBe(8192);
      const error = new Error('m'.repeat(5000));
      error.stack = 's'.repeat(20_000);
      const d = describeThrown(error, 'manual');
      expect(d.message).toBe('m'.repeat(MAX_LITE_MESSAGE_LENGTH));
      expect(d.stack).toBe('s'.repeat(MAX_LITE_STACK_LENGTH));
      expect(describeThrown('x'.repeat(MAX_LITE_MESSAGE_LENGTH + 1), 'manual').message).toHaveLength(MAX_LITE_MESSAGE_LENGTH);
    });

    it('should keep a message and stack at exactly the limits whole', () => {
      const d = describeThrown({ message: 'm'.repeat(MAX_LITE_MESSAGE_LENGTH), stack: 's'.repeat(MAX_LITE_STACK_LENGTH) }, 'manual');
      expect(d.message).toHaveLength(MAX_LITE_MESSAGE_LENGTH);
      expect(d.stack).toHaveLength(MAX_LITE_STACK_LENGTH);
    });

    it('should scrub the message and the stack before cutting them, so a secret at the cut is still masked', () => {
      // A JWT straddling each limit: cut first, its payload (sub, email) no longer matched the JWT rule and went out.
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const jwt = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: '42', email: 'jane.doe@example.com' })}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;
      const around = (limit: number) => 'x'.repeat(limit - 60) + ' session ' + jwt + ' end';
      const error = new Error(around(MAX_LITE_MESSAGE_LENGTH));
      error.stack = around(MAX_LITE_STACK_LENGTH);
      const d = describeThrown(error, 'manual', scrubString);
      for (const text of [d.message, d.stack]) {
        expect(text).toContain(' session [REDACTED:jwt]');
        expect(text).not.toContain('eyJ');
      }
      expect(d.message.length).toBeLessThanOrEqual(MAX_LITE_MESSAGE_LENGTH);
      expect(d.stack.length).toBeLessThanOrEqual(MAX_LITE_STACK_LENGTH);
    });

    it('should give scrub at most 4× each limit, so a huge message costs bounded time', () => {
      const seen: number[] = [];
      describeThrown({ message: 'm'.repeat(100_000), stack: 's'.repeat(100_000) }, 'manual', (t) => (seen.push(t.length), t));
      expect(seen).toEqual([4 * MAX_LITE_MESSAGE_LENGTH, 4 * MAX_LITE_STACK_LENGTH]);
    });

    it('should cut the type to 128 characters', () => {
      expect(describeThrown({ name: 'N'.repeat(500), message: 'x' }, 'manual').type).toBe('N'.repeat(128));
    });
  });

  describe('category', () => {
    it('should call failures of fetch network errors, in the wording of each browser and of Node', () => {
      const messages = ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed', 'fetch failed'];
      expect(messages.map((m) => describeThrown(new TypeError(m), 'unhandledRejection').category)).toEqual(['network', 'network', 'network', 'network']);
      expect(describeThrown('Failed to fetch', 'manual').category).toBe('network');
    });

    it('should call AbortError, TimeoutError and NetworkError network errors', () => {
      expect(describeThrown(new DOMException('The operation was aborted.', 'AbortError'), 'manual').category).toBe('network');
      expect(describeThrown({ name: 'TimeoutError', message: 'signal timed out' }, 'manual').category).toBe('network');
      expect(describeThrown({ name: 'NetworkError', message: 'offline' }, 'manual').category).toBe('network');
    });

    it('should call everything else a javascript error', () => {
      expect(describeThrown(new TypeError('x is not a function'), 'manual').category).toBe('javascript');
      expect(describeThrown(new Error('Retry after: Failed to fetch'), 'manual').category).toBe('javascript');
      expect(describeThrown({ name: 'AbortErrorish', message: 'm' }, 'manual').category).toBe('javascript');
      expect(describeThrown(null, 'manual').category).toBe('javascript');
    });
  });
});

describe('createRateGate', () => {
  describe('window', () => {
    it('should allow perMinute of a key, refuse the next, and allow again once 60 s have passed', () => {
      vi.useFakeTimers({ now: 1_000_000 });
      const gate = createRateGate(3);
      expect([gate('TypeErrorx'), gate('TypeErrorx'), gate('TypeErrorx'), gate('TypeErrorx')]).toEqual([true, true, true, false]);
      vi.advanceTimersByTime(59_999);
      expect(gate('TypeErrorx')).toBe(false);
      vi.advanceTimersByTime(1);
      expect([gate('TypeErrorx'), gate('TypeErrorx'), gate('TypeErrorx'), gate('TypeErrorx')]).toEqual([true, true, true, false]);
    });

    it('should count each key on its own', () => {
      vi.useFakeTimers({ now: 1_000_000 });
      const gate = createRateGate(1);
      expect([gate('a'), gate('b'), gate('a'), gate('b'), gate('c')]).toEqual([true, true, false, false, true]);
    });

    it('should use a fixed window from the first call, not a sliding one', () => {
      vi.useFakeTimers({ now: 1_000_000 });
      const gate = createRateGate(2);
      gate('k');
      vi.advanceTimersByTime(30_000);
      expect(gate('k')).toBe(true);
      expect(gate('k')).toBe(false);
      // 60 s after the first call, not after the second.
      vi.advanceTimersByTime(30_000);
      expect(gate('k')).toBe(true);
    });

    it('should start a key afresh when the clock goes back', () => {
      vi.useFakeTimers({ now: 1_000_000 });
      const gate = createRateGate(1);
      expect(gate('k')).toBe(true);
      expect(gate('k')).toBe(false);
      vi.setSystemTime(500_000);
      expect(gate('k')).toBe(true);
    });
  });

  describe('bound', () => {
    it('should track at most 100 keys and start afresh past them', () => {
      vi.useFakeTimers({ now: 1_000_000 });
      const gate = createRateGate(1);
      expect(gate('first')).toBe(true);
      expect(gate('first')).toBe(false);
      // 99 more keys fill the table to 100: `first` is still refused.
      for (let i = 1; i < 100; i++) expect(gate(`key ${i}`)).toBe(true);
      expect(gate('first')).toBe(false);
      // The 101st key empties the table, so `first` is forgotten.
      expect(gate('key 100')).toBe(true);
      expect(gate('first')).toBe(true);
    });
  });
});

describe('watchPageErrors', () => {
  describe('error events', () => {
    it("should hand on an error event's error with mechanism onerror", () => {
      const page = installFakeWindow();
      const onThrown = vi.fn();
      watchPageErrors(onThrown);
      const error = new RangeError('index 9');
      page.fire({ type: 'error', error, message: 'Uncaught RangeError: index 9' });
      expect(onThrown).toHaveBeenCalledTimes(1);
      expect(onThrown).toHaveBeenCalledWith(error, 'onerror');
    });

    it('should make a cross-origin error event without error a ScriptError with its message', () => {
      const page = installFakeWindow();
      const thrown: unknown[] = [];
      watchPageErrors((value, mechanism) => thrown.push([value, mechanism]));
      page.fire({ type: 'error', error: null, message: 'Script error.', filename: '', lineno: 0 });
      page.fire({ type: 'error', message: '' });
      expect(thrown).toEqual([
        [{ name: 'ScriptError', message: 'Script error.' }, 'onerror'],
        [{ name: 'ScriptError', message: 'Script error.' }, 'onerror'],
      ]);
      expect(describeThrown((thrown[0] as [unknown])[0], 'onerror')).toMatchObject({ type: 'ScriptError', message: 'Script error.', stack: '' });
    });

    it("should hand on an unhandledrejection event's reason with mechanism unhandledRejection", () => {
      const page = installFakeWindow();
      const onThrown = vi.fn();
      watchPageErrors(onThrown);
      const reason = new TypeError('Failed to fetch');
      page.fire({ type: 'unhandledrejection', reason });
      page.fire({ type: 'unhandledrejection', reason: 'just a string' });
      page.fire({ type: 'unhandledrejection' });
      expect(onThrown.mock.calls).toEqual([
        [reason, 'unhandledRejection'],
        ['just a string', 'unhandledRejection'],
        [undefined, 'unhandledRejection'],
      ]);
    });

    it('should leave the event alone: no preventDefault, no stopPropagation', () => {
      const page = installFakeWindow();
      watchPageErrors(() => {});
      const event = { type: 'error', error: new Error('x'), preventDefault: vi.fn(), stopPropagation: vi.fn(), stopImmediatePropagation: vi.fn() };
      page.fire(event);
      expect(event.preventDefault).not.toHaveBeenCalled();
      expect(event.stopPropagation).not.toHaveBeenCalled();
      expect(event.stopImmediatePropagation).not.toHaveBeenCalled();
    });

    it('should read events with throwing getters without throwing', () => {
      const page = installFakeWindow();
      const onThrown = vi.fn();
      watchPageErrors(onThrown);
      const hostile = Object.defineProperties({ type: 'error' }, { error: { get: () => { throw new Error('trap'); } }, message: { get: () => { throw new Error('trap'); } } });
      expect(() => page.fire(hostile)).not.toThrow();
      expect(onThrown).toHaveBeenCalledWith({ name: 'ScriptError', message: 'Script error.' }, 'onerror');
    });
  });

  describe('remove', () => {
    it('should add one listener per event type and remove both', () => {
      const page = installFakeWindow();
      const onThrown = vi.fn();
      const remove = watchPageErrors(onThrown);
      expect([page.count('error'), page.count('unhandledrejection')]).toEqual([1, 1]);
      remove();
      expect([page.count('error'), page.count('unhandledrejection')]).toEqual([0, 0]);
      page.fire({ type: 'error', error: new Error('after') });
      page.fire({ type: 'unhandledrejection', reason: 'after' });
      expect(onThrown).not.toHaveBeenCalled();
    });

    it('should do nothing, and not throw, outside a page', () => {
      expect((globalThis as { addEventListener?: unknown }).addEventListener).toBeUndefined();
      const remove = watchPageErrors(() => {});
      expect(typeof remove).toBe('function');
      expect(() => remove()).not.toThrow();
    });
  });
});
