import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBeaconBudget, createDiagnostics, createMetricsRegistry, getBeaconBudget, renderPrometheus } from '@lookout/core';
import type { Logger } from '@lookout/core';
import { createBrowserTelemetryClient } from '@lookout/telemetry/browser';
import { createPageClient } from '@lookout/telemetry/page';
import type { PageClientOptions } from '@lookout/telemetry/page';
import { createFakeIndexedDb } from '../helpers/fakeIndexedDb.js';

const ENDPOINT = 'https://collector.example.com/v1/logs';

interface Call {
  url: string;
  init: { method: string; headers: Record<string, string>; body: Uint8Array | string; keepalive?: boolean };
  json: { resourceLogs: Array<{ resource: unknown; scopeLogs: Array<{ logRecords: Array<{ eventName: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }> }> }> };
}

type Answer = number | { status: number; retryAfter?: string } | 'network' | 'hang';

/** A fake `fetch` that records each request and answers from a script (default 200). */
function fakeFetch(script: (index: number) => Answer = () => 200) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init: Call['init']) => {
    const text = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body);
    calls.push({ url, init, json: JSON.parse(text) as Call['json'] });
    const answer = script(calls.length - 1);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (answer === 'hang') return new Promise<never>(() => undefined);
    const { status, retryAfter } = typeof answer === 'number' ? { status: answer, retryAfter: undefined } : answer;
    return { status, headers: { get: (name: string) => (name === 'retry-after' ? (retryAfter ?? null) : null) } };
  });
  (globalThis as Record<string, unknown>).fetch = fetch;
  const records = () => calls.flatMap((c) => c.json.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords)));
  const attr = (record: ReturnType<typeof records>[number], key: string) => record.attributes.find((a) => a.key === key)?.value;
  return { calls, fetch, records, attr };
}

function recording() {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  return { diagnostics: createDiagnostics({ logger, level: 'warn', maxPerMinute: 100_000 }), warnings };
}

