import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { startWorkerReporter, WORKER_CHANNEL } from '../../src/workers/createWorkerAggregation.js';

// A report asked for while another was being made (the exit's, during the timer's) returned at
// once and sent nothing: the primary's last figures from that worker were read before its end.
describe('startWorkerReporter', () => {
  it('should follow a report in progress with one more when asked meanwhile, and resolve after it', async () => {
    const receiver = new BroadcastChannel(WORKER_CHANNEL);
    const got: string[] = [];
    receiver.onmessage = (event) => got.push((event as { data: { text: string } }).data.text);
    let renders = 0;
    const render = (): Promise<string> => new Promise((resolve) => setTimeout(() => resolve(`render ${++renders}`), 30));
    const reporter = startWorkerReporter('thread-worker', render, 60_000, createDiagnostics({ level: 'none' }));
    try {
      // The first report (made at start) is in progress.
      await Promise.all([reporter.report(), reporter.report()]);
      expect(renders).toBe(2);
      for (let waited = 0; got.length < 2 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(got).toEqual(['render 1', 'render 2']);
    } finally {
      reporter.stop();
      receiver.close();
    }
  });
});
