// A page's fetch wrapper (an offline layer, a mock, an SDK shim) that drops the AbortSignal and
// never settles no longer stalls delivery for the rest of the page: every request is bounded by
// sendTimeoutMs with a timer of its own, its keepalive bytes go back to the page-wide budget, the
// batch is retried, and what is still unanswered at shutdown is counted. Both page clients share
// this loop.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getBeaconBudget } from '@lookout/core';
import { createLiteClient } from '@lookout/telemetry/lite';
import { createPageClient } from '@lookout/telemetry/page';

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
