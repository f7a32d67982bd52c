import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getBeaconBudget } from '@lookout/core/page';
import { createLiteClient, LITE_DROP_REASONS } from '@lookout/telemetry/lite';
import type { LiteClientOptions } from '@lookout/telemetry/lite';
import { decodeOtlpLogsJson } from '../helpers/otlpDecode.js';
import type { DecodedRecord } from '../helpers/otlpDecode.js';

const ENDPOINT = 'https://collector.example.com/v1/logs';
const START = new Date('2025-01-01T00:00:00.000Z');

interface Init {
  method: string;
  headers: Record<string, string>;
  body: Uint8Array;
  keepalive?: boolean;
}

interface Call {
  url: string;
  init: Init;
  /** Size of the body in bytes. */
  bytes: number;
  records: DecodedRecord[];
}

/** What the fake receiver answers: a status (with a Retry-After), a network error, or no answer ever. */
type Answer = number | { status: number; retryAfter?: string } | 'network' | 'hang';

/** A fake `fetch` on globalThis: records and decodes each request, answers from a script (default 200). */
function fakeFetch(script: (index: number) => Answer | Promise<Answer> = () => 200) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init: Init) => {
    // Recorded before the first await: a request made inside an event handler is seen at once.
    calls.push({ url, init, bytes: init.body.byteLength, records: decodeOtlpLogsJson(new TextDecoder().decode(init.body)) });
    const answer = await script(calls.length - 1);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (answer === 'hang') return new Promise<never>(() => undefined);
    const { status, retryAfter } = typeof answer === 'number' ? { status: answer, retryAfter: undefined } : answer;
    return {
      status,
      headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? (retryAfter ?? null) : null) },
      arrayBuffer: async () => new ArrayBuffer(0),
    };
  });
  vi.stubGlobal('fetch', fetch);
  const records = () => calls.flatMap((c) => c.records);
  const ids = () => records().map((r) => r.attributes['event.id']);
  return { calls, fetch, records, ids };
}

