// A page's fetch wrapper (an offline layer, a mock, an SDK shim) that drops the AbortSignal and
// never settles no longer stalls delivery for the rest of the page: every request is bounded by
// sendTimeoutMs with a timer of its own, its keepalive bytes go back to the page-wide budget, the
// batch is retried, and what is still unanswered at shutdown is counted. Both page clients share
// this loop. A page-hide (keepalive) request has no such timer and is not given up at shutdown:
// the browser keeps it going after the page. Giving it up freed its bytes of the page's keepalive
// budget while it was still in flight, persisted its events for the next page though they still
// arrived (sent twice), and counted them as dropped (shutdown) though they were delivered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics, getBeaconBudget } from '@lookout/core';
import { createLiteClient } from '@lookout/telemetry/lite';
import { createPageClient } from '@lookout/telemetry/page';
import { createFakeIndexedDb } from '../helpers/fakeIndexedDb.js';

const ENDPOINT = 'https://collector.example.com/v1/logs';

/** `fetch` whose first call never settles and ignores its signal; later calls answer 200. */
function wrapperThatHangsOnce() {
  const names: string[][] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((_url: string, init: { body: string | Uint8Array }) => {
      const text = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body);
      const json = JSON.parse(text) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ eventName: string }> }> }> };
      names.push(json.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords.map((l) => l.eventName))));
      return names.length === 1 ? new Promise<never>(() => undefined) : Promise.resolve({ status: 200, headers: { get: () => null } });
    }),
  );
  return names;
}

const SLOW_MS = 15_000;

/** `fetch` that answers 200 after SLOW_MS, past both clients' sendTimeoutMs, and ignores its signal. */
function slowFetch() {
  const requests: Array<{ keepalive?: boolean }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((_url: string, init: { keepalive?: boolean }) => {
      requests.push(init);
      return new Promise((resolve) => setTimeout(() => resolve({ status: 200, headers: { get: () => null } }), SLOW_MS));
    }),
  );
  return requests;
}

/** A page that can be hidden: `document` with a visibility state, and `pagehide` on the global. */
function fakePage() {
  const listeners = new Map<string, Set<() => void>>();
  const on = (t: string, l: () => void) => listeners.set(t, (listeners.get(t) ?? new Set()).add(l));
  const off = (t: string, l: () => void) => listeners.get(t)?.delete(l);
  const doc = { visibilityState: 'visible', addEventListener: on, removeEventListener: off };
  vi.stubGlobal('document', doc);
  vi.stubGlobal('addEventListener', on);
  vi.stubGlobal('removeEventListener', off);
  return () => {
    doc.visibilityState = 'hidden';
    for (const l of listeners.get('visibilitychange') ?? []) l();
    for (const l of listeners.get('pagehide') ?? []) l();
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  const budget = getBeaconBudget();
  budget.release(budget.usedBytes);
});

const clients = {
  page: () => createPageClient({ endpoint: ENDPOINT, flushIntervalMs: 10, sendTimeoutMs: 100 }),
  lite: () => createLiteClient({ endpoint: ENDPOINT, flushIntervalMs: 10 }),
};

describe.each(Object.keys(clients) as Array<keyof typeof clients>)('%s client with a fetch wrapper that never settles', (kind) => {
  it('should give the request up at sendTimeoutMs, return its budget, retry it and send what came later', async () => {
    const requests = wrapperThatHangsOnce();
    const client = clients[kind]();
    client.track('first');
    await vi.advanceTimersByTimeAsync(50);
    expect(getBeaconBudget().usedBytes).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) client.track('later');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(requests.flat().filter((n) => n === 'later')).toHaveLength(20);
    expect(requests.flat().filter((n) => n === 'first')).toHaveLength(2);
    expect(client.stats.sent).toBe(21);
    expect(client.stats.queued).toBe(0);
    expect(getBeaconBudget().usedBytes).toBe(0);
    await expect(client.flush(100)).resolves.toBeTruthy();
  });

  it('should count a request still unanswered at shutdown as dropped', async () => {
    wrapperThatHangsOnce();
    const client = clients[kind]();
    client.track('first');
    await vi.advanceTimersByTimeAsync(50);
    const done = client.shutdown(20);
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(client.stats.dropped.shutdown).toBe(1);
    expect(client.stats.queued).toBe(0);
    expect(getBeaconBudget().usedBytes).toBe(0);
  });
});

const keepaliveClients = {
  page: () => createPageClient({ endpoint: ENDPOINT, diagnostics: createDiagnostics({ level: 'none' }), persistence: true, sendTimeoutMs: 100 }),
  lite: () => createLiteClient({ endpoint: ENDPOINT }),
};

describe.each(Object.keys(keepaliveClients) as Array<keyof typeof keepaliveClients>)('%s client, a keepalive request at page hide that answers after sendTimeoutMs', (kind) => {
  it('should hold its budget until it answers, keep none of its events for the next page and count them sent', async () => {
    const idb = createFakeIndexedDb();
    vi.stubGlobal('indexedDB', idb);
    const requests = slowFetch();
    const hide = fakePage();
    const client = keepaliveClients[kind]();
    // The page client's store is imported on demand.
    if (kind === 'page') await vi.waitFor(() => expect(idb.opened('lookout-page-telemetry')).toBe(true));
    client.track('a');
    client.track('b');
    hide();
    expect(requests).toEqual([expect.objectContaining({ keepalive: true })]);
    const used = getBeaconBudget().usedBytes;
    expect(used).toBeGreaterThan(0);

    await vi.advanceTimersByTimeAsync(SLOW_MS - 1000);
    // Past sendTimeoutMs (100 ms for the page client, 10 s for the lite one), still in flight.
    expect(getBeaconBudget().usedBytes).toBe(used);
    // Not given up: not retried (which would reserve its bytes again), nor kept for the next page.
    expect(client.stats).toMatchObject({ sent: 0, retried: 0, dropped: expect.objectContaining({ shutdown: 0 }) });
    expect(requests).toHaveLength(1);
    if (kind === 'page') expect(client.stats).toMatchObject({ persisted: 0 });

    // A host that shuts down from its own pagehide handler: the keepalive request outlives the page.
    const done = client.shutdown(10);
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(client.stats.dropped.shutdown).toBe(0);

    await vi.advanceTimersByTimeAsync(1000);
    expect(client.stats.sent).toBe(2);
    expect(client.stats.dropped.shutdown).toBe(0);
    expect(getBeaconBudget().usedBytes).toBe(0);
    expect(requests).toHaveLength(1);
    if (kind === 'page') {
      expect(client.stats).toMatchObject({ persisted: 0 });
      expect(idb.rows('lookout-page-telemetry')).toHaveLength(0);
    }
  });
});
