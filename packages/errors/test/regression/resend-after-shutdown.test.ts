// Regression: an envelope whose request had already gone out when shutdown aborted it (or that
// waited for a retry after a timeout) was spooled and sent again at the next start, whatever it
// held. Sentry may have received it: an event is dropped there by its event_id, but a session or a
// client report would be counted twice. Against a loopback receiver that takes the request and
// never answers, as a Sentry that is slow to acknowledge does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { makeSentryTransport } from '@lookout/errors/sentry-node';
import type { SentryTransportOptions, SpooledEnvelope } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(() => receiver.stop());

const event = (id: string) => [{ event_id: id }, [[{ type: 'event' }, { event_id: id, message: `event ${id}` }]]] as const;
const session = (sid: string) => [{}, [[{ type: 'session' }, { sid, init: true, status: 'ok', started: '2026-01-01T00:00:00Z' }]]] as const;
const clientReport = () => [{}, [[{ type: 'client_report' }, { discarded_events: [{ reason: 'queue_overflow', category: 'error', quantity: 1 }] }]]] as const;

function transport(spooled: SpooledEnvelope[], lines: string[], extra: SentryTransportOptions = {}) {
  const into = (line: string): void => void lines.push(line);
  return makeSentryTransport({
    gzip: false,
    diagnostics: createDiagnostics({ level: 'warn', logger: { error: into, warn: into, info: into, debug: into } }),
    spool: { save: (e) => void spooled.push(...e) },
    ...extra,
  })({ url: `http://127.0.0.1:${receiver.port}/api/1/envelope/?sentry_key=k&sentry_version=7` });
}

const kinds = (list: readonly SpooledEnvelope[]) => list.map((e) => e.categories.join('+'));

describe('makeSentryTransport (regression: what Sentry may already have was sent again at the next start)', () => {
  it('should not spool a session whose request shutdown cut short, and spool what was never sent', async () => {
    receiver.fault = () => 'hang';
    receiver.requests.length = 0;
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    const t = transport(spooled, lines);
    await t.send(session('a'.repeat(32)));
    await t.send(clientReport());
    await t.send(event('e'.repeat(32)));
    await new Promise((r) => setTimeout(r, 100));
    // The session's request reached the receiver; the other two never left.
    expect(receiver.requests).toHaveLength(1);
    await t.shutdown(400);
    expect(kinds(spooled)).toEqual(['internal', 'error']);
    expect(t.stats).toMatchObject({ spooled: 2, dropped: { shutdown: 1 } });
    expect(lines.filter((line) => line.includes('errors/sentry-not-resent'))).toEqual([expect.stringContaining('1 envelope(s) (session)')]);
    receiver.fault = () => 'ok';
  });

  it('should spool an event whose request shutdown cut short: Sentry drops an event_id it already has', async () => {
    receiver.fault = () => 'hang';
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    const t = transport(spooled, lines);
    await t.send(event('f'.repeat(32)));
    await new Promise((r) => setTimeout(r, 100));
    await t.shutdown(400);
    expect(kinds(spooled)).toEqual(['error']);
    expect(t.stats).toMatchObject({ spooled: 1, dropped: { shutdown: 0 } });
    expect(lines).toEqual([]);
    receiver.fault = () => 'ok';
  });

  it('should not spool a client report that timed out and waits for a retry at shutdown', async () => {
    receiver.fault = () => 'hang';
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    // It times out after 150 ms and then waits 10 s for its retry, past the shutdown below.
    const t = transport(spooled, lines, { sendTimeoutMs: 150, retry: { initialBackoffMs: 10_000, maxBackoffMs: 10_000, jitter: false } });
    await t.send(clientReport());
    await new Promise((r) => setTimeout(r, 400));
    expect(t.stats.failedSends).toBe(1);
    await t.shutdown(200);
    expect(spooled).toEqual([]);
    expect(t.stats).toMatchObject({ spooled: 0, dropped: { shutdown: 1 } });
    expect(lines.filter((line) => line.includes('errors/sentry-not-resent'))).toHaveLength(1);
    receiver.fault = () => 'ok';
  });

  it('should not spool the session in flight at process exit, and spool the event queued behind it', async () => {
    receiver.fault = () => 'hang';
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    const t = transport(spooled, lines);
    await t.send(session('b'.repeat(32)));
    await t.send(event('d'.repeat(32)));
    await new Promise((r) => setTimeout(r, 100));
    expect(t.exitNow()).toBe(1);
    expect(kinds(spooled)).toEqual(['error']);
    expect(t.stats.dropped.shutdown).toBe(1);
    receiver.fault = () => 'ok';
    await t.shutdown(100);
  });
});
