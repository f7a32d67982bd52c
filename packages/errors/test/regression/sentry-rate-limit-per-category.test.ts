import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { makeSentryTransport } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';
import { recordingDiagnostics } from '../helpers/recordingDiagnostics.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(() => receiver.stop());

const envelope = (id: string, type: 'event' | 'transaction') => [{ event_id: id }, [[{ type }, { event_id: id, type }]]] as const;
const id = (c: string) => c.repeat(32);

function setup() {
  receiver.envelopes.length = 0;
  receiver.requests.length = 0;
  const reports: string[] = [];
  const registry = createMetricsRegistry();
  const { diagnostics, messages } = recordingDiagnostics();
  const t = makeSentryTransport({ diagnostics, registry, gzip: false })({
    url: `http://127.0.0.1:${receiver.port}/api/1/envelope/?sentry_key=k&sentry_version=7`,
    recordDroppedEvent: (reason, category) => void reports.push(`${reason}:${category}`),
  });
  return { t, reports, registry, messages };
}

describe('makeSentryTransport (regression: a rate limit on one category held every category)', () => {
  it('should send error envelopes at once while transactions are rate-limited, and drop the limited ones as rate_limited', async () => {
    receiver.fault = (i) => (i === 0 ? { status: 429, rateLimits: '60:transaction:key' } : 'ok');
    const { t, reports, registry, messages } = setup();
    await t.send(envelope(id('a'), 'transaction'));
    expect(await t.flush(2000)).toBe(true);
    const start = Date.now();
    for (const c of ['b', 'c', 'd']) await t.send(envelope(id(c), 'event'));
    await t.send(envelope(id('e'), 'transaction'));
    expect(await t.flush(2000)).toBe(true);
    // Held, they waited out the 60 s limit; a loaded machine still sends four envelopes well within 10 s.
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(receiver.events().map((e) => e['event_id'])).toEqual([id('b'), id('c'), id('d')]);
    expect(receiver.requests).toHaveLength(4);
    // The 429'd transaction was counted by Sentry itself; the one dropped locally is a client report.
    expect(reports).toEqual(['ratelimit_backoff:transaction']);
    expect(t.stats).toMatchObject({ sent: 3, failedSends: 0, retried: 0, circuitOpened: 0, queuedItems: 0 });
    expect(t.stats.dropped).toMatchObject({ rate_limited: 2, retries_exhausted: 0, rejected: 0 });
    expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_dropped_total{signal="errors",reason="rate_limited"} 2');
    expect(messages.filter((m) => m.includes('errors/sentry-rate-limited'))).toHaveLength(1);
  });

  it('should drop queued envelopes of a category as soon as a limit covers it, and keep the others in order', async () => {
    receiver.fault = (i) => (i === 0 ? { status: 429, rateLimits: '60:error:organization' } : 'ok');
    const { t, reports } = setup();
    await t.send(envelope(id('f'), 'event'));
    await t.send(envelope(id('g'), 'event'));
    await t.send(envelope(id('h'), 'transaction'));
    await t.send(envelope(id('i'), 'event'));
    expect(await t.flush(2000)).toBe(true);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.envelopes.map((e) => e.header['event_id'])).toEqual([id('h')]);
    expect(reports).toEqual(['ratelimit_backoff:error', 'ratelimit_backoff:error']);
    expect(t.stats).toMatchObject({ enqueued: 4, sent: 1, failedSends: 0, retried: 0 });
    expect(t.stats.dropped.rate_limited).toBe(3);
  });
});

describe('makeSentryTransport (regression: waits for a known rate limit counted as failed attempts)', () => {
  it('should neither retry nor trip the breaker under a one-hour limit, and report ratelimit_backoff, not network_error', async () => {
    receiver.fault = (i) => (i === 0 ? { status: 429, rateLimits: '3600:error:organization' } : 'ok');
    const { t, reports, messages } = setup();
    for (let i = 0; i < 12; i++) {
      await t.send(envelope(i.toString(16).repeat(32).slice(0, 32), 'event'));
      await t.flush(1000);
    }
    expect(receiver.requests).toHaveLength(1);
    expect(t.stats).toMatchObject({ failedSends: 0, retried: 0, circuitOpened: 0, queuedItems: 0 });
    expect(t.stats.dropped).toMatchObject({ rate_limited: 12, retries_exhausted: 0 });
    expect(reports).toEqual(Array.from({ length: 11 }, () => 'ratelimit_backoff:error'));
    expect(messages.join('\n')).not.toContain('circuit-open');
  });
});
