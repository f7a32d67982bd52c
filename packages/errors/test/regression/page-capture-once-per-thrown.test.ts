// Regression: the page capture made a record each time the same thrown object was captured, so a
// capture-and-rethrow (`captureException(e); throw e`) reached every sink twice, once more from
// the page's `error` event. The full tracker makes one record per thrown object, as Sentry's SDK.
import { afterEach, describe, expect, it } from 'vitest';
import { createPageErrorCapture } from '@lookout/errors/page';
import { memorySink } from '../helpers/memorySink.js';

type Target = { addEventListener?: unknown; removeEventListener?: unknown };

afterEach(() => {
  const g = globalThis as Target;
  delete g.addEventListener;
  delete g.removeEventListener;
});

describe('createPageErrorCapture', () => {
  it('should make one record per thrown object, however often it is captured, and return its id again', async () => {
    const target = new EventTarget();
    const g = globalThis as Target;
    g.addEventListener = target.addEventListener.bind(target);
    g.removeEventListener = target.removeEventListener.bind(target);
    const sink = memorySink();
    const capture = createPageErrorCapture({ sinks: [sink] });
    capture.installGlobalHandlers();
    const error = new TypeError('checkout failed');
    const id = capture.captureError(error);
    expect(capture.captureError(error)).toBe(id);
    target.dispatchEvent(Object.assign(new Event('error'), { error, message: 'Uncaught TypeError: checkout failed' }));
    // Another object with the same message is another occurrence; strings and numbers are never the same object.
    capture.captureError(new TypeError('checkout failed'));
    capture.captureError('plain');
    capture.captureError('plain');
    await capture.flush();
    expect(sink.records.map((r) => [r.message, r.groupCount])).toEqual([
      ['checkout failed', 1],
      ['checkout failed', 2],
      ['plain', 1],
      ['plain', 2],
    ]);
    expect(sink.records[0]?.id).toBe(id);
  });

  it('should capture an object again after clear() (consent given after it was first seen) and after beforeCapture dropped it, return undefined', () => {
    const sink = memorySink();
    let drop = true;
    const capture = createPageErrorCapture({ sinks: [sink], beforeCapture: (record) => (drop ? null : record) });
    const error = new Error('seen before consent');
    expect(capture.captureError(error)).toBeUndefined();
    drop = false;
    expect(capture.captureError(error)).toBeUndefined();
    capture.clear();
    expect(capture.captureError(error)).toMatch(/^[0-9a-f]{32}$/);
    expect(sink.records).toHaveLength(1);
  });
});
