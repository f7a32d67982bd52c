import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createErrorTracker } from '@lookout/errors';
import { createSentryNodeSink } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';
import { recordingDiagnostics } from '../helpers/recordingDiagnostics.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(async () => {
  await receiver.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function tryDsn(dsn: string) {
  const { diagnostics, messages } = recordingDiagnostics();
  const consoleError = vi.spyOn(console, 'error');
  const sink = createSentryNodeSink({ dsn, diagnostics, flushOnExit: false });
  const tracker = createErrorTracker({ sinks: [sink], diagnostics });
  const ready = await sink.ready;
  tracker.captureError(new Error('boom'));
  const flushed = await tracker.flush(2000);
  await tracker.shutdown(500);
  const printed = consoleError.mock.calls.map((c) => c.map(String).join(' '));
  return { ready, flushed, messages, printed };
}

describe('createSentryNodeSink (regression: DSNs that Sentry refuses)', () => {
  it.each([
    ['a key with a dash', (port: number) => `http://public-key-0123@127.0.0.1:${port}/1`, 'public-key-0123'],
    ['a project id that is not a number', (port: number) => `http://lookoutkey0123@127.0.0.1:${port}/my-project`, 'lookoutkey0123'],
    ['a trailing slash after the project id', (port: number) => `http://lookoutkey0123@127.0.0.1:${port}/1/`, 'lookoutkey0123'],
    ['an unknown protocol', (port: number) => `ftp://lookoutkey0123@127.0.0.1:${port}/1`, 'lookoutkey0123'],
  ])('should disable the sink with one diagnostic that does not echo the DSN, for %s', async (_what, make, key) => {
    const before = receiver.requests.length;
    const { ready, flushed, messages, printed } = await tryDsn(make(receiver.port));
    expect(ready).toBe(false);
    expect(flushed).toBe(true);
    expect(messages.filter((m) => m.includes('errors/sentry-disabled'))).toHaveLength(1);
    expect(messages.join('\n')).not.toContain(key);
    expect(printed.join('\n')).not.toContain(key);
    expect(receiver.requests.length).toBe(before);
  });

  it('should trim whitespace around a DSN (an env-file quirk) and deliver', async () => {
    receiver.envelopes.length = 0;
    const { ready, flushed, messages, printed } = await tryDsn(`  ${receiver.dsn('lookoutkey0123')}\n`);
    expect(ready).toBe(true);
    expect(flushed).toBe(true);
    expect(await receiver.waitForEvents(1)).toHaveLength(1);
    expect(messages).toEqual([]);
    expect(printed.join('\n')).not.toContain('lookoutkey0123');
  });
});
