import { describe, expect, it } from 'vitest';
import { createRedactor } from '@lookout/core';
import { createErrorTracker, MonitoredError, pipelineStageFailed } from '@lookout/errors';
import type { MonitoredErrorOptions } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import { memorySink } from '../helpers/memorySink.js';
import { recordingDiagnostics } from '../helpers/recordingDiagnostics.js';

const hostile = () => ({
  ok: 'kept',
  get requestId(): string {
    throw new Error('getter exploded');
  },
});
const trappedKeys = () =>
  new Proxy({}, {
    ownKeys() {
      throw new Error('ownKeys trap');
    },
  });

describe('createErrorTracker (regression: a hostile capture context lost the whole error)', () => {
  it('should record the error with the unreadable field marked, for a throwing getter in context or a Proxy in tags', () => {
    const sink = memorySink();
    const { diagnostics, internal } = recordingDiagnostics();
    const tracker = createErrorTracker({ sinks: [sink], diagnostics });
    expect(tracker.captureError(new Error('payment failed'), { context: hostile() })).toMatch(/^[0-9a-f]{32}$/);
    expect(tracker.captureError(new Error('payment failed 2'), { tags: trappedKeys() as Record<string, string> })).toMatch(/^[0-9a-f]{32}$/);
    expect(sink.records).toHaveLength(2);
    expect(sink.records[0]?.context).toEqual({ ok: 'kept', requestId: '[Unreadable]' });
    expect(internal).toEqual([]);
  });
});

describe('createPageErrorCapture (regression: a hostile capture context lost the whole error)', () => {
  it('should record the error, with or without a redactor', () => {
    for (const redactor of [undefined, createRedactor()]) {
      const sink = memorySink();
      const page = createPageErrorCapture({ sinks: [sink], ...(redactor === undefined ? {} : { redactor }) });
      expect(page.captureError(new Error('x'), { context: hostile() })).toMatch(/^[0-9a-f]{32}$/);
      expect(sink.records[0]?.context).toMatchObject({ ok: 'kept', requestId: '[Unreadable]' });
    }
  });
});

describe('MonitoredError (regression: the constructor threw on hostile options)', () => {
  it('should never throw, whatever options it is given', () => {
    const options: unknown[] = [
      { tags: hostile() },
      { details: hostile() },
      new Proxy({}, { has: () => { throw new Error('has trap'); }, get: () => { throw new Error('get trap'); } }),
      { tags: trappedKeys(), details: trappedKeys() },
    ];
    for (const o of options) {
      let error: MonitoredError | undefined;
      expect(() => (error = new MonitoredError('m', o as MonitoredErrorOptions))).not.toThrow();
      expect(error?.message).toBe('m');
    }
    expect(new MonitoredError('m', { tags: hostile() as never }).tags).toEqual({ ok: 'kept', requestId: '[Unreadable]' });
    expect(() => pipelineStageFailed('embed', 'x', { tags: hostile() as never, details: hostile() })).not.toThrow();
    expect(pipelineStageFailed('embed', 'x', { details: hostile() }).details).toMatchObject({ stage: 'embed', ok: 'kept', requestId: '[Unreadable]' });
  });
});
