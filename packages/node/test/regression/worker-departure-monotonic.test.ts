import { BroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../../testing/backends.js';
import { IPC_MESSAGE_TYPE, startWorkerAggregator, WORKER_CHANNEL, type WorkerAggregator } from '../../src/workers/createWorkerAggregation.js';

/** Waits until the aggregator has heard from `worker` (`true`) or let it go (`false`). */
const heard = (aggregator: WorkerAggregator, worker: string, expected: boolean): Promise<true> =>
  pollUntil(`${worker} ${expected ? 'heard' : 'gone'}`, async () => (aggregator.workers().includes(worker) === expected ? true : undefined), 5000);

/** What a worker thread reports: a counter, a histogram and a gauge. */
const report = (requests: number, inFlight: number): string =>
  [
    '# HELP app_requests_total Requests',
    '# TYPE app_requests_total counter',
    `app_requests_total ${requests}`,
    '# HELP app_latency_seconds Latency',
    '# TYPE app_latency_seconds histogram',
    `app_latency_seconds_bucket{le="1"} ${requests}`,
    `app_latency_seconds_bucket{le="+Inf"} ${requests}`,
    `app_latency_seconds_sum ${requests / 2}`,
    `app_latency_seconds_count ${requests}`,
    '# HELP app_in_flight Requests in flight',
    '# TYPE app_in_flight gauge',
    `app_in_flight ${inFlight}`,
    '',
  ].join('\n');

const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

describe('startWorkerAggregator', () => {
  let aggregator: WorkerAggregator | undefined;
  let channel: BroadcastChannel | undefined;
  afterEach(() => {
    aggregator?.stop();
    channel?.close();
  });

  it('should listen at once with listenDelayMs 0, and not before its delay or first merge otherwise', async () => {
    const own = report(1, 1);
    aggregator = startWorkerAggregator({ labelByWorker: false, intervalMs: 300, listenDelayMs: 60_000 });
    const waiting = aggregator;
    aggregator = startWorkerAggregator({ labelByWorker: false, intervalMs: 300, listenDelayMs: 0 });
    channel = new BroadcastChannel(WORKER_CHANNEL);
    channel.postMessage({ type: IPC_MESSAGE_TYPE, worker: 'thread-3', text: report(5, 2) });
    await heard(aggregator, 'thread-3', true);
    expect(waiting.workers()).toEqual([]);
    waiting.stop();
    expect(sample(aggregator.merge(own), 'app_requests_total')).toBe(6);
  });

  it("should keep a departed worker's counters and histograms in the sums, and drop its gauges", async () => {
    aggregator = startWorkerAggregator({ labelByWorker: false, intervalMs: 300 });
    const own = report(1, 1);
    aggregator.merge(own); // starts listening
    channel = new BroadcastChannel(WORKER_CHANNEL);
    channel.postMessage({ type: IPC_MESSAGE_TYPE, worker: 'thread-7', text: report(10, 4) });
    await heard(aggregator, 'thread-7', true);
    const live = aggregator.merge(own);
    expect([sample(live, 'app_requests_total'), sample(live, 'app_latency_seconds_count'), sample(live, 'app_in_flight')]).toEqual([11, 11, 5]);

    // Silent for three intervals: the thread has gone.
    await heard(aggregator, 'thread-7', false);
    const after = aggregator.merge(own);
    expect([sample(after, 'app_requests_total'), sample(after, 'app_latency_seconds_count'), sample(after, 'app_latency_seconds_sum'), sample(after, 'app_in_flight')]).toEqual([11, 11, 5.5, 1]);
  });

  it('should not count twice a thread that was only busy and reports again after it went silent', async () => {
    aggregator = startWorkerAggregator({ labelByWorker: false, intervalMs: 300 });
    const own = report(1, 1);
    aggregator.merge(own);
    channel = new BroadcastChannel(WORKER_CHANNEL);
    channel.postMessage({ type: IPC_MESSAGE_TYPE, worker: 'thread-9', text: report(10, 4) });
    await heard(aggregator, 'thread-9', true);
    await heard(aggregator, 'thread-9', false);
    expect(sample(aggregator.merge(own), 'app_requests_total')).toBe(11);
    // Back, with totals that include what it had.
    channel.postMessage({ type: IPC_MESSAGE_TYPE, worker: 'thread-9', text: report(12, 2) });
    await heard(aggregator, 'thread-9', true);
    const back = aggregator.merge(own);
    expect([sample(back, 'app_requests_total'), sample(back, 'app_in_flight')]).toEqual([13, 3]);
  });

  it("should let a departed worker's series leave the scrape when series are labelled by worker", async () => {
    aggregator = startWorkerAggregator({ labelByWorker: true, intervalMs: 300 });
    aggregator.merge('');
    channel = new BroadcastChannel(WORKER_CHANNEL);
    channel.postMessage({ type: IPC_MESSAGE_TYPE, worker: 'thread-8', text: report(10, 4) });
    await heard(aggregator, 'thread-8', true);
    expect(aggregator.merge('')).toContain('app_requests_total{worker="thread-8"} 10');
    await heard(aggregator, 'thread-8', false);
    expect(aggregator.merge('')).not.toContain('thread-8');
  });
});
