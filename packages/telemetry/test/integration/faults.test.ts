import { afterAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createNodeTelemetryClient } from '@lookout/telemetry/node';
import type { NodeTelemetryClientOptions } from '@lookout/telemetry/node';
import { startEventReceiver } from '../helpers/eventReceiver.js';
import type { EventReceiver, Fault } from '../helpers/eventReceiver.js';
import { totalDropped, trackAtRate } from '../helpers/load.js';

// Short faults at a low rate keep this file at a few seconds; bench/scenarios/telemetry-reliability.mjs
// runs the full matrix (500 events/s, 8 s faults) beside OpenTelemetry and Sentry.
const RATE = 200;
const LOAD_MS = 3000;
const FAULT_FROM_MS = 500;
const FAULT_MS = 1500;

const receivers: EventReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
});

function options(receiver: EventReceiver, extra: Partial<NodeTelemetryClientOptions> = {}): NodeTelemetryClientOptions {
  return {
    endpoint: receiver.endpoint,
    maxQueueEvents: 5000,
    maxQueueBytes: 16 * 1024 * 1024,
    maxBatchEvents: 50,
    flushIntervalMs: 100,
    sendTimeoutMs: 400,
    retry: { initialBackoffMs: 100, maxBackoffMs: 800, maxAttempts: 20 },
    circuit: { failureThreshold: 5, cooldownMs: 400 },
    exitHandling: false,
    diagnostics: createDiagnostics({ level: 'none' }),
    registry: createMetricsRegistry(),
    ...extra,
  };
}

/** Plays `fault` on every request in [FAULT_FROM_MS, FAULT_FROM_MS + FAULT_MS) after now. */
function during(fault: Fault): (index: number) => Fault {
  const start = Date.now() + FAULT_FROM_MS;
  return () => {
    const t = Date.now();
    return t >= start && t < start + FAULT_MS ? fault : 'ok';
  };
}

async function runScenario(setup: (receiver: EventReceiver) => void | (() => Promise<void>)) {
  const receiver = await startEventReceiver();
  receivers.push(receiver);
  const client = createNodeTelemetryClient(options(receiver));
  const background = setup(receiver);
  const [{ tracked, accepted }] = await Promise.all([trackAtRate(client, RATE, LOAD_MS), typeof background === 'function' ? background() : undefined]);
  const result = await client.flush(10_000);
  await client.shutdown(1000);
  return { receiver, client, tracked, accepted, result };
}

describe.concurrent('createNodeTelemetryClient (fault tests on loopback)', () => {
  const lossless: Array<[string, (r: EventReceiver) => void | (() => Promise<void>)]> = [
    [
      'the receiver is down, then back',
      (r) => async () => {
        await new Promise((x) => setTimeout(x, FAULT_FROM_MS));
        await r.stop();
        await new Promise((x) => setTimeout(x, FAULT_MS));
        await r.start();
      },
    ],
    ['the receiver answers 500', (r) => void (r.fault = during({ status: 500 }))],
    ['the receiver answers 503 with Retry-After', (r) => void (r.fault = during({ status: 503, retryAfter: '1' }))],
    ['the receiver answers 429 with Retry-After', (r) => void (r.fault = during({ status: 429, retryAfter: '1' }))],
    ['the receiver hangs past the timeout', (r) => void (r.fault = during('hang'))],
    ['the receiver resets connections before reading', (r) => void (r.fault = during('reset-before'))],
  ];
  for (const [name, setup] of lossless) {
    it(`should lose nothing and send nothing twice when ${name}`, async () => {
      const { receiver, client, tracked, accepted, result } = await runScenario(setup);
      expect(result.complete).toBe(true);
      // The fault did hit: sends failed and were retried.
      expect(client.stats.failedSends).toBeGreaterThan(0);
      expect(client.stats.retried).toBeGreaterThan(0);
      expect(accepted.length).toBe(tracked);
      expect(receiver.uniqueIds().size).toBe(tracked);
      expect(receiver.duplicateIds()).toEqual([]);
      expect(client.stats.sent).toBe(tracked);
      expect(totalDropped(client)).toBe(0);
      // Order per session is kept: one batch at a time, oldest first.
      expect(receiver.events().map((e) => e.id)).toEqual(accepted);
    });
  }

  it('should wait at least Retry-After before sending again after a 429', async () => {
    const receiver = await startEventReceiver();
    receivers.push(receiver);
    const times: number[] = [];
    receiver.fault = (i) => {
      times.push(Date.now());
      return i === 0 ? { status: 429, retryAfter: '1' } : 'ok';
    };
    const client = createNodeTelemetryClient(options(receiver));
    client.track('one');
    await client.flush(5000);
    expect(times.length).toBe(2);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(950);
    expect(receiver.uniqueIds().size).toBe(1);
    await client.shutdown(100);
  });

  it('should resend only batches whose answer was lost, with the same event ids', async () => {
    const { receiver, client, tracked, accepted, result } = await runScenario((r) => void (r.fault = during('reset-after')));
    expect(result.complete).toBe(true);
    expect(receiver.uniqueIds().size).toBe(tracked);
    expect(totalDropped(client)).toBe(0);
    const duplicates = receiver.duplicateIds();
    expect(duplicates.length).toBeGreaterThan(0);
    // Each resend is a whole batch identical to one the receiver processed before.
    const seen = new Map<string, string[]>();
    const lostAnswers = receiver.requests.filter((q) => q.fault === 'reset-after').length;
    let resends = 0;
    for (const batch of receiver.batches) {
      const key = batch.map((e) => e.id).join(',');
      if (seen.has(key)) resends++;
      else {
        for (const e of batch) expect(seen.has(e.id)).toBe(false);
        seen.set(key, []);
      }
    }
    expect(resends).toBeGreaterThan(0);
    expect(resends).toBeLessThanOrEqual(lostAnswers);
    expect(new Set(receiver.events().map((e) => e.id))).toEqual(new Set(accepted));
  });

  it('should count every drop exactly when the receiver hangs for good and the queue is full', async () => {
    const receiver = await startEventReceiver();
    receivers.push(receiver);
    receiver.fault = (i) => (i < 2 ? 'ok' : 'hang');
    const client = createNodeTelemetryClient(options(receiver, { maxQueueEvents: 300, retry: { initialBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 } }));
    const { tracked } = await trackAtRate(client, 400, 2000);
    const flushed = await client.flush(300);
    expect(flushed.complete).toBe(false);
    await client.shutdown(200);
    const s = client.stats;
    expect(s.dropped.queue_full).toBeGreaterThan(0);
    expect(s.sent).toBe(receiver.uniqueIds().size);
    // Every tracked event is either delivered or counted under exactly one reason.
    expect(s.sent + totalDropped(client)).toBe(tracked);
    expect(s.queuedItems).toBe(0);
  });
});
