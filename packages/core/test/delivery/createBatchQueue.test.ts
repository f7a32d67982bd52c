import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics } from '../../src/diagnostics/index.js';
import { createBatchQueue, makeFetchTransport } from '../../src/delivery/index.js';
import type { BatchQueueOptions, DropReason, FlushResult, Transport, TransportResult } from '../../src/delivery/index.js';
import { sleep, startReceiver, waitFor } from './helpers/receiver.js';
import type { TestReceiver } from './helpers/receiver.js';

interface Item {
  id: string;
  payload?: string;
}

const items = (count: number, from = 0): Item[] => Array.from({ length: count }, (_, i) => ({ id: `e${from + i}` }));
const ids = (list: readonly Item[]): string[] => list.map((item) => item.id);

function quietDiagnostics() {
  const lines: string[] = [];
  const sink = (message: string): void => {
    lines.push(message);
  };
  const diagnostics = createDiagnostics({ level: 'warn', logger: { error: sink, warn: sink, info: sink, debug: sink } });
  return { diagnostics, lines };
}

describe('createBatchQueue', () => {
  let receiver: TestReceiver;
  let drops: Array<{ reason: DropReason; ids: string[] }>;
  let lines: string[];

  /** A queue POSTing JSON arrays to the receiver, with short timings so the file runs in seconds. */
  function makeQueue(overrides: Partial<BatchQueueOptions<Item>> = {}) {
    const quiet = quietDiagnostics();
    lines = quiet.lines;
    return createBatchQueue<Item>({
      transport: makeFetchTransport({ url: receiver.url, timeoutMs: 2000 }),
      encode: (batch) => ({ body: JSON.stringify(batch), contentType: 'application/json' }),
      flushIntervalMs: 10,
      maxBatchItems: 50,
      retry: { initialBackoffMs: 10, maxBackoffMs: 40, maxAttempts: 10 },
      circuit: { failureThreshold: 50, cooldownMs: 100 },
      diagnostics: quiet.diagnostics,
      onDrop: (reason, dropped) => drops.push({ reason, ids: ids(dropped) }),
      ...overrides,
    });
  }

  beforeEach(async () => {
    receiver = await startReceiver();
    drops = [];
  });

  afterEach(async () => {
    await receiver.stop();
  });

  describe('enqueue', () => {
    it('should deliver every item exactly once and in order when the queue is large enough', async () => {
      const queue = makeQueue({ maxQueueItems: 1000 });
      const all = items(500);
      for (const item of all) expect(queue.enqueue(item)).toBe(true);

      const result = await queue.flush(3000);

      expect(result).toEqual({ complete: true, pendingItems: 0, inFlight: false });
      expect(receiver.delivered).toEqual(ids(all));
      expect(queue.stats.sent).toBe(500);
      expect(queue.stats.sentBatches).toBe(10);
      expect(Object.values(queue.stats.dropped).every((n) => n === 0)).toBe(true);
      expect(queue.stats.queuedItems).toBe(0);
      expect(queue.stats.queuedBytes).toBe(0);
    });

    it('should close a batch on count, on bytes, and on age, whichever comes first', async () => {
      const queue = makeQueue({ maxBatchItems: 5, maxBatchBytes: 100, flushIntervalMs: 50 });
      for (const item of items(12)) queue.enqueue(item);
      // Two full batches leave at once; the remaining two wait for the interval.
      await waitFor(() => receiver.requests.length >= 2);
      expect(receiver.requests.map((r) => r.ids.length)).toEqual([5, 5]);
      await waitFor(() => receiver.requests.length >= 3);
      expect(receiver.requests[2]?.ids).toEqual(['e10', 'e11']);

      // ~42 bytes each: the third would pass 100 bytes, so batches of two.
      for (let i = 0; i < 4; i++) queue.enqueue({ id: `b${i}`, payload: 'x'.repeat(20) });
      await queue.flush(2000);
      expect(receiver.requests.slice(3).map((r) => r.ids)).toEqual([
        ['b0', 'b1'],
        ['b2', 'b3'],
      ]);
    });

    it('should send a batch closed on bytes at once, though steady traffic keeps the next one open', async () => {
      // ~100 bytes each, 250 per batch: every third item closes a batch, long before the interval.
      const queue = makeQueue({ maxBatchBytes: 250, flushIntervalMs: 5000 });
      for (let i = 0; i < 8; i++) {
        queue.enqueue({ id: `s${i}`, payload: 'x'.repeat(80) });
        await sleep(40);
      }
      await waitFor(() => receiver.requests.length >= 3, 1000);
      expect(receiver.requests.map((r) => r.ids)).toEqual([
        ['s0', 's1'],
        ['s2', 's3'],
        ['s4', 's5'],
      ]);
      await queue.shutdown(100);
    });

    it('should drop exactly the items past maxQueueItems as queue_full', async () => {
      await receiver.stop();
      const queue = makeQueue({ maxQueueItems: 10, retry: { initialBackoffMs: 10_000, maxAttempts: 10 } });
      const accepted = items(25).map((item) => queue.enqueue(item));

      expect(accepted.filter(Boolean)).toHaveLength(10);
      expect(queue.stats.dropped.queue_full).toBe(15);
      expect(queue.stats.enqueued).toBe(10);
      expect(drops.flatMap((d) => d.ids)).toEqual(ids(items(15, 10)));
      expect(drops.every((d) => d.reason === 'queue_full')).toBe(true);
      expect(lines.filter((l) => l.includes('queue_full'))).toHaveLength(1);
      await queue.shutdown(0);
    });

    it('should drop past maxQueueBytes and drop an item larger than a batch as too_large', async () => {
      await receiver.stop();
      const queue = makeQueue({
        maxQueueBytes: 100,
        maxBatchBytes: 60,
        sizeOf: (item) => item.payload?.length ?? 0,
        retry: { initialBackoffMs: 10_000 },
      });
      expect(queue.enqueue({ id: 'big', payload: 'x'.repeat(61) })).toBe(false);
      for (let i = 0; i < 4; i++) queue.enqueue({ id: `m${i}`, payload: 'x'.repeat(30) });

      expect(queue.stats.dropped.too_large).toBe(1);
      expect(queue.stats.dropped.queue_full).toBe(1);
      expect(queue.stats.queuedBytes).toBe(90);
      expect(drops).toEqual([
        { reason: 'too_large', ids: ['big'] },
        { reason: 'queue_full', ids: ['m3'] },
      ]);
      await queue.shutdown(0);
    });

    it('should count an item it cannot measure as invalid', () => {
      const queue = makeQueue();
      const cyclic: Item & { self?: unknown } = { id: 'c' };
      cyclic.self = cyclic;

      expect(queue.enqueue(cyclic)).toBe(false);
      expect(queue.stats.dropped.invalid).toBe(1);
    });

    it('should keep one send in flight at a time', async () => {
      receiver.reply = () => ({ status: 200 });
      const queue = makeQueue({ maxBatchItems: 2 });
      for (const item of items(40)) queue.enqueue(item);
      await queue.flush(3000);

      expect(receiver.requests).toHaveLength(20);
      expect(receiver.maxConcurrent).toBe(1);
    });
  });

  describe('retry', () => {
    it('should deliver everything after the receiver was down and came back', async () => {
      await receiver.stop();
      const queue = makeQueue();
      for (const item of items(20)) queue.enqueue(item);
      await waitFor(() => queue.stats.failedSends >= 2);
      await receiver.start();

      const result = await queue.flush(3000);

      expect(result.complete).toBe(true);
      expect(receiver.delivered).toEqual(ids(items(20)));
      expect(queue.stats.retried).toBeGreaterThanOrEqual(2);
      expect(queue.stats.sent).toBe(20);
    });

    it('should resend the same items after a 500', async () => {
      receiver.reply = (index) => (index < 2 ? { status: 500 } : { status: 200 });
      const queue = makeQueue();
      for (const item of items(7)) queue.enqueue(item);
      await queue.flush(3000);

      expect(receiver.requests.map((r) => r.ids)).toEqual([ids(items(7)), ids(items(7)), ids(items(7))]);
      expect(receiver.requests[0]?.body).toBe(receiver.requests[2]?.body);
      expect(receiver.delivered).toEqual(ids(items(7)));
      expect(queue.stats.retried).toBe(2);
      expect(queue.stats.failedSends).toBe(2);
    });

    it('should wait for Retry-After after a 429', async () => {
      receiver.reply = (index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 });
      const queue = makeQueue({ retry: { initialBackoffMs: 1, maxBackoffMs: 1, jitter: false } });
      queue.enqueue({ id: 'r1' });
      await queue.flush(3000);

      expect(receiver.requests).toHaveLength(2);
      const gap = (receiver.requests[1]?.at ?? 0) - (receiver.requests[0]?.at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(950);
      expect(receiver.delivered).toEqual(['r1']);
    });

    it('should give up on a send that hangs past its timeout and resend it', async () => {
      receiver.reply = (index) => (index === 0 ? { hang: true } : { status: 200 });
      const queue = makeQueue({ sendTimeoutMs: 150, transport: makeFetchTransport({ url: receiver.url, timeoutMs: 150 }) });
      queue.enqueue({ id: 'h1' });
      const started = Date.now();
      await queue.flush(3000);

      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(receiver.requests.map((r) => r.ids)).toEqual([['h1'], ['h1']]);
      expect(receiver.delivered).toEqual(['h1']);
    });

    it('should resend after the connection is reset', async () => {
      receiver.reply = (index) => (index === 0 ? { reset: true } : { status: 200 });
      const queue = makeQueue();
      for (const item of items(3)) queue.enqueue(item);
      await queue.flush(3000);

      expect(receiver.delivered).toEqual(['e0', 'e1', 'e2']);
      expect(queue.stats.failedSends).toBe(1);
    });

    it('should not retry a 4xx and count the batch as rejected', async () => {
      receiver.reply = () => ({ status: 400 });
      const queue = makeQueue();
      for (const item of items(4)) queue.enqueue(item);
      await queue.flush(3000);
      await sleep(50);

      expect(receiver.requests).toHaveLength(1);
      expect(queue.stats.dropped.rejected).toBe(4);
      expect(drops).toEqual([{ reason: 'rejected', ids: ['e0', 'e1', 'e2', 'e3'] }]);
    });

    it('should warn about a refused batch unless the transport reported the refusal itself', async () => {
      const refuse = (reported: boolean): Transport => ({ send: async () => ({ kind: 'failure', reason: 'refused', ...(reported ? { reported } : {}) }) });
      for (const reported of [false, true]) {
        const queue = makeQueue({ transport: refuse(reported) });
        for (const item of items(2)) queue.enqueue(item);
        await queue.flush(3000);
        expect(queue.stats.dropped.rejected).toBe(2);
        expect(drops.at(-1)).toEqual({ reason: 'rejected', ids: ['e0', 'e1'] });
        expect(lines.filter((line) => line.includes('dropped 2 item(s): rejected'))).toHaveLength(reported ? 0 : 1);
        await queue.shutdown(1000);
      }
    });

    it('should drop a batch as retries_exhausted after maxAttempts', async () => {
      receiver.reply = () => ({ status: 503 });
      const queue = makeQueue({ retry: { initialBackoffMs: 5, maxBackoffMs: 5, maxAttempts: 3 } });
      for (const item of items(2)) queue.enqueue(item);
      await queue.flush(3000);

      expect(receiver.requests).toHaveLength(3);
      expect(queue.stats.dropped.retries_exhausted).toBe(2);
      expect(queue.stats.retried).toBe(2);
    });
  });

  describe('circuit', () => {
    it('should open after consecutive failures, stop sending, then probe and close', async () => {
      let healthy = false;
      receiver.reply = () => (healthy ? { status: 200 } : { status: 503 });
      const queue = makeQueue({
        retry: { initialBackoffMs: 1, maxBackoffMs: 1, maxAttempts: 100 },
        circuit: { failureThreshold: 3, cooldownMs: 300 },
      });
      queue.enqueue({ id: 'c1' });
      await waitFor(() => queue.circuitState === 'open');
      expect(receiver.requests).toHaveLength(3);
      expect(queue.stats.circuitOpened).toBe(1);

      await sleep(150);
      expect(receiver.requests).toHaveLength(3);

      // The probe after the cooldown fails: the circuit opens again without a burst.
      await waitFor(() => receiver.requests.length === 4);
      await sleep(20);
      expect(queue.circuitState).toBe('open');
      expect(receiver.requests).toHaveLength(4);

      healthy = true;
      await queue.flush(2000);
      expect(queue.circuitState).toBe('closed');
      expect(receiver.requests).toHaveLength(5);
      expect(receiver.delivered).toEqual(['c1']);
      expect(lines.filter((l) => l.includes('delivery/circuit-open'))).toHaveLength(1);
    });
  });

  describe('flush', () => {
    it('should resolve by its deadline and report what is pending', async () => {
      receiver.reply = () => ({ hang: true });
      const queue = makeQueue({ sendTimeoutMs: 5000, transport: makeFetchTransport({ url: receiver.url, timeoutMs: 5000 }) });
      for (const item of items(3)) queue.enqueue(item);
      const started = Date.now();

      const result = await queue.flush(150);

      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(140);
      expect(took).toBeLessThan(600);
      expect(result).toEqual({ complete: false, pendingItems: 3, inFlight: true });
      await queue.shutdown(0);
    });

    it('should keep a Node process alive while it waits, and unref every other timer', async () => {
      await receiver.stop();
      const handles: Array<{ ms: number; handle: NodeJS.Timeout }> = [];
      const realSetTimeout = globalThis.setTimeout;
      vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
        const handle = realSetTimeout(fn, ms);
        handles.push({ ms: ms ?? 0, handle });
        return handle;
      }) as typeof setTimeout);
      const queue = makeQueue({ flushIntervalMs: 1234 });
      queue.enqueue({ id: 'k' });
      const pending = queue.flush(777);

      expect(handles.find((h) => h.ms === 777)?.handle.hasRef()).toBe(true);
      expect(handles.find((h) => h.ms === 1234)?.handle.hasRef()).toBe(false);
      await queue.shutdown(0);
      await pending;
      // Linger (1234), the fetch timeout (2000) and the send guard (default 10 s + 1 s grace) never hold the process.
      // Each appears at least once; a send refused before shutdown may be tried again, adding another pair.
      const internal = handles.filter((h) => [1234, 2000, 11_000].includes(h.ms));
      for (const ms of [1234, 2000, 11_000]) expect(internal.some((h) => h.ms === ms)).toBe(true);
      expect(internal.every((h) => !h.handle.hasRef())).toBe(true);
    });

    it('should resolve at once when nothing is held', async () => {
      const queue = makeQueue();
      await expect(queue.flush(10_000)).resolves.toEqual({ complete: true, pendingItems: 0, inFlight: false });
    });
  });

  describe('shutdown', () => {
    it('should resolve by its deadline, drop what is left as shutdown, and refuse new items', async () => {
      receiver.reply = () => ({ hang: true });
      const queue = makeQueue({ maxBatchItems: 2, sendTimeoutMs: 5000, transport: makeFetchTransport({ url: receiver.url, timeoutMs: 5000 }) });
      for (const item of items(5)) queue.enqueue(item);
      const started = Date.now();

      const result = await queue.shutdown(150);

      expect(Date.now() - started).toBeLessThan(600);
      // The in-flight send was aborted, and counted (and handed to onDrop) before shutdown resolved,
      // so a host that exits right after loses nothing uncounted.
      expect(result).toEqual({ complete: false, pendingItems: 5, inFlight: false });
      expect(queue.stats.dropped.shutdown).toBe(5);
      expect(drops.filter((d) => d.reason === 'shutdown').flatMap((d) => d.ids).sort()).toEqual(ids(items(5)).sort());
      expect(queue.enqueue({ id: 'late' })).toBe(false);
      expect(queue.stats.dropped.shutdown).toBe(6);
      expect(await queue.shutdown(10)).toBe(result);
    });

    it('should leave to keep() the send it aborts: kept, it is neither counted as dropped, warned about nor passed to onDrop', async () => {
      receiver.reply = () => ({ hang: true });
      const kept: Array<{ reason: DropReason; ids: string[] }> = [];
      const queue = makeQueue({
        maxBatchItems: 1,
        sendTimeoutMs: 5000,
        transport: makeFetchTransport({ url: receiver.url, timeoutMs: 5000 }),
        // A spool that takes what shutdown leaves, as the Sentry transport's does.
        keep: (reason, list) => (kept.push({ reason, ids: ids(list) }), reason === 'shutdown'),
      });
      queue.enqueue({ id: 'in-flight' });
      await waitFor(() => receiver.requests.length === 1);

      const result = await queue.shutdown(200);

      expect(result.complete).toBe(false);
      expect(kept).toEqual([{ reason: 'shutdown', ids: ['in-flight'] }]);
      expect(queue.stats.dropped.shutdown).toBe(0);
      expect(drops).toEqual([]);
      expect(lines.filter((line) => line.includes('dropped'))).toEqual([]);
    });

    it('should drop as usual what keep() does not keep, or throws on', async () => {
      receiver.reply = () => ({ hang: true });
      let calls = 0;
      const queue = makeQueue({
        maxBatchItems: 1,
        sendTimeoutMs: 5000,
        transport: makeFetchTransport({ url: receiver.url, timeoutMs: 5000 }),
        keep: () => {
          if (calls++ === 0) throw new Error('spool broken');
          return false;
        },
      });
      for (const item of items(2)) queue.enqueue(item);
      await waitFor(() => receiver.requests.length === 1);

      await queue.shutdown(200);

      expect(calls).toBe(2);
      expect(queue.stats.dropped.shutdown).toBe(2);
      expect(drops.flatMap((d) => d.ids).sort()).toEqual(['e0', 'e1']);
      expect(lines.some((line) => line.includes('dropped 1 item(s): shutdown'))).toBe(true);
    });

    it('should resolve by its deadline when the send in flight ignores its abort', async () => {
      vi.useFakeTimers();
      try {
        // A transport that never answers, abort or not.
        const transport: Transport = { send: () => new Promise<TransportResult>(() => undefined) };
        const queue = createBatchQueue<Item>({ transport, encode: (batch) => ({ body: JSON.stringify(batch), contentType: 'application/json' }), flushIntervalMs: 0, diagnostics: quietDiagnostics().diagnostics });
        queue.enqueue({ id: 'a' });
        await vi.advanceTimersByTimeAsync(0);
        let resolved: FlushResult | undefined;
        void queue.shutdown(1000).then((r) => (resolved = r));
        await vi.advanceTimersByTimeAsync(999);
        expect(resolved).toBeUndefined();
        await vi.advanceTimersByTimeAsync(1);
        expect(resolved).toEqual({ complete: false, pendingItems: 1, inFlight: true });
      } finally {
        vi.useRealTimers();
      }
    });

    it('should deliver what it can before the deadline', async () => {
      const queue = makeQueue();
      for (const item of items(30)) queue.enqueue(item);
      const result = await queue.shutdown(2000);

      expect(result.complete).toBe(true);
      expect(receiver.delivered).toHaveLength(30);
    });
  });

  describe('drain', () => {
    it('should hand back queued items in order without counting them as dropped', async () => {
      await receiver.stop();
      const queue = makeQueue({ maxBatchItems: 3, retry: { initialBackoffMs: 10_000, maxBackoffMs: 10_000, jitter: false } });
      for (const item of items(7)) queue.enqueue(item);
      await waitFor(() => queue.stats.failedSends === 1);

      const taken = queue.drain();

      expect(ids(taken)).toEqual(ids(items(7)));
      expect(queue.stats.queuedItems).toBe(0);
      expect(Object.values(queue.stats.dropped).every((n) => n === 0)).toBe(true);
      await expect(queue.flush(100)).resolves.toMatchObject({ complete: true });
    });
  });

  describe('recordDrop', () => {
    it('should count caller-reported drops by reason', () => {
      const queue = makeQueue();
      queue.recordDrop('sampled_out', 3);
      queue.recordDrop('invalid', [{ id: 'bad' }]);
      queue.recordDrop('invalid');

      expect(queue.stats.dropped.sampled_out).toBe(3);
      expect(queue.stats.dropped.invalid).toBe(2);
      expect(drops).toContainEqual({ reason: 'invalid', ids: ['bad'] });
    });
  });

  describe('backoff', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('should wait a full-jitter exponential backoff between attempts', async () => {
      vi.useFakeTimers();
      const sentAt: number[] = [];
      // In-memory transport: this test is about timing, not HTTP.
      const transport: Transport = {
        send: async (): Promise<TransportResult> => {
          sentAt.push(Date.now());
          return { kind: 'retryable', reason: 'test' };
        },
      };
      const queue = createBatchQueue<Item>({
        transport,
        encode: (batch) => ({ body: JSON.stringify(batch), contentType: 'application/json' }),
        flushIntervalMs: 0,
        random: () => 0.5,
        retry: { initialBackoffMs: 100, maxBackoffMs: 300, maxAttempts: 5 },
        diagnostics: quietDiagnostics().diagnostics,
      });
      queue.enqueue({ id: 'j' });
      await vi.advanceTimersByTimeAsync(0);
      expect(sentAt).toHaveLength(1);

      // Ceilings 100, 200, 300 (capped), 300; half of each with random() = 0.5.
      for (const wait of [50, 100, 150, 150]) {
        const before = sentAt.length;
        await vi.advanceTimersByTimeAsync(wait - 1);
        expect(sentAt).toHaveLength(before);
        await vi.advanceTimersByTimeAsync(1);
        expect(sentAt).toHaveLength(before + 1);
      }
      expect(queue.stats.dropped.retries_exhausted).toBe(1);
    });
  });

  describe('never throws', () => {
    it('should survive garbage options, a throwing onDrop, and a throwing transport with one warning', async () => {
      const quiet = quietDiagnostics();
      const queue = createBatchQueue<Item>({
        transport: {
          send: () => {
            throw new Error('boom');
          },
        },
        encode: (batch) => ({ body: JSON.stringify(batch), contentType: 'application/json' }),
        maxQueueItems: -4,
        flushIntervalMs: Number.NaN,
        retry: { maxAttempts: 1 },
        onDrop: () => {
          throw new Error('host bug');
        },
        diagnostics: quiet.diagnostics,
      });
      expect(quiet.lines.filter((l) => l.includes('delivery/invalid-options'))).toHaveLength(1);
      expect(() => queue.enqueue({ id: 'x' })).not.toThrow();
      await expect(queue.flush(500)).resolves.toMatchObject({ complete: true });
      expect(queue.stats.dropped.retries_exhausted).toBe(1);
      expect(() => queue.recordDrop('nonsense' as DropReason, 2)).not.toThrow();
      expect(() => queue.drain()).not.toThrow();
      await expect(queue.shutdown(10)).resolves.toBeDefined();
    });
  });
});
