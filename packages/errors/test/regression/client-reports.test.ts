import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorTracker } from '@lookout/errors';
import { createSentryNodeSink } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { ReceivedEnvelope, SentryReceiver } from '../helpers/sentryReceiver.js';
import { recordingDiagnostics } from '../helpers/recordingDiagnostics.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(() => receiver.stop());

/** `reason/category` of every discarded-events entry in the client reports received. */
const reported = (envelopes: readonly ReceivedEnvelope[]): string[] =>
  envelopes.flatMap((e) =>
    e.items
      .filter((i) => i.header['type'] === 'client_report')
      .flatMap((i) => ((i.payload as { discarded_events?: { reason: string; category: string }[] }).discarded_events ?? []).map((d) => `${d.reason}/${d.category}`)),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createSentryNodeSink (regression: client reports were never sent)', () => {
  it('should send client reports periodically, and the last one at shutdown before the transport closes', async () => {
    receiver.envelopes.length = 0;
    receiver.requests.length = 0;
    // Sentry refuses the first and the third request: two events dropped as `rejected`.
    receiver.fault = (i) => (i === 0 || i === 2 ? { status: 400 } : 'ok');
    const { diagnostics, messages } = recordingDiagnostics();
    const sink = createSentryNodeSink({ dsn: receiver.dsn(), diagnostics, flushOnExit: false, clientOptions: { clientReportFlushInterval: 300 } });
    const tracker = createErrorTracker({ sinks: [sink], diagnostics });
    expect(await sink.ready).toBe(true);
    tracker.captureError(new Error('first'));
    await sleep(1000);
    // No flush was asked for: the client's own timer sent it.
    expect(reported(receiver.envelopes)).toEqual(['send_error/error']);
    const before = receiver.envelopes.length;
    tracker.captureError(new Error('second'));
    await sleep(100);
    expect(await tracker.shutdown(2000)).toBe(true);
    expect(reported(receiver.envelopes.slice(before))).toEqual(['send_error/error']);
    expect(messages.filter((m) => m.includes(': shutdown'))).toEqual([]);
    receiver.fault = () => 'ok';
  });
});
