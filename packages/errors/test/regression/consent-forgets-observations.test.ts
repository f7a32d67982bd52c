// Regression: the page capture kept what it observed while consent was not granted (the
// breadcrumbs of errors captured then, and each group's count and rate-limit window), so the
// first record after optIn() carried it: the breadcrumbs to Sentry, and a `groupCount` that told
// how often the error had happened while the user had refused (`@lookout/browser` sends it as
// `group_count`). The rule (docs/browser.md, consent): nothing from before consent was granted
// leaves with a later record, whether consent was `pending` or `denied`; `clear()` is how the
// consent owner says so.
import { describe, expect, it } from 'vitest';
import { createErrorTracker } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import type { ErrorRecord, ErrorSink } from '@lookout/errors/page';

/** `@lookout/browser`'s consent states. */
type ConsentState = 'granted' | 'pending' | 'denied';

/** A sink that forwards only while consent is granted, as `@lookout/browser`'s Sentry sink does (its event client drops or holds the rest). */
function consentedSink(consent: () => ConsentState): ErrorSink & { records: ErrorRecord[] } {
  const records: ErrorRecord[] = [];
  return { name: 'consented', records, capture: (record) => void (consent() === 'granted' && records.push(record)) };
}

describe('createPageErrorCapture', () => {
  describe('clear', () => {
    for (const before of ['denied', 'pending'] as const) {
      it(`should forward nothing observed while consent was ${before} with the first record after it is granted`, () => {
        let consent: ConsentState = before;
        const sink = consentedSink(() => consent);
        const capture = createPageErrorCapture({ sinks: [sink], maxPerGroupPerMinute: 2 });
        capture.addBreadcrumb({ category: 'navigation', message: '/account/delete' });
        for (let i = 0; i < 3; i++) capture.captureError(new Error('card declined'));
        // optIn(): consent granted after it was not.
        consent = 'granted';
        capture.clear();
        capture.addBreadcrumb({ category: 'navigation', message: '/checkout' });
        expect(capture.captureError(new Error('card declined'))).toMatch(/^[0-9a-f]{32}$/);
        // Forwarded although three of its group were captured in this minute, and counted afresh.
        expect(sink.records).toHaveLength(1);
        expect(sink.records[0]?.groupCount).toBe(1);
        expect(sink.records[0]?.breadcrumbs.map((b) => b.message)).toEqual(['/checkout']);
      });
    }

    it('should keep the user, the session, the tags and what is observed after it', () => {
      const sink = consentedSink(() => 'granted');
      const capture = createPageErrorCapture({ sinks: [sink], tags: { release: '1.4.2' } });
      capture.setUser('u1');
      capture.setSession('s1');
      capture.clear();
      capture.captureMessage('first');
      capture.captureMessage('second');
      expect(sink.records.map((r) => [r.userId, r.sessionId, r.tags['release'], r.breadcrumbs.length])).toEqual([
        ['u1', 's1', '1.4.2', 0],
        ['u1', 's1', '1.4.2', 1],
      ]);
    });
  });
});

describe('createErrorTracker', () => {
  // The full tracker's consent lever is `enabled`: while it is false nothing is observed, so
  // nothing from that time can ride on a later record.
  it('should record no breadcrumb, group or count while disabled', () => {
    const records: ErrorRecord[] = [];
    const tracker = createErrorTracker({ sinks: [{ name: 'memory', capture: (r) => void records.push(r) }], enabled: false });
    tracker.addBreadcrumb({ message: '/account/delete' });
    for (let i = 0; i < 3; i++) tracker.captureError(new Error('card declined'));
    tracker.configure({ enabled: true });
    tracker.captureError(new Error('card declined'));
    expect(records).toHaveLength(1);
    expect(records[0]?.groupCount).toBe(1);
    expect(records[0]?.breadcrumbs).toEqual([]);
  });
});
