import { afterAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createErrorTracker } from '@lookout/errors';
import { createSentryNodeSink } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { Fault, SentryReceiver } from '../helpers/sentryReceiver.js';

// Short faults at a low rate keep this file at a few seconds; bench/scenarios/errors-reliability.mjs
// runs the full matrix (500 errors/s, 8 s faults) beside plain @sentry/node.
const RATE = 100;
const LOAD_MS = 3000;
const FAULT_FROM_MS = 500;
const FAULT_MS = 1500;

const receivers: SentryReceiver[] = [];
afterAll(() => Promise.all(receivers.map((r) => r.stop())));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function during(fault: Fault): (index: number) => Fault {
  const start = Date.now() + FAULT_FROM_MS;
  return () => {
    const t = Date.now();
    return t >= start && t < start + FAULT_MS ? fault : 'ok';
  };
}

async function run(setup: (r: SentryReceiver) => undefined | (() => Promise<void>)) {
  const receiver = await startSentryReceiver();
  receivers.push(receiver);
  const sink = createSentryNodeSink({
    dsn: receiver.dsn(),
    flushOnExit: false,
    diagnostics: createDiagnostics({ level: 'none' }),
    transport: {
      maxQueueItems: 5000,
      maxQueueBytes: 64 * 1024 * 1024,
      sendTimeoutMs: 400,
      retry: { initialBackoffMs: 100, maxBackoffMs: 800, maxAttempts: 30 },
      circuit: { failureThreshold: 5, cooldownMs: 400 },
      registry: createMetricsRegistry(),
    },
  });
  await sink.ready;
  // No per-group rate limit here: every capture must reach Sentry.
  const tracker = createErrorTracker({ sinks: [sink], rateLimit: false, registry: createMetricsRegistry(), diagnostics: createDiagnostics({ level: 'none' }) });
  const background = setup(receiver);
  const ids: string[] = [];
  const load = (async () => {
    const start = Date.now();
    let n = 0;
    while (Date.now() - start < LOAD_MS) {
      const due = Math.floor(((Date.now() - start) * RATE) / 1000);
      for (; n < due; n++) {
        const id = tracker.captureError(new Error(`job ${n} failed`), { context: { n } });
        if (id !== undefined) ids.push(id);
      }
      await sleep(10);
    }
  })();
  await Promise.all([load, background?.()]);
  const flushed = await tracker.flush(15_000);
  const stats = sink.getTransport()?.stats;
  await tracker.shutdown(500);
  return { receiver, ids, flushed, stats };
}

describe.concurrent('createSentryNodeSink (fault matrix through @sentry/node, loopback)', () => {
  const cases: Array<[string, (r: SentryReceiver) => undefined | (() => Promise<void>)]> = [
    [
      'the receiver is down, then back',
      (r) => async () => {
        await sleep(FAULT_FROM_MS);
        await r.stop();
        await sleep(FAULT_MS);
        await r.start();
      },
    ],
    ['the receiver answers 500', (r) => void (r.fault = during({ status: 500 }))],
    ['the receiver hangs past the timeout', (r) => void (r.fault = during('hang'))],
    ['the receiver resets connections', (r) => void (r.fault = during('reset'))],
  ];
  for (const [name, setup] of cases) {
    it(`should lose no error within the queue bound when ${name}`, async () => {
      const { receiver, ids, flushed, stats } = await run(setup);
      expect(flushed).toBe(true);
      expect(ids.length).toBeGreaterThan(RATE * (LOAD_MS / 1000) * 0.9);
      expect(stats?.failedSends).toBeGreaterThan(0);
      expect(stats?.retried).toBeGreaterThan(0);
      const received = new Set(receiver.events().map((e) => e['event_id']));
      expect(ids.filter((id) => !received.has(id))).toEqual([]);
      expect(Object.values(stats?.dropped ?? {}).reduce((a, b) => a + b, 0)).toBe(0);
    });
  }

  // As in Sentry's SDK, a rate limit drops what it covers (Sentry is told: client reports); nothing else is lost.
  it('should deliver every error but those a 429 with X-Sentry-Rate-Limits covered, which are counted as rate_limited', async () => {
    const { receiver, ids, flushed, stats } = await run((r) => void (r.fault = during({ status: 429, rateLimits: '1:error:organization', retryAfter: '1' })));
    expect(flushed).toBe(true);
    const received = new Set(receiver.events().map((e) => e['event_id']));
    const lost = ids.filter((id) => !received.has(id)).length;
    expect(lost).toBeGreaterThan(0);
    expect(stats?.dropped).toMatchObject({ rate_limited: lost, queue_full: 0, retries_exhausted: 0, rejected: 0, shutdown: 0 });
    expect(stats?.circuitOpened).toBe(0);
  });
});
