import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXIT_FLUSH_TIMEOUT_MS } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';
import { fixtureScript, runFixture } from '../helpers/runFixture.js';

let receiver: SentryReceiver;
let script: string;
beforeAll(async () => {
  receiver = await startSentryReceiver();
  script = await fixtureScript('exitDeadline');
});
afterAll(async () => {
  await receiver.stop();
});

/** Start-up of a child node with @sentry/node, plus slack for a loaded machine; the defect kept the process 30 s and more. */
const SLACK_MS = 8000;

describe('createSentryNodeSink exit hooks (regression: beforeExit flushed again every round)', () => {
  it('should let a finished CLI exit by one deadline when Sentry keeps failing, and spool what is left', async () => {
    receiver.fault = () => 'reset';
    const run = await runFixture(script, [receiver.dsn(), 'spool'], { killAfterMs: 20_000 });
    expect(run.killed).toBe(false);
    expect(run.ms).toBeLessThan(DEFAULT_EXIT_FLUSH_TIMEOUT_MS + SLACK_MS);
    expect(run.stdout).toContain('spooled 1');
  });

  it('should drop and count what is left without a spool, with one diagnostic, and send nothing more', async () => {
    receiver.fault = () => ({ status: 503 });
    const before = receiver.requests.length;
    const run = await runFixture(script, [receiver.dsn()], { killAfterMs: 20_000 });
    expect(run.killed).toBe(false);
    expect(run.ms).toBeLessThan(DEFAULT_EXIT_FLUSH_TIMEOUT_MS + SLACK_MS);
    const stats = JSON.parse(/^stats (.*)$/m.exec(run.stdout)?.[1] ?? '{}') as { dropped: Record<string, number>; queuedItems: number };
    expect(stats.dropped['shutdown']).toBe(1);
    expect(stats.queuedItems).toBe(0);
    expect(run.stderr.match(/delivery\/dropped: sentry: dropped 1 item\(s\): shutdown/g)).toHaveLength(1);
    expect(receiver.requests.length - before).toBeGreaterThan(0);
  });
});