/** A promise resolved from outside: a request held open until the test answers it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A fake page: `document` with a visibility state and its listeners, and `pagehide` on the global. */
function fakePage() {
  const docListeners = new Map<string, Set<() => void>>();
  const winListeners = new Map<string, Set<() => void>>();
  const target = (map: Map<string, Set<() => void>>) => ({
    addEventListener: (t: string, l: () => void) => void map.set(t, (map.get(t) ?? new Set()).add(l)),
    removeEventListener: (t: string, l: () => void) => void map.get(t)?.delete(l),
  });
  const doc = { visibilityState: 'visible', ...target(docListeners) };
  const win = target(winListeners);
  vi.stubGlobal('document', doc);
  vi.stubGlobal('addEventListener', win.addEventListener);
  vi.stubGlobal('removeEventListener', win.removeEventListener);
  const fire = (map: Map<string, Set<() => void>>, type: string) => {
    for (const l of [...(map.get(type) ?? [])]) l();
  };
  return {
    /** The tab goes to the background: `visibilitychange` with `visibilityState` hidden. */
    hide() {
      doc.visibilityState = 'hidden';
      fire(docListeners, 'visibilitychange');
    },
    /** The tab comes back. */
    show() {
      doc.visibilityState = 'visible';
      fire(docListeners, 'visibilitychange');
    },
    /** The page is unloaded (or enters the back/forward cache). */
    pagehide() {
      fire(winListeners, 'pagehide');
    },
    listenerCount: () => [...docListeners.values(), ...winListeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

const make = (options: LiteClientOptions = {}) => createLiteClient({ endpoint: ENDPOINT, ...options });
/** Lets pending promise callbacks run without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);
/** Settled value of a promise, or `'pending'`, read after callbacks ran. */
function watch<T>(promise: Promise<T>) {
  let state: T | 'pending' = 'pending';
  void promise.then((v) => (state = v));
  return () => state;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  // Requests left hanging never give their keepalive bytes back: free the page-wide budget.
  const budget = getBeaconBudget();
  budget.release(budget.usedBytes);
});

describe('createLiteClient', () => {
  describe('batching', () => {
    it('should send a batch as soon as maxBatchEvents are queued', async () => {
      const net = fakeFetch();
      const client = make({ maxBatchEvents: 3, flushIntervalMs: 60_000, headers: { authorization: 'Bearer t' } });
      client.track('a');
      client.track('b');
      await settle();
      expect(net.calls).toHaveLength(0);
      client.track('c');
      await settle();
      expect(net.calls).toHaveLength(1);
      const [call] = net.calls;
      expect(call!.url).toBe(ENDPOINT);
      expect(call!.init.method).toBe('POST');
      expect(call!.init.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer t' });
      expect(call!.records.map((r) => r.eventName)).toEqual(['a', 'b', 'c']);
      expect(client.stats.sent).toBe(3);
      expect(client.stats.queued).toBe(0);
    });

    it('should split a longer queue into batches of maxBatchEvents', async () => {
      const net = fakeFetch();
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 1000 });
      for (let i = 0; i < 5; i++) client.track('clicked', { i });
      await settle();
      expect(net.calls.map((c) => c.records.length)).toEqual([2, 2]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(net.calls.map((c) => c.records.length)).toEqual([2, 2, 1]);
      expect(net.records().map((r) => r.attributes.i)).toEqual([0, 1, 2, 3, 4]);
      expect(client.stats.sent).toBe(5);
    });

    it('should send what is queued flushIntervalMs after the first event', async () => {
      const net = fakeFetch();
      const client = make({ maxBatchEvents: 10, flushIntervalMs: 1000 });
      client.track('a');
      await vi.advanceTimersByTimeAsync(600);
      client.track('b');
      await vi.advanceTimersByTimeAsync(399);
      expect(net.calls).toHaveLength(0);
      expect(client.stats.queued).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(1);
      expect(net.calls[0]!.records.map((r) => r.eventName)).toEqual(['a', 'b']);
      expect(client.stats.sent).toBe(2);
      expect(client.stats.queued).toBe(0);
    });

    it('should default to batches of 50 events and an interval of 5000 ms', async () => {
      const net = fakeFetch();
      const client = make();
      client.track('first');
      await vi.advanceTimersByTimeAsync(4999);
      expect(net.calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(1);
      for (let i = 0; i < 49; i++) client.track('more');
      await settle();
      expect(net.calls).toHaveLength(1);
      client.track('fiftieth');
      await settle();
      expect(net.calls).toHaveLength(2);
      expect(net.calls[1]!.records).toHaveLength(50);
    });

    it('should keep one request in flight at a time when a batch fills up', async () => {
      const first = deferred<Answer>();
      const net = fakeFetch((i) => (i === 0 ? first.promise : 200));
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 60_000 });
      for (let i = 0; i < 4; i++) client.track('clicked', { i });
      await settle();
      expect(net.calls).toHaveLength(1);
      expect(client.stats.queued).toBe(4);
      first.resolve(200);
      await settle();
      expect(net.calls).toHaveLength(2);
      expect(net.records().map((r) => r.attributes.i)).toEqual([0, 1, 2, 3]);
      expect(client.stats.sent).toBe(4);
    });

    it('should keep one request in flight at a time when the interval passes during a slow request', async () => {
      const first = deferred<Answer>();
      const net = fakeFetch((i) => (i === 0 ? first.promise : 200));
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 100 });
      client.track('a');
      client.track('b');
      await settle();
      expect(net.calls).toHaveLength(1);
      client.track('c');
      // The first request is still unanswered when the interval of `c` passes.
      await vi.advanceTimersByTimeAsync(1000);
      expect(net.calls).toHaveLength(1);
      first.resolve(200);
      await vi.advanceTimersByTimeAsync(100);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(3);
    });
  });

  describe('encoding', () => {
    it('should POST OTLP/HTTP logs JSON with the resource of the options and the ids of each event', async () => {
      const net = fakeFetch();
      const client = make({
        serviceName: 'shop',
        serviceVersion: '1.2.3',
        resourceAttributes: { 'deployment.environment.name': 'prod' },
        userId: 'u-1',
        maxBatchEvents: 2,
      });
      const first = client.track('checkout', { plan: 'pro', n: 3, ratio: 0.5, ok: true, list: [1, 'a'], nested: { x: 1 } });
      const second = client.track('clicked');
      await settle();
      expect(net.calls).toHaveLength(1);
      const [a, b] = net.records();
      expect(a!.eventName).toBe('checkout');
      expect(b!.eventName).toBe('clicked');
      expect(a!.resource).toMatchObject({ 'service.name': 'shop', 'service.version': '1.2.3', 'deployment.environment.name': 'prod' });
      expect(a!.severityText).toBe('INFO');
      expect(a!.timeUnixNano).toBe(BigInt(START.getTime()) * 1_000_000n);
      expect(a!.attributes).toEqual({
        plan: 'pro',
        n: 3,
        ratio: 0.5,
        ok: true,
        list: [1, 'a'],
        nested: { x: 1 },
        'event.id': first,
        'session.id': client.sessionId,
        'user.id': 'u-1',
      });
      expect(b!.attributes).toEqual({ 'event.id': second, 'session.id': client.sessionId, 'user.id': 'u-1' });
    });

    it('should name the service unknown_service at version 0.0.0 by default', async () => {
      const net = fakeFetch();
      const client = make();
      client.track('a');
      await client.flush(100);
      expect(net.records()[0]!.resource).toMatchObject({ 'service.name': 'unknown_service', 'service.version': '0.0.0' });
      expect(net.records()[0]!.attributes).not.toHaveProperty('user.id');
    });

    it('should give each event its own id and every event of a client the same session id', async () => {
      const net = fakeFetch();
      const client = make();
      const other = make();
      expect(client.sessionId).toMatch(UUID);
      expect(other.sessionId).not.toBe(client.sessionId);
      const ids = [client.track('a'), client.track('b'), client.track('c')];
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(3);
      await client.flush(100);
      expect(net.ids()).toEqual(ids);
      expect(net.records().map((r) => r.attributes['session.id'])).toEqual([client.sessionId, client.sessionId, client.sessionId]);
    });
  });

  describe('identify', () => {
    it('should carry the user id on later events only, and none after identify(undefined)', async () => {
      const net = fakeFetch();
      const client = make();
      client.track('before');
      client.identify('u-42');
      client.track('during');
      client.identify(undefined);
      client.track('after');
      await client.flush(100);
      expect(net.records().map((r) => r.attributes['user.id'] ?? null)).toEqual([null, 'u-42', null]);
    });

    it('should scrub the user id given to identify and the userId option', async () => {
      const net = fakeFetch();
      const client = make({ userId: 'jane@example.com' });
      client.track('a');
      client.identify('user john@example.com');
      client.track('b');
      await client.flush(100);
      expect(net.records().map((r) => r.attributes['user.id'])).toEqual(['[REDACTED:email]', 'user [REDACTED:email]']);
      expect(new TextDecoder().decode(net.calls[0]!.init.body)).not.toContain('example.com');
    });
  });

  describe('track', () => {
    it('should scrub an email in a property value and the whole value of a password key', async () => {
      const net = fakeFetch();
      const client = make();
      const properties = { email: 'jane@example.com', note: 'write to jane@example.com', password: 'hunter2', nested: { password: 'x', ok: 'fine' }, list: ['a@b.co'] };
      client.track('signup', properties);
      await client.flush(100);
      const [record] = net.records();
      expect(record!.attributes).toMatchObject({
        email: '[REDACTED:email]',
        note: 'write to [REDACTED:email]',
        password: '[REDACTED:key]',
        nested: { password: '[REDACTED:key]', ok: 'fine' },
        list: ['[REDACTED:email]'],
      });
      expect(new TextDecoder().decode(net.calls[0]!.init.body)).not.toMatch(/hunter2|example\.com/);
      // The caller's object is left as it was.
      expect(properties.password).toBe('hunter2');
      expect(properties.nested.password).toBe('x');
    });

    it('should drop an invalid name or invalid properties as invalid, with one warn call each', async () => {
      const net = fakeFetch();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      let deep: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 9; i++) deep = { deep };
      const bad: Array<[unknown, unknown]> = [
        ['', {}],
        ['x'.repeat(129), {}],
        [42, {}],
        [undefined, {}],
        ['a', [1]],
        ['a', 'text'],
        ['a', new Date()],
        ['a', new Map()],
        ['a', { f: () => 1 }],
        ['a', { n: Number.NaN }],
        ['a', { n: Number.POSITIVE_INFINITY }],
        ['a', { d: new Date() }],
        ['a', cyclic],
        ['a', deep],
        ['a', Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } })],
        ['a', (() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })()],
        ['a', { nested: Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } }) }],
        ['a', { nested: (() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })() }],
      ];
      const client = make();
      for (const [index, [name, properties]] of bad.entries()) {
        const warn = vi.fn();
        const checked = make({ warn });
        expect(() => checked.track(name as string, properties as Record<string, unknown>)).not.toThrow();
        expect(warn, `case ${index}`).toHaveBeenCalledTimes(1);
        expect(warn).toHaveBeenCalledWith('lite/invalid', expect.any(String));
        expect(checked.stats.dropped.invalid).toBe(1);
        expect(checked.stats.queued).toBe(0);
        expect(client.track(name as string, properties as Record<string, unknown>)).toBeUndefined();
      }
      expect(client.stats.dropped.invalid).toBe(bad.length);
      await client.flush(100);
      expect(net.calls).toHaveLength(0);
    });

    it('should accept a 128-character name and drop undefined properties', async () => {
      const net = fakeFetch();
      const warn = vi.fn();
      const client = make({ warn });
      const name = 'n'.repeat(128);
      expect(client.track(name, { u: undefined, v: 1 })).toMatch(UUID);
      expect(client.track('no-properties')).toMatch(UUID);
      await client.flush(100);
      expect(warn).not.toHaveBeenCalled();
      expect(client.stats.dropped.invalid).toBe(0);
      expect(net.records()[0]!.eventName).toBe(name);
      expect(net.records()[0]!.attributes).not.toHaveProperty('u');
      expect(net.records()[0]!.attributes.v).toBe(1);
    });

    it('should drop bigint and symbol property values as invalid (they are not JSON)', async () => {
      const net = fakeFetch();
      const warn = vi.fn();
      const client = make({ warn });
      expect(client.track('a', { big: 10n })).toBeUndefined();
      expect(client.track('a', { sym: Symbol('s') })).toBeUndefined();
      expect(client.stats.dropped.invalid).toBe(2);
      expect(warn).toHaveBeenCalledTimes(2);
      await client.flush(100);
      expect(net.calls).toHaveLength(0);
    });

    it('should drop events past maxQueueEvents as queue_full with a warn call, counting events in flight', async () => {
      const first = deferred<Answer>();
      const net = fakeFetch((i) => (i === 0 ? first.promise : 200));
      const warn = vi.fn();
      const client = make({ maxQueueEvents: 3, maxBatchEvents: 2, flushIntervalMs: 60_000, warn });
      client.track('a');
      client.track('b');
      client.track('c');
      await settle();
      // a and b are in flight, c is queued: the bound holds all three.
      expect(net.calls).toHaveLength(1);
      expect(client.stats.queued).toBe(3);
      expect(client.track('d')).toBeUndefined();
      expect(client.stats.dropped.queue_full).toBe(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith('lite/queue-full', expect.any(String));
      first.resolve(200);
      await settle();
      expect(client.track('e')).toMatch(UUID);
      await client.flush(100);
      expect(net.records().map((r) => r.eventName)).toEqual(['a', 'b', 'c', 'e']);
      expect(client.stats.dropped.queue_full).toBe(1);
    });

    it('should drop every event as no_endpoint without an endpoint and send nothing', async () => {
      const net = fakeFetch();
      const client = createLiteClient({});
      expect(client.track('a')).toBeUndefined();
      expect(client.track('b', { x: 1 })).toBeUndefined();
      expect(client.stats.dropped.no_endpoint).toBe(2);
      expect(client.stats.queued).toBe(0);
      await expect(client.flush(100)).resolves.toBe(true);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(net.fetch).not.toHaveBeenCalled();
    });
  });

  describe('retry', () => {
    it.each([503, 500, 429, 408, 'network'] as const)('should retry after a %s and send the event once it recovers', async (failure) => {
      // Full jitter at its low end: the first backoff is half of 1000 ms.
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const net = fakeFetch((i) => (i === 0 ? failure : 200));
      const client = make({ flushIntervalMs: 10 });
      const id = client.track('a');
      await vi.advanceTimersByTimeAsync(10);
      expect(net.calls).toHaveLength(1);
      expect(client.stats.retried).toBe(1);
      expect(client.stats.queued).toBe(1);
      await vi.advanceTimersByTimeAsync(499);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(2);
      expect(net.ids()).toEqual([id, id]);
      expect(client.stats.sent).toBe(1);
      expect(client.stats.retried).toBe(1);
      expect(client.stats.queued).toBe(0);
      expect(Object.values(client.stats.dropped).every((n) => n === 0)).toBe(true);
      // Sent once: nothing leaves again.
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(2);
    });

    it('should double the backoff on each retry, with jitter', async () => {
      const random = vi.spyOn(Math, 'random').mockReturnValue(0);
      const net = fakeFetch(() => 503);
      const client = make({ maxBatchEvents: 1, maxAttempts: 4 });
      client.track('a');
      await settle();
      const times = [Date.now() - START.getTime()];
      for (let ms = 0; ms < 10_000 && net.calls.length < 4; ms += 1) {
        const before = net.calls.length;
        await vi.advanceTimersByTimeAsync(1);
        if (net.calls.length > before) times.push(Date.now() - START.getTime());
      }
      // Ceilings of 1000, 2000 and 4000 ms, at half by the jitter.
      expect(times).toEqual([0, 500, 1500, 3500]);
      expect(client.stats.dropped.send_failed).toBe(1);

      // The top of the jitter: the whole ceiling.
      random.mockReturnValue(0.999_999);
      const other = fakeFetch((i) => (i === 0 ? 503 : 200));
      const second = make({ maxBatchEvents: 1 });
      second.track('b');
      await settle();
      await vi.advanceTimersByTimeAsync(998);
      expect(other.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(2);
      expect(other.calls).toHaveLength(2);
      expect(second.stats.sent).toBe(1);
    });

    it('should wait the seconds of Retry-After before retrying', async () => {
      const net = fakeFetch((i) => (i === 0 ? { status: 429, retryAfter: '7' } : 200));
      const client = make({ maxBatchEvents: 1 });
      client.track('a');
      await settle();
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(6999);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(1);
      expect(client.stats.retried).toBe(1);
    });

    it('should wait until the HTTP date of Retry-After before retrying', async () => {
      const at = new Date(START.getTime() + 30_000).toUTCString();
      const net = fakeFetch((i) => (i === 0 ? { status: 503, retryAfter: at } : 200));
      const client = make({ maxBatchEvents: 1 });
      client.track('a');
      await settle();
      await vi.advanceTimersByTimeAsync(29_999);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(1);
    });

    it('should wait at most 5 minutes whatever Retry-After asks', async () => {
      const net = fakeFetch((i) => (i === 0 ? { status: 503, retryAfter: '3600' } : 200));
      const client = make({ maxBatchEvents: 1 });
      client.track('a');
      await settle();
      await vi.advanceTimersByTimeAsync(299_999);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(1);
    });

    it.each([400, 401, 404, 413])('should count a %i as rejected without retrying', async (status) => {
      const net = fakeFetch(() => status);
      const client = make();
      client.track('a');
      client.track('b');
      await expect(client.flush(100)).resolves.toBe(true);
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(1);
      expect(client.stats.dropped.rejected).toBe(2);
      expect(client.stats.retried).toBe(0);
      expect(client.stats.sent).toBe(0);
      expect(client.stats.queued).toBe(0);
    });

    it('should drop a batch as send_failed after maxAttempts tries, and give the next batch all its tries', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      let healthy = false;
      const net = fakeFetch(() => (healthy ? 200 : 503));
      const client = make({ maxAttempts: 3 });
      client.track('a');
      client.track('b');
      const failed = watch(client.flush(60_000));
      // Tries at 0, 500 and 1500 ms (backoffs of 500 and 1000 ms).
      await vi.advanceTimersByTimeAsync(1499);
      expect(net.calls).toHaveLength(2);
      expect(failed()).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(failed()).toBe(true);
      expect(net.calls).toHaveLength(3);
      expect(client.stats.retried).toBe(2);
      expect(client.stats.dropped.send_failed).toBe(2);
      expect(client.stats.queued).toBe(0);
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(3);

      client.track('c');
      const done = watch(client.flush(60_000));
      await vi.advanceTimersByTimeAsync(500);
      expect(net.calls).toHaveLength(5);
      healthy = true;
      await vi.advanceTimersByTimeAsync(1000);
      expect(done()).toBe(true);
      expect(net.calls).toHaveLength(6);
      expect(client.stats.sent).toBe(1);
      expect(client.stats.dropped.send_failed).toBe(2);
    });

    it('should try a batch 5 times by default', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const net = fakeFetch(() => 'network');
      const client = make();
      client.track('a');
      const done = watch(client.flush(120_000));
      // Backoffs of 500, 1000, 2000 and 4000 ms.
      await vi.advanceTimersByTimeAsync(7499);
      expect(net.calls).toHaveLength(4);
      await vi.advanceTimersByTimeAsync(1);
      expect(done()).toBe(true);
      expect(net.calls).toHaveLength(5);
      expect(client.stats.retried).toBe(4);
      expect(client.stats.dropped.send_failed).toBe(1);
    });
  });

  describe('page hide', () => {
    it('should send everything queued at once as keepalive requests when the page is hidden, and never twice', async () => {
      const net = fakeFetch((i) => (i === 0 ? 'hang' : 200));
      const page = fakePage();
      const client = make({ maxBatchEvents: 3, flushIntervalMs: 60_000 });
      const ids = Array.from({ length: 7 }, (_, i) => client.track('clicked', { i }));
      await settle();
      // The first batch is in flight (and unanswered): it is not sent again at page hide.
      expect(net.calls).toHaveLength(1);
      page.hide();
      // Synchronously, inside the event handler.
      expect(net.calls).toHaveLength(3);
      for (const call of net.calls.slice(1)) expect(call.init.keepalive).toBe(true);
      expect(net.calls.slice(1).map((c) => c.records.length)).toEqual([3, 1]);
      await settle();
      expect(client.stats.sent).toBe(4);
      expect(client.stats.queued).toBe(3);

      page.pagehide();
      page.show();
      page.hide();
      await vi.advanceTimersByTimeAsync(600_000);
      // The unanswered first batch is given up at sendTimeoutMs and sent again, once.
      expect(net.calls).toHaveLength(4);
      expect(net.calls[3]?.records).toEqual(net.calls[0]?.records);
      expect(new Set(net.ids())).toEqual(new Set(ids));
      expect(client.stats.dropped.page_hidden).toBe(0);
    });

    it('should still keep one batch in flight at a time after a page-hide request is answered', async () => {
      const first = deferred<Answer>();
      const net = fakeFetch((i) => (i === 0 ? first.promise : 200));
      const page = fakePage();
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 60_000 });
      client.track('a');
      client.track('b');
      client.track('c');
      await settle();
      page.hide();
      expect(net.calls).toHaveLength(2);
      await settle();
      // The keepalive request of `c` is answered; the batch of a and b is not.
      expect(client.stats.sent).toBe(1);
      page.show();
      client.track('d');
      client.track('e');
      await settle();
      expect(net.calls).toHaveLength(2);
      first.resolve(200);
      await settle();
      expect(net.calls).toHaveLength(3);
      expect(net.calls[2]!.records.map((r) => r.eventName)).toEqual(['d', 'e']);
      expect(client.stats.sent).toBe(5);
    });

    it('should send everything queued at pagehide', async () => {
      const net = fakeFetch();
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      const ids = [client.track('a'), client.track('b')];
      page.pagehide();
      expect(net.calls).toHaveLength(1);
      expect(net.calls[0]!.init.keepalive).toBe(true);
      expect(net.ids()).toEqual(ids);
      await settle();
      expect(client.stats.sent).toBe(2);
      page.hide();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(1);
    });

    it('should not send when the page becomes visible', async () => {
      const net = fakeFetch();
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      client.track('a');
      page.show();
      await settle();
      expect(net.calls).toHaveLength(0);
      expect(client.stats.queued).toBe(1);
    });

    it('should hold the bytes of a keepalive request in the shared budget until it is answered', async () => {
      const answer = deferred<Answer>();
      const net = fakeFetch(() => answer.promise);
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      client.track('a', { pad: 'x'.repeat(1000) });
      const budget = getBeaconBudget();
      expect(budget.usedBytes).toBe(0);
      page.hide();
      expect(net.calls).toHaveLength(1);
      expect(budget.usedBytes).toBe(net.calls[0]!.bytes);
      answer.resolve(200);
      await settle();
      expect(budget.usedBytes).toBe(0);
      expect(client.stats.sent).toBe(1);
    });

    it('should cut a batch larger than the remaining shared budget to the oldest events that fit', async () => {
      // The size of the body of one and of two such events, as this client encodes them.
      const probe = fakeFetch();
      const sizer = make({ maxBatchEvents: 2 });
      const event = (i: number) => ['clicked', { i, pad: 'x'.repeat(4000) }] as const;
      sizer.track(...event(0));
      await sizer.flush(100);
      sizer.track(...event(1));
      sizer.track(...event(2));
      await sizer.flush(100);
      const [one, two] = probe.calls.map((c) => c.bytes) as [number, number];
      expect(probe.calls.map((c) => c.records.length)).toEqual([1, 2]);

      const net = fakeFetch(() => 'hang');
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      const ids = [0, 1, 2, 3, 4, 5].map((i) => client.track(...event(i)));
      // Another sender holds all but room for two events and a half, not for the six.
      const budget = getBeaconBudget();
      const room = two + Math.floor(one / 2);
      const held = budget.availableBytes - room;
      expect(budget.reserve(held)).toBe(true);
      try {
        page.hide();
        for (const call of net.calls) expect(call.init.keepalive).toBe(true);
        expect(net.calls.reduce((n, c) => n + c.bytes, 0)).toBeLessThanOrEqual(room);
        // The two oldest leave, the four newest are counted: every event is sent or counted, once.
        expect(net.ids()).toEqual(ids.slice(0, 2));
        expect(client.stats.dropped.page_hidden).toBe(4);
        // Sized by bytes per event rather than halved: a handful of encodes, not one per event.
        expect(net.calls.length).toBe(1);
        expect(budget.usedBytes).toBeLessThanOrEqual(budget.limitBytes);
      } finally {
        budget.release(held);
      }
    });

    it('should count one event larger than the remaining shared budget as page_hidden', async () => {
      const net = fakeFetch();
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      client.track('a', { pad: 'x'.repeat(200) });
      const budget = getBeaconBudget();
      const held = budget.availableBytes - 100;
      expect(budget.reserve(held)).toBe(true);
      try {
        page.hide();
        await settle();
        expect(net.calls).toHaveLength(0);
        expect(client.stats.dropped.page_hidden).toBe(1);
        expect(client.stats.queued).toBe(0);
        // Nothing was reserved for the dropped event.
        expect(budget.usedBytes).toBe(held);
      } finally {
        budget.release(held);
      }
    });

    it('should send nothing at page hide while consent is pending', async () => {
      const net = fakeFetch();
      const page = fakePage();
      const client = make({ consent: 'pending' });
      client.track('a');
      page.hide();
      page.pagehide();
      await settle();
      expect(net.calls).toHaveLength(0);
      expect(client.stats.queued).toBe(1);
    });
  });

  describe('consent', () => {
    it('should hold events while consent is pending and send them after optIn', async () => {
      const net = fakeFetch();
      const client = make({ consent: 'pending', flushIntervalMs: 1000 });
      expect(client.consent).toBe('pending');
      const ids = [client.track('a'), client.track('b')];
      for (const id of ids) expect(id).toMatch(UUID);
      await expect(client.flush(100)).resolves.toBe(false);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(net.calls).toHaveLength(0);
      expect(client.stats.queued).toBe(2);
      client.optIn();
      expect(client.consent).toBe('granted');
      await vi.advanceTimersByTimeAsync(1000);
      expect(net.calls).toHaveLength(1);
      expect(net.ids()).toEqual(ids);
      expect(client.stats.sent).toBe(2);
      expect(client.stats.dropped.consent).toBe(0);
    });

    it('should drop events as consent when consent is denied', async () => {
      const net = fakeFetch();
      const client = make({ consent: 'denied' });
      expect(client.consent).toBe('denied');
      expect(client.track('a')).toBeUndefined();
      expect(client.track('b')).toBeUndefined();
      expect(client.stats.dropped.consent).toBe(2);
      expect(client.stats.queued).toBe(0);
      await client.flush(100);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(net.calls).toHaveLength(0);
    });

    it('should drop the queue and later events as consent after optOut, until optIn', async () => {
      const net = fakeFetch();
      const client = make({ flushIntervalMs: 1000 });
      client.track('a');
      client.track('b');
      client.optOut();
      expect(client.consent).toBe('denied');
      expect(client.stats.dropped.consent).toBe(2);
      expect(client.stats.queued).toBe(0);
      expect(client.track('c')).toBeUndefined();
      expect(client.stats.dropped.consent).toBe(3);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(net.calls).toHaveLength(0);
      client.optIn();
      client.track('d');
      await client.flush(100);
      expect(net.records().map((r) => r.eventName)).toEqual(['d']);
    });

    it('should not retry a failed batch after optOut, counting it as consent', async () => {
      const answer = deferred<Answer>();
      const net = fakeFetch(() => answer.promise);
      const client = make({ maxBatchEvents: 1 });
      client.track('a');
      await settle();
      expect(net.calls).toHaveLength(1);
      client.optOut();
      answer.resolve(503);
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(1);
      expect(client.stats.dropped.consent).toBe(1);
      expect(client.stats.retried).toBe(0);
      expect(client.stats.queued).toBe(0);
    });

    it('should treat Do Not Track as denied', async () => {
      const net = fakeFetch();
      vi.stubGlobal('navigator', { doNotTrack: '1' });
      const client = make({ consent: 'granted' });
      expect(client.consent).toBe('denied');
      expect(client.track('a')).toBeUndefined();
      expect(client.stats.dropped.consent).toBe(1);
      await client.flush(100);
      expect(net.calls).toHaveLength(0);
      vi.stubGlobal('navigator', { doNotTrack: '0' });
      expect(make().consent).toBe('granted');
    });

    it('should treat Global Privacy Control as denied', async () => {
      const net = fakeFetch();
      vi.stubGlobal('navigator', { globalPrivacyControl: true });
      const client = make({ consent: 'pending' });
      expect(client.consent).toBe('denied');
      expect(client.track('a')).toBeUndefined();
      expect(client.stats.dropped.consent).toBe(1);
      await client.flush(100);
      expect(net.calls).toHaveLength(0);
      vi.stubGlobal('navigator', { globalPrivacyControl: false });
      expect(make().consent).toBe('granted');
    });
  });

  describe('flush', () => {
    it('should resolve true at once when nothing is queued', async () => {
      const net = fakeFetch();
      const client = make();
      await expect(client.flush(100)).resolves.toBe(true);
      expect(net.calls).toHaveLength(0);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('should send at once without waiting for the interval and resolve true once accepted', async () => {
      const net = fakeFetch();
      const client = make({ flushIntervalMs: 60_000 });
      client.track('a');
      client.track('b');
      const done = watch(client.flush(1000));
      await settle();
      expect(net.calls).toHaveLength(1);
      expect(done()).toBe(true);
      expect(client.stats.sent).toBe(2);
      expect(Date.now()).toBe(START.getTime());
    });

    it('should send every batch of a longer queue before resolving true', async () => {
      const net = fakeFetch();
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 60_000 });
      const first = deferred<Answer>();
      net.fetch.mockImplementationOnce(async (url, init) => {
        net.calls.push({ url, init, bytes: init.body.byteLength, records: decodeOtlpLogsJson(new TextDecoder().decode(init.body)) });
        const status = (await first.promise) as number;
        return { status, headers: { get: () => null }, arrayBuffer: async () => new ArrayBuffer(0) };
      });
      for (let i = 0; i < 5; i++) client.track('clicked', { i });
      const done = watch(client.flush(1000));
      await settle();
      expect(done()).toBe('pending');
      first.resolve(200);
      await settle();
      expect(done()).toBe(true);
      expect(net.calls.map((c) => c.records.length)).toEqual([2, 2, 1]);
      expect(client.stats.sent).toBe(5);
    });

    it('should resolve false at its deadline while a request hangs', async () => {
      fakeFetch(() => 'hang');
      const client = make();
      client.track('a');
      const done = watch(client.flush(1000));
      await vi.advanceTimersByTimeAsync(999);
      expect(done()).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(done()).toBe(false);
      expect(client.stats.queued).toBe(1);
    });

    it('should wait 5000 ms by default', async () => {
      fakeFetch(() => 'hang');
      const client = make();
      client.track('a');
      const done = watch(client.flush());
      await vi.advanceTimersByTimeAsync(4999);
      expect(done()).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(done()).toBe(false);
    });

    it('should wait through a retry and resolve true when it succeeds', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const net = fakeFetch((i) => (i === 0 ? 503 : 200));
      const client = make();
      client.track('a');
      const done = watch(client.flush(5000));
      await vi.advanceTimersByTimeAsync(499);
      expect(done()).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(done()).toBe(true);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(1);
    });
  });

  describe('regressions', () => {
    it('should apply an optOut made right after a full batch before anything leaves', async () => {
      const net = fakeFetch();
      const client = make({ maxBatchEvents: 2 });
      client.track('a');
      client.track('b');
      client.optOut();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(net.calls).toHaveLength(0);
      expect(client.stats.dropped.consent).toBe(2);
    });

    it('should keep one request in flight when a page-hide send is refused while a batch is out', async () => {
      const first = deferred<Answer>();
      const net = fakeFetch((i) => (i === 0 ? first.promise : i === 1 ? 503 : 200));
      const page = fakePage();
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 60_000 });
      client.track('a');
      client.track('b');
      await settle();
      expect(net.calls).toHaveLength(1);
      client.track('c');
      page.hide();
      expect(net.calls).toHaveLength(2);
      // The page came back; `c` was refused with 503 while [a, b] is still unanswered (for less than sendTimeoutMs).
      page.show();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(net.calls).toHaveLength(2);
      first.resolve(200);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(net.calls).toHaveLength(3);
      expect(net.calls[2]?.records.map((r) => r.eventName)).toEqual(['c']);
      expect(client.stats.sent).toBe(3);
    });

    it('should end a waiting flush with false when shutdown drops what it waited for, leaving no timer', async () => {
      fakeFetch(() => 503);
      const client = make({ maxAttempts: 10 });
      client.track('a');
      const flushed = watch(client.flush(600_000));
      await vi.advanceTimersByTimeAsync(100);
      const done = client.shutdown(10);
      await vi.advanceTimersByTimeAsync(20);
      await done;
      await settle();
      expect(flushed()).toBe(false);
      expect(client.stats.dropped.shutdown).toBe(1);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('shutdown', () => {
    it('should send what is queued, then stop and count later events as shutdown', async () => {
      const net = fakeFetch();
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      client.track('a');
      client.track('b');
      await client.shutdown(1000);
      expect(net.calls).toHaveLength(1);
      expect(client.stats.sent).toBe(2);
      expect(client.stats.dropped.shutdown).toBe(0);
      expect(client.track('c')).toBeUndefined();
      expect(client.stats.dropped.shutdown).toBe(1);
      page.hide();
      page.pagehide();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(1);
    });

    it('should count what is still queued at its deadline as shutdown, and send nothing more', async () => {
      const net = fakeFetch(() => 'hang');
      fakePage();
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 60_000 });
      client.track('a');
      client.track('b');
      client.track('c');
      await settle();
      expect(net.calls).toHaveLength(1);
      const done = watch(client.shutdown(500).then(() => 'done'));
      await vi.advanceTimersByTimeAsync(499);
      expect(done()).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(done()).toBe('done');
      // `c` was queued; [a, b] still unanswered: given up, and counted.
      expect(client.stats.dropped.shutdown).toBe(3);
      expect(client.stats.queued).toBe(0);
      expect(client.track('d')).toBeUndefined();
      expect(client.stats.dropped.shutdown).toBe(4);
      await vi.advanceTimersByTimeAsync(600_000);
      expect(net.calls).toHaveLength(1);
    });

    it('should remove its page listeners and timers', async () => {
      fakeFetch();
      const page = fakePage();
      const client = make({ flushIntervalMs: 60_000 });
      expect(page.listenerCount()).toBe(2);
      client.track('a');
      await client.shutdown(100);
      expect(page.listenerCount()).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('should be idempotent: later calls return the first promise and count nothing again', async () => {
      fakeFetch(() => 'hang');
      const page = fakePage();
      const client = make({ consent: 'pending' });
      client.track('a');
      client.track('b');
      const first = client.shutdown(100);
      expect(client.shutdown(10)).toBe(first);
      await vi.advanceTimersByTimeAsync(100);
      await first;
      expect(client.stats.dropped.shutdown).toBe(2);
      expect(client.shutdown()).toBe(first);
      await client.shutdown(100);
      expect(client.stats.dropped.shutdown).toBe(2);
      expect(page.listenerCount()).toBe(0);
      // A stopped client does not come back with optIn.
      client.optIn();
      expect(client.consent).toBe('pending');
      expect(client.track('c')).toBeUndefined();
      expect(client.stats.dropped.shutdown).toBe(3);
    });
  });

  describe('stats', () => {
    it('should start with every drop reason at 0 and stay the same live object', async () => {
      fakeFetch();
      const client = make();
      const stats = client.stats;
      expect(Object.keys(stats.dropped).sort()).toEqual([...LITE_DROP_REASONS].sort());
      expect(Object.values(stats.dropped).every((n) => n === 0)).toBe(true);
      expect(stats).toMatchObject({ queued: 0, sent: 0, retried: 0 });
      client.track('a');
      expect(stats.queued).toBe(1);
      await client.flush(100);
      expect(client.stats).toBe(stats);
      expect(stats).toMatchObject({ queued: 0, sent: 1 });
    });
  });
});
