import { describe, expect, it } from 'vitest';
import { createErrorTracker } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import { toSentryEvent } from '@lookout/errors/sentry-node';
import { memorySink } from '../helpers/memorySink.js';

async function anyReplica(): Promise<unknown> {
  return Promise.any([Promise.reject(new Error('replica a: ECONNREFUSED')), Promise.reject(new TypeError('replica b: bad response')), Promise.reject('replica c gave up')]);
}

describe('normaliseThrown (regression: the inner errors of an AggregateError were discarded)', () => {
  it('should keep the inner errors as chained exceptions, in the tracker, the page capture and the Sentry event', async () => {
    const error = await anyReplica().catch((e: unknown) => e);
    const sink = memorySink();
    createErrorTracker({ sinks: [sink] }).captureError(error);
    createPageErrorCapture({ sinks: [sink] }).captureError(error);
    for (const record of sink.records) {
      expect(record.type).toBe('AggregateError');
      expect(record.causes.map((c) => [c.source, c.type, c.message])).toEqual([
        ['errors[0]', 'Error', 'replica a: ECONNREFUSED'],
        ['errors[1]', 'TypeError', 'replica b: bad response'],
        ['errors[2]', 'NonError', 'replica c gave up'],
      ]);
    }
    const values = toSentryEvent(sink.records[0]!).exception?.values ?? [];
    expect(values).toHaveLength(4);
    expect(values.slice(0, 3).map((v) => v.mechanism)).toEqual(['errors[2]', 'errors[1]', 'errors[0]'].map((source) => expect.objectContaining({ type: 'chained', source })));
  });

  it('should keep at most five linked errors in all', () => {
    const sink = memorySink();
    createErrorTracker({ sinks: [sink] }).captureError(new AggregateError(Array.from({ length: 9 }, (_, i) => new Error(`e${i}`)), 'all failed', { cause: new Error('root') }));
    expect(sink.records[0]?.causes.map((c) => c.message)).toEqual(['root', 'e0', 'e1', 'e2', 'e3']);
  });
});
