import { describe, expect, it } from 'vitest';
import { createErrorTracker } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import { toSentryEvent } from '@lookout/errors/sentry-node';
import { memorySink } from '../helpers/memorySink.js';

describe('createErrorTracker (regression: behaviour that disagreed with its documentation)', () => {
  it('should return undefined from captureError when beforeCapture dropped the record, in the tracker and the page capture', () => {
    const dropped = new Error('dropped');
    const tracker = createErrorTracker({ beforeCapture: () => null });
    expect(tracker.captureError(dropped)).toBeUndefined();
    expect(tracker.captureError(dropped)).toBeUndefined();
    expect(createPageErrorCapture({ beforeCapture: () => null }).captureError(new Error('dropped'))).toBeUndefined();
  });

  it('should mark an error recovered by withFallback as handled, with severity medium, and a retry failure as handled', async () => {
    const sink = memorySink();
    const tracker = createErrorTracker({ sinks: [sink] });
    expect(await tracker.withFallback(() => Promise.reject(new Error('cache down')), 'fallback-value')).toBe('fallback-value');
    await tracker.retry(() => Promise.reject(new Error('upstream 503')), { attempts: 1 }).catch(() => undefined);
    const [fallback, retry] = sink.records;
    expect(fallback).toMatchObject({ mechanism: 'fallback', severity: 'medium', handled: true });
    expect(toSentryEvent(fallback!).exception?.values.at(-1)?.mechanism).toMatchObject({ type: 'lookout.fallback', handled: true });
    expect(retry).toMatchObject({ mechanism: 'retry', handled: true });
    tracker.captureError(new Error('boom'), { mechanism: 'unhandledRejection' });
    expect(sink.records[2]?.handled).toBe(false);
  });

  it('should mark a recovered fallback as handled in the page capture too', () => {
    const sink = memorySink();
    createPageErrorCapture({ sinks: [sink] }).captureError(new Error('x'), { mechanism: 'fallback' });
    expect(sink.records[0]?.handled).toBe(true);
  });
});