/** A fake page: `document` with a visibility state and `pagehide` on the global. */
function fakePage() {
  const listeners = new Map<string, Set<() => void>>();
  const on = (t: string, l: () => void) => listeners.set(t, (listeners.get(t) ?? new Set()).add(l));
  const off = (t: string, l: () => void) => listeners.get(t)?.delete(l);
  const doc = { visibilityState: 'visible', addEventListener: on, removeEventListener: off };
  const g = globalThis as Record<string, unknown>;
  g.document = doc;
  g.addEventListener = on;
  g.removeEventListener = off;
  return {
    hide() {
      doc.visibilityState = 'hidden';
      for (const l of listeners.get('visibilitychange') ?? []) l();
      for (const l of listeners.get('pagehide') ?? []) l();
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

/** Hides the page while another sender holds the whole keepalive budget: nothing may leave, so a client with a store persists its queue. */
function hideWithBudgetTaken(page: ReturnType<typeof fakePage>): void {
  const budget = getBeaconBudget();
  expect(budget.reserve(budget.availableBytes)).toBe(true);
  try {
    page.hide();
  } finally {
    budget.release(budget.limitBytes);
  }
}

const quiet = () => createDiagnostics({ level: 'none' });
const make = (options: PageClientOptions = {}) => createPageClient({ endpoint: ENDPOINT, diagnostics: quiet(), flushOnPageHide: false, ...options });
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  const g = globalThis as Record<string, unknown>;
  for (const key of ['fetch', 'document', 'addEventListener', 'removeEventListener']) delete g[key];
  vi.unstubAllGlobals();
});

describe('createPageClient', () => {
  describe('batching', () => {
    it('should POST OTLP/JSON by count and by interval', async () => {
      const net = fakeFetch();
      const client = make({ maxBatchEvents: 3, flushIntervalMs: 1000 });
      for (let i = 0; i < 4; i++) client.track('clicked', { i });
      await settle();
      expect(net.calls).toHaveLength(1);
      expect(net.calls[0]?.init.headers['content-type']).toBe('application/json');
      expect(net.calls[0]?.init.method).toBe('POST');
      expect(net.records().map((r) => net.attr(r, 'i'))).toEqual([{ intValue: 0 }, { intValue: 1 }, { intValue: 2 }]);
      await vi.advanceTimersByTimeAsync(999);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(4);
      expect(client.stats.queued).toBe(0);
    });

    it('should keep one request in flight when the interval passes during a slow request', async () => {
      let answer!: () => void;
      const slow = new Promise<void>((resolve) => (answer = resolve));
      const net = fakeFetch();
      net.fetch.mockImplementationOnce(async (url, init) => {
        net.calls.push({ url, init, json: JSON.parse(new TextDecoder().decode(init.body as Uint8Array)) as Call['json'] });
        await slow;
        return { status: 200, headers: { get: () => null } };
      });
      const client = make({ maxBatchEvents: 2, flushIntervalMs: 100 });
      client.track('a');
      client.track('b');
      await settle();
      client.track('c');
      // The interval of `c` passes while the first request is unanswered: no second request yet.
      await vi.advanceTimersByTimeAsync(1000);
      expect(net.calls).toHaveLength(1);
      answer();
      await vi.advanceTimersByTimeAsync(100);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.sent).toBe(3);
    });

    it('should send the same log records as the full browser client for the same events', async () => {
      const net = fakeFetch();
      const options = { endpoint: ENDPOINT, app: { name: 'shop', version: '1.2.3' }, resourceAttributes: { 'deployment.environment': 'prod' }, userId: 'u-1', sessionId: 's-1' };
      const page = createPageClient({ ...options, diagnostics: quiet(), flushOnPageHide: false });
      const full = createBrowserTelemetryClient({ ...options, format: 'otlp-json', compression: 'none', flushOnPageHide: false, diagnostics: quiet() });
      const properties = { plan: 'pro', n: 3, ratio: 0.5, ok: true, none: null, list: [1, 'a'], nested: { x: 1 } };
      page.track('checkout', properties);
      full.track('checkout', properties);
      await page.flush(1000);
      await full.flush(1000);
      await full.shutdown(100);
      expect(net.calls).toHaveLength(2);
      const normalise = (c: Call) => JSON.parse(JSON.stringify(c.json).replace(/"(timeUnixNano|observedTimeUnixNano)":"\d+"/g, '"$1":"t"').replace(/"key":"event.id","value":\{"stringValue":"[^"]+"\}/, '"key":"event.id"'));
      expect(normalise(net.calls[0] as Call)).toEqual(normalise(net.calls[1] as Call));
    });
  });

  describe('retry', () => {
    it('should retry 5xx with backoff and count the retry', async () => {
      const net = fakeFetch((i) => (i === 0 ? 503 : 200));
      const client = make({ retry: { initialBackoffMs: 1000, maxBackoffMs: 1000 } });
      client.track('a');
      await vi.advanceTimersByTimeAsync(5000);
      expect(net.calls.length).toBeGreaterThanOrEqual(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(net.calls).toHaveLength(2);
      expect(client.stats.retried).toBe(1);
      expect(client.stats.sent).toBe(1);
    });

    it('should wait what Retry-After asks on 429, and retry network errors and 408', async () => {
      const net = fakeFetch((i) => [{ status: 429, retryAfter: '7' }, 'network', 408, 200][i] as Answer);
      const client = make({ flushIntervalMs: 10, retry: { initialBackoffMs: 10, maxBackoffMs: 10 } });
      client.track('a');
      await vi.advanceTimersByTimeAsync(10);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(6900);
      expect(net.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(net.calls.length).toBeGreaterThanOrEqual(2);
      await vi.advanceTimersByTimeAsync(100);
      expect(net.calls).toHaveLength(4);
      expect(client.stats.sent).toBe(1);
      expect(client.stats.retried).toBe(3);
    });

    it('should give up after maxAttempts as send_failed, and drop other 4xx as rejected', async () => {
      const net = fakeFetch((i) => (i < 3 ? 500 : 400));
      const client = make({ flushIntervalMs: 10, retry: { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 1 } });
      client.track('a');
      client.track('b');
      await vi.advanceTimersByTimeAsync(100);
      expect(client.stats.dropped.send_failed).toBe(2);
      client.track('c');
      await client.flush(100);
      expect(client.stats.dropped.rejected).toBe(1);
      expect(net.calls).toHaveLength(4);
    });
  });

  describe('consent', () => {
    it('should keep events while pending and send them on optIn', async () => {
      const net = fakeFetch();
      const client = make({ consent: 'pending', maxQueueEvents: 2 });
      client.track('a');
      client.track('b');
      expect(client.track('c')).toBeUndefined();
      expect(client.stats.dropped.queue_full).toBe(1);
      await client.flush(100);
      expect(net.calls).toHaveLength(0);
      client.optIn();
      await client.flush(100);
      expect(client.stats.sent).toBe(2);
    });

    it('should drop everything after optOut and send nothing more', async () => {
      const net = fakeFetch();
      const client = make();
      client.track('a');
      client.optOut();
      expect(client.consent).toBe('denied');
      client.track('b');
      await client.flush(100);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(net.calls).toHaveLength(0);
      expect(client.stats.dropped.consent).toBe(2);
    });

    it('should treat Do Not Track and Global Privacy Control as denied unless told not to', () => {
      fakeFetch();
      vi.stubGlobal('navigator', { doNotTrack: '1' });
      expect(make().consent).toBe('denied');
      expect(make({ respectDoNotTrack: false }).consent).toBe('granted');
      vi.stubGlobal('navigator', { globalPrivacyControl: true });
      const client = make();
      expect(client.track('a')).toBeUndefined();
      expect(client.stats.dropped.consent).toBe(1);
    });
  });

  describe('track', () => {
    it('should sample per event name and carry the rate', async () => {
      const net = fakeFetch();
      const client = make({ sampling: { never: 0, half: 0.5 } });
      vi.spyOn(Math, 'random').mockReturnValue(0.25);
      expect(client.track('never')).toBeUndefined();
      expect(client.track('half')).toBeTypeOf('string');
      expect(client.track('other')).toBeTypeOf('string');
      await client.flush(100);
      expect(client.stats.dropped.sampled).toBe(1);
      expect(net.records().map((r) => net.attr(r, 'lookout.sample_rate'))).toEqual([{ doubleValue: 0.5 }, undefined]);
    });

    it('should let beforeSend edit or drop events, and keep the event when it throws', async () => {
      const net = fakeFetch();
      const client = make({
        beforeSend: (e) => (e.name === 'drop' ? null : e.name === 'boom' ? (() => { throw new Error('x'); })() : e.name === 'bad' ? ({ nope: 1 } as never) : { ...e, properties: { ...e.properties, edited: true } }),
      });
      client.track('drop');
      client.track('keep');
      client.track('boom');
      client.track('bad');
      await client.flush(100);
      expect(client.stats.dropped.before_send).toBe(1);
      expect(client.stats.dropped.invalid).toBe(1);
      expect(net.records().map((r) => [r.eventName, net.attr(r, 'edited')])).toEqual([['keep', { boolValue: true }], ['boom', undefined]]);
    });

    it('should drop invalid names and properties with one diagnostic per reason', () => {
      fakeFetch();
      const { diagnostics, warnings } = recording();
      const client = createPageClient({ endpoint: ENDPOINT, diagnostics, flushOnPageHide: false });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const [name, props] of [['', {}], ['x'.repeat(129), {}], [42, {}], ['a', [1]], ['a', new Date()], ['a', { f: () => 1 }], ['a', { n: NaN }], ['a', cyclic]] as const) {
        expect(client.track(name as string, props as Record<string, unknown>)).toBeUndefined();
      }
      expect(client.stats.dropped.invalid).toBe(8);
      expect(warnings).toHaveLength(1);
      expect(client.track('ok', { u: undefined, v: 1 })).toBeTypeOf('string');
    });

    it('should scrub properties and the user id by default, and not with redact: false', async () => {
      const net = fakeFetch();
      const client = make({ userId: 'jane@example.com' });
      client.track('signup', { email: 'jane@example.com', password: 'hunter2', note: 'card 4111 1111 1111 1111' });
      const raw = make({ redact: false });
      raw.track('signup', { email: 'jane@example.com' });
      await client.flush(100);
      await raw.flush(100);
      const [scrubbed, kept] = net.records();
      expect(net.attr(scrubbed!, 'email')).toEqual({ stringValue: '[REDACTED:email]' });
      expect(net.attr(scrubbed!, 'password')).toEqual({ stringValue: '[REDACTED:key]' });
      expect(net.attr(scrubbed!, 'note')).toEqual({ stringValue: 'card [REDACTED:credit_card]' });
      expect(net.attr(scrubbed!, 'user.id')).toEqual({ stringValue: '[REDACTED:email]' });
      expect(net.attr(kept!, 'email')).toEqual({ stringValue: 'jane@example.com' });
    });

    it('should drop events without a valid endpoint as no_endpoint, with one diagnostic', () => {
      const { diagnostics, warnings } = recording();
      const client = createPageClient({ endpoint: 'ftp://x', diagnostics });
      client.track('a');
      client.track('b');
      expect(client.stats.dropped.no_endpoint).toBe(2);
      expect(warnings.filter((w) => w.includes('endpoint'))).toHaveLength(2);
    });
  });

  describe('options', () => {
    const fields: Array<keyof PageClientOptions> = [
      'endpoint', 'headers', 'app', 'resourceAttributes', 'userId', 'sessionId', 'consent', 'respectDoNotTrack', 'sampling', 'beforeSend', 'redact',
      'maxQueueEvents', 'maxBatchEvents', 'flushIntervalMs', 'sendTimeoutMs', 'retry', 'flushOnPageHide', 'persistence', 'registry',
    ];
    it('should never throw on garbage options and report each bad field once', () => {
      fakeFetch();
      const garbage = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: -1 }), fc.constant(Number.NaN), fc.constant(Symbol('s')), fc.constant([1, 2]), fc.constant(new Map()));
      fc.assert(
        fc.property(fc.uniqueArray(fc.constantFrom(...fields), { minLength: 1, maxLength: 6 }), garbage, (bad, value) => {
          const { diagnostics, warnings } = recording();
          const options: Record<string, unknown> = { endpoint: ENDPOINT, diagnostics, flushOnPageHide: false };
          for (const field of bad) options[field] = value;
          const client = createPageClient(options as PageClientOptions);
          client.track('a', { x: 1 });
          void client.shutdown(0);
          for (const field of bad) expect(warnings.filter((w) => w.includes(`: ${field}: `)), `${field}: ${warnings.join(' | ')}`).toHaveLength(1);
          const noEndpoint = bad.includes('endpoint') ? 1 : 0;
          expect(warnings.length).toBe(bad.length + noEndpoint);
        }),
        { numRuns: 200 },
      );
      expect(() => createPageClient(42 as never)).not.toThrow();
      const hostile = new Proxy({}, { get: () => { throw new Error('no'); } });
      expect(() => createPageClient(hostile as never).track('a')).not.toThrow();
    });
  });

  describe('headers', () => {
    // fetch refuses such a header, failing every request alike: it was retried as a network error until retries_exhausted.
    it('should refuse headers fetch would refuse with one diagnostic, and send without them', async () => {
      const refused: Array<Record<string, string>> = [{ authorization: 'Bearer s3cr3t\r\n' }, { 'bad name': 'x' }, { 'x-a': '\u20ac' }];
      for (const headers of refused) {
        const net = fakeFetch();
        const { diagnostics, warnings } = recording();
        const client = createPageClient({ endpoint: ENDPOINT, diagnostics, headers, flushOnPageHide: false });
        expect(warnings.filter((w) => w.includes(': headers: ')), JSON.stringify(headers)).toHaveLength(1);
        expect(warnings.join(' ')).not.toContain('s3cr3t');
        client.track('a');
        await client.flush(2000);
        expect(net.calls).toHaveLength(1);
        expect(Object.keys(net.calls[0]!.init.headers)).toEqual(['content-type']);
        await client.shutdown(0);
      }
    });
  });

  describe('shutdown', () => {
    it('should resolve by its deadline with a hung request, stop sending and be idempotent', async () => {
      const net = fakeFetch(() => 'hang');
      const page = fakePage();
      const client = createPageClient({ endpoint: ENDPOINT, diagnostics: quiet() });
      client.track('a');
      client.track('b', {});
      const first = client.shutdown(500);
      expect(client.shutdown(10)).toBe(first);
      await vi.advanceTimersByTimeAsync(500);
      await expect(first).resolves.toMatchObject({ complete: false, inFlight: true });
      expect(client.track('c')).toBeUndefined();
      // [a, b] were still unanswered: given up at the deadline and counted, with `c`.
      expect(client.stats.dropped.shutdown).toBe(3);
      expect(page.listenerCount()).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
      expect(net.calls).toHaveLength(1);
    });
  });

  describe('page hide', () => {
    it('should send everything queued with keepalive inside the shared budget, once', async () => {
      const net = fakeFetch(() => 'hang');
      const page = fakePage();
      const client = createPageClient({ endpoint: ENDPOINT, diagnostics: quiet(), maxBatchEvents: 10, maxQueueEvents: 5000 });
      const ids = Array.from({ length: 1000 }, (_, i) => client.track('clicked', { i, pad: 'x'.repeat(100) }));
      await settle();
      // The first batch is in flight (a normal send, keepalive while the budget allows): it is not sent again.
      expect(net.calls).toHaveLength(1);
      page.hide();
      const hidden = net.calls.slice(1);
      expect(hidden.length).toBeGreaterThanOrEqual(1);
      for (const c of hidden) expect(c.init.keepalive).toBe(true);
      const sentIds = net.records().map((r) => (net.attr(r, 'event.id') as { stringValue: string }).stringValue);
      expect(new Set(sentIds).size).toBe(sentIds.length);
      expect(sentIds.length + client.stats.dropped.page_hidden).toBe(ids.length);
      expect(client.stats.dropped.page_hidden).toBeGreaterThan(0);
      const bytes = hidden.reduce((n, c) => n + (c.init.body as Uint8Array).byteLength, 0) + (net.calls[0]!.init.body as Uint8Array).byteLength;
      expect(bytes).toBeLessThanOrEqual(65_536);
      expect(client.stats.beaconed).toBe(sentIds.length - 10);
      // The hung requests never give their bytes back: free the page-wide budget for the next tests.
      getBeaconBudget().release(65_536);
    });

    it('should use sendBeacon where there is no fetch and no custom header', () => {
      const page = fakePage();
      const beacons: unknown[] = [];
      vi.stubGlobal('navigator', { sendBeacon: (_url: string, body: unknown) => beacons.push(body) > 0 });
      // Node has a fetch of its own.
      vi.stubGlobal('fetch', undefined);
      const client = createPageClient({ endpoint: ENDPOINT, diagnostics: quiet() });
      client.track('a');
      page.hide();
      expect(beacons).toHaveLength(1);
      expect(client.stats.sent).toBe(1);
      expect(client.stats.queued).toBe(0);
    });

    it('should draw from the page-wide budget other senders share', async () => {
      const { getBeaconBudget } = await import('@lookout/core');
      const budget = getBeaconBudget();
      expect(budget.reserve(budget.availableBytes)).toBe(true);
      try {
        const net = fakeFetch();
        const page = fakePage();
        const client = createPageClient({ endpoint: ENDPOINT, diagnostics: quiet() });
        client.track('a');
        page.hide();
        expect(net.calls).toHaveLength(0);
        expect(client.stats.dropped.page_hidden).toBe(1);
      } finally {
        budget.release(budget.limitBytes);
      }
      expect(createBeaconBudget().limitBytes).toBe(65_536);
    });
  });

  describe('self-metrics', () => {
    it('should export its counts into a registry it is given', async () => {
      vi.useRealTimers();
      fakeFetch();
      const registry = createMetricsRegistry();
      const client = make({ registry });
      client.track('a');
      await client.flush(1000);
      await vi.waitFor(async () => expect(await renderPrometheus(registry)).toMatch(/lookout_delivery_items_sent_total\{signal="events"\} 1/));
    });
  });
});

