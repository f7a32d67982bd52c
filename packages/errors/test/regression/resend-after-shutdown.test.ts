// Regression: an envelope whose request had already gone out when shutdown aborted it (or that
// waited for a retry after a timeout) was spooled and sent again at the next start, whatever it
// held. Sentry may have received it: an event is dropped there by its event_id, but a session or a
// client report would be counted twice. Against a loopback receiver that takes the request and
// never answers, as a Sentry that is slow to acknowledge does.
import { createServer } from 'node:net';
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

/** Waits until `condition` holds (up to 5 s), so a loaded machine cannot make the test flaky. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A loopback port nothing listens on: a connection to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function transport(spooled: SpooledEnvelope[], lines: string[], extra: SentryTransportOptions = {}, port = receiver.port) {
  const into = (line: string): void => void lines.push(line);
  return makeSentryTransport({
    gzip: false,
    diagnostics: createDiagnostics({ level: 'warn', logger: { error: into, warn: into, info: into, debug: into } }),
    spool: { save: (e) => void spooled.push(...e) },
    ...extra,
  })({ url: `http://127.0.0.1:${port}/api/1/envelope/?sentry_key=k&sentry_version=7` });
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
    // The session's request reached the receiver; the other two never left.
    await until(() => receiver.requests.length >= 1);
    expect(receiver.requests).toHaveLength(1);
    await t.shutdown(400);
    expect(kinds(spooled)).toEqual(['internal', 'error']);
    expect(t.stats).toMatchObject({ spooled: 2, dropped: { shutdown: 1 } });
    expect(lines.filter((line) => line.includes('errors/sentry-not-resent'))).toEqual([expect.stringContaining('1 envelope(s) (session)')]);
    receiver.fault = () => 'ok';
  });

  it('should spool an event whose request shutdown cut short: Sentry drops an event_id it already has', async () => {
    receiver.fault = () => 'hang';
    receiver.requests.length = 0;
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    const t = transport(spooled, lines);
    await t.send(event('f'.repeat(32)));
    await until(() => receiver.requests.length >= 1);
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
    await until(() => t.stats.failedSends >= 1);
    expect(t.stats.failedSends).toBe(1);
    await t.shutdown(200);
    expect(spooled).toEqual([]);
    expect(t.stats).toMatchObject({ spooled: 0, dropped: { shutdown: 1 } });
    expect(lines.filter((line) => line.includes('errors/sentry-not-resent'))).toHaveLength(1);
    receiver.fault = () => 'ok';
  });

  it('should not spool the session in flight at process exit, and spool the event queued behind it', async () => {
    receiver.fault = () => 'hang';
    receiver.requests.length = 0;
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    const t = transport(spooled, lines);
    await t.send(session('b'.repeat(32)));
    await t.send(event('d'.repeat(32)));
    await until(() => receiver.requests.length >= 1);
    expect(t.exitNow()).toBe(1);
    expect(kinds(spooled)).toEqual(['error']);
    expect(t.stats.dropped.shutdown).toBe(1);
    receiver.fault = () => 'ok';
    await t.shutdown(100);
  });

  it('should spool a client report and a session waiting for a retry after a refused connection: they never left', async () => {
    const port = await closedPort();
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    // Each is refused at once and then waits 10 s for its retry, past the shutdown below.
    const t = transport(spooled, lines, { retry: { initialBackoffMs: 10_000, maxBackoffMs: 10_000, jitter: false } }, port);
    await t.send(clientReport());
    await until(() => t.stats.failedSends >= 1);
    await t.shutdown(200);
    const t2 = transport(spooled, lines, { retry: { initialBackoffMs: 10_000, maxBackoffMs: 10_000, jitter: false } }, port);
    await t2.send(session('c'.repeat(32)));
    await until(() => t2.stats.failedSends >= 1);
    await t2.shutdown(200);
    expect(kinds(spooled)).toEqual(['internal', 'session']);
    expect(t.stats).toMatchObject({ spooled: 1, dropped: { shutdown: 0 } });
    expect(t2.stats).toMatchObject({ spooled: 1, dropped: { shutdown: 0 } });
    expect(lines.filter((line) => line.includes('errors/sentry-not-resent'))).toEqual([]);
  });

  it.each([
    ['a DNS failure', 'ENOTFOUND', 1],
    ['a reset after sending', 'ECONNRESET', 0],
  ])('should spool a session waiting for a retry after %s only when it never left', async (_, code, spooledCount) => {
    const spooled: SpooledEnvelope[] = [];
    const lines: string[] = [];
    const fetchImpl = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }));
    const t = transport(spooled, lines, { fetchImpl, retry: { initialBackoffMs: 10_000, maxBackoffMs: 10_000, jitter: false } });
    await t.send(session('d'.repeat(32)));
    await until(() => t.stats.failedSends >= 1);
    await t.shutdown(200);
    expect(spooled).toHaveLength(spooledCount);
    expect(lines.filter((line) => line.includes('errors/sentry-not-resent'))).toHaveLength(1 - spooledCount);
  });
});
