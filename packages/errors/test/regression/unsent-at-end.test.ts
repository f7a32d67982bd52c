import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { makeSentryTransport } from '@lookout/errors/sentry-node';
import type { SpooledEnvelope } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';
import { fixtureScript, runFixture } from '../helpers/runFixture.js';

let receiver: SentryReceiver;
let crash: string;
beforeAll(async () => {
  receiver = await startSentryReceiver();
  crash = await fixtureScript('fatalCrash');
});
afterAll(() => receiver.stop());

const statsOf = (stdout: string) => JSON.parse(/^stats (.*)$/m.exec(stdout)?.[1] ?? '{}') as { dropped: Record<string, number>; spooled: number };

describe('makeSentryTransport shutdown (regression: the envelope in flight was dropped although a spool was set)', () => {
  it('should spool the aborted in-flight envelope with the queued ones, and count neither as dropped', async () => {
    receiver.fault = () => 'hang';
    const spooled: SpooledEnvelope[] = [];
    const reports: string[] = [];
    const t = makeSentryTransport({ gzip: false, diagnostics: createDiagnostics({ level: 'none' }), spool: { save: (e) => void spooled.push(...e) } })({
      url: `http://127.0.0.1:${receiver.port}/api/1/envelope/?sentry_key=k&sentry_version=7`,
      recordDroppedEvent: (reason, category) => void reports.push(`${reason}:${category}`),
    });
    await t.send([{ event_id: 'f'.repeat(32) }, [[{ type: 'event' }, { message: 'the crash that matters' }]]]);
    await t.send([{ event_id: 'e'.repeat(32) }, [[{ type: 'event' }, { message: 'second' }]]]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await t.shutdown(400)).toBe(false);
    const messages = spooled.map((e) => String(e.body).split('\n')[2]);
    expect(messages).toHaveLength(2);
    expect(messages).toEqual(expect.arrayContaining(['{"message":"the crash that matters"}', '{"message":"second"}']));
    expect(t.stats.spooled).toBe(2);
    expect(t.stats.dropped.shutdown).toBe(0);
    expect(reports).toEqual([]);
    receiver.fault = () => 'ok';
  });

  // Regression: core's queue printed its generic "sentry: dropped 1 item(s): shutdown" for the
  // aborted send the transport then spooled, and counted it as dropped in its own stats.
  it('should say that it spooled the aborted in-flight envelope, never that it dropped it', async () => {
    receiver.fault = () => 'hang';
    const lines: string[] = [];
    const into = (line: string): void => void lines.push(line);
    const registry = createMetricsRegistry();
    const t = makeSentryTransport({
      gzip: false,
      registry,
      diagnostics: createDiagnostics({ level: 'info', logger: { error: into, warn: into, info: into, debug: into } }),
      spool: { save: () => {} },
    })({ url: `http://127.0.0.1:${receiver.port}/api/1/envelope/?sentry_key=k&sentry_version=7` });
    await t.send([{ event_id: 'd'.repeat(32) }, [[{ type: 'event' }, { message: 'in flight at shutdown' }]]]);
    await new Promise((r) => setTimeout(r, 100));
    await t.shutdown(400);
    expect(lines.filter((line) => /dropped/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.includes('errors/sentry-spooled'))).toHaveLength(1);
    expect(t.stats).toMatchObject({ spooled: 1, dropped: { shutdown: 0 } });
    expect(await renderPrometheus(registry)).toMatch(/lookout_delivery_items_dropped_total\{signal="errors",reason="shutdown"\} 0\n/);
    receiver.fault = () => 'ok';
  });
});

describe('createSentryNodeSink on a crash (regression: the fatal error vanished uncounted)', () => {
  it('should spool the crash event when a spool is set, leaving Node to print and exit with 1', async () => {
    receiver.fault = () => 'hang';
    const run = await runFixture(crash, [receiver.dsn(), 'spool']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: fatal: database pool exhausted');
    expect(run.stdout).toContain('spooled 1');
    expect(statsOf(run.stdout)).toMatchObject({ spooled: 1, dropped: { shutdown: 0 } });
    receiver.fault = () => 'ok';
  });

  it('should count the crash event as dropped with one diagnostic without a spool', async () => {
    receiver.fault = () => 'hang';
    const run = await runFixture(crash, [receiver.dsn()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: fatal: database pool exhausted');
    expect(statsOf(run.stdout).dropped['shutdown']).toBe(1);
    expect(run.stderr.match(/errors\/sentry-unsent-at-exit.*1 envelope\(s\) \(error\).*set transport\.spool/g)).toHaveLength(1);
    receiver.fault = () => 'ok';
  });
});