describe('createPageClient persistence', () => {
  it('should keep at page hide what does not fit the budget, and send it on the next load exactly once', async () => {
    vi.useRealTimers();
    const idb = createFakeIndexedDb();
    vi.stubGlobal('indexedDB', idb);
    const net = fakeFetch(() => 'hang');
    const page = fakePage();
    const options = { endpoint: ENDPOINT, diagnostics: quiet(), persistence: true, maxBatchEvents: 5 };
    const first = createPageClient(options);
    // Let the store chunk load (it is imported on demand).
    await vi.waitFor(() => expect(idb.opened('lookout-page-telemetry')).toBe(true));
    const ids = Array.from({ length: 4 }, (_, i) => first.track('clicked', { i }));
    hideWithBudgetTaken(page);
    expect(net.calls).toHaveLength(0);
    expect(first.stats.persisted).toBe(4);
    expect(first.stats.dropped.page_hidden).toBe(0);
    await vi.waitFor(() => expect(idb.rows('lookout-page-telemetry')).toHaveLength(1));

    // The next page load: the stored events are restored and sent, then the store is empty.
    const sent = fakeFetch();
    const second = createPageClient({ ...options, flushOnPageHide: false });
    await vi.waitFor(() => expect(second.stats.restored).toBe(4));
    await second.flush(1000);
    const sentIds = sent.records().map((r) => (sent.attr(r, 'event.id') as { stringValue: string }).stringValue);
    expect(sentIds.sort()).toEqual([...ids].sort());
    expect(idb.rows('lookout-page-telemetry')).toHaveLength(0);

    // And a third load finds nothing more to send.
    const third = createPageClient({ ...options, flushOnPageHide: false });
    await new Promise((r) => setTimeout(r, 50));
    await third.flush(100);
    expect(third.stats.restored).toBe(0);
    expect(sent.calls).toHaveLength(1);
  });

  // What did not fit the queue on restore was dropped as queue_full, though the store could keep it.
  it('should put back in the store what it restores beyond the queue, for a later load', async () => {
    vi.useRealTimers();
    const idb = createFakeIndexedDb();
    vi.stubGlobal('indexedDB', idb);
    fakeFetch(() => 'hang');
    const page = fakePage();
    const options = { endpoint: ENDPOINT, diagnostics: quiet(), persistence: true };
    const first = createPageClient(options);
    await vi.waitFor(() => expect(idb.opened('lookout-page-telemetry')).toBe(true));
    const ids = Array.from({ length: 5 }, (_, i) => first.track('clicked', { i }));
    hideWithBudgetTaken(page);
    await vi.waitFor(() => expect(idb.rows('lookout-page-telemetry')).toHaveLength(1));

    // A page whose queue holds 3: 3 are restored, 2 go back to the store, none are dropped.
    fakeFetch(() => 'hang');
    const small = createPageClient({ ...options, maxQueueEvents: 3, flushOnPageHide: false });
    await vi.waitFor(() => expect(small.stats.restored).toBe(3));
    await vi.waitFor(() => expect(idb.rows('lookout-page-telemetry')).toHaveLength(1));
    expect(small.stats.dropped.queue_full).toBe(0);
    expect(small.stats.persisted).toBe(2);

    // The next load sends those 2.
    const sent = fakeFetch();
    const next = createPageClient({ ...options, flushOnPageHide: false });
    await vi.waitFor(() => expect(next.stats.restored).toBe(2));
    await next.flush(1000);
    const sentIds = sent.records().map((r) => (sent.attr(r, 'event.id') as { stringValue: string }).stringValue);
    expect(sentIds).toEqual(ids.slice(3));
  });

  it('should clear what is stored when consent is denied on the next load, and restore nothing', async () => {
    vi.useRealTimers();
    const idb = createFakeIndexedDb();
    vi.stubGlobal('indexedDB', idb);
    fakeFetch();
    const page = fakePage();
    const client = createPageClient({ endpoint: ENDPOINT, diagnostics: quiet(), persistence: true });
    await vi.waitFor(() => expect(idb.opened('lookout-page-telemetry')).toBe(true));
    client.track('a');
    hideWithBudgetTaken(page);
    await vi.waitFor(() => expect(idb.rows('lookout-page-telemetry')).toHaveLength(1));
    const next = createPageClient({ endpoint: ENDPOINT, diagnostics: quiet(), persistence: true, consent: 'denied', flushOnPageHide: false });
    await vi.waitFor(() => expect(idb.rows('lookout-page-telemetry')).toHaveLength(0));
    expect(next.stats.restored).toBe(0);
    next.optIn();
    await new Promise((r) => setTimeout(r, 20));
    expect(next.stats.restored).toBe(0);
  });
});
