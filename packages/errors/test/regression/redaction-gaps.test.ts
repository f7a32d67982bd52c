import { describe, expect, it } from 'vitest';
import { createRedactor } from '@lookout/core';
import { createErrorTracker } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import { toSentryEvent } from '@lookout/errors/sentry-node';
import { memorySink } from '../helpers/memorySink.js';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
const EMAIL = 'alice@example.com';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';

describe('createErrorTracker (regression: fields that bypassed the redactor)', () => {
  it('should scrub option and configure tags, the session id, breadcrumb categories and custom fingerprint parts', () => {
    const sink = memorySink();
    const tracker = createErrorTracker({ sinks: [sink], tags: { deploy_token: TOKEN, owner: EMAIL } });
    tracker.setSession(JWT);
    tracker.addBreadcrumb({ category: `login ${EMAIL}`, message: 'ok' });
    tracker.captureError(new Error('x'), { fingerprint: ['checkout', `bob ${EMAIL}`] });
    tracker.configure({ tags: { approver: EMAIL } });
    tracker.captureError(new Error('y'));
    const text = JSON.stringify([sink.records, sink.records.map(toSentryEvent)]);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(JWT);
    expect(Object.keys(sink.records[0]?.tags ?? {})).toEqual(['deploy_token', 'owner']);
    expect(sink.records[1]?.tags['approver']).toBe('[REDACTED:email]');
  });

  it('should redact before truncating, so a secret cut at the limit is still masked', () => {
    const sink = memorySink();
    const tracker = createErrorTracker({ sinks: [sink], maxMessageLength: 40 });
    tracker.captureError(new Error('cannot connect: postgres://admin:hunter2@db.internal:5432/app'));
    tracker.captureError(new Error(`password reset mailed to ${EMAIL}`));
    tracker.addBreadcrumb({ message: `password reset mailed to ${EMAIL}` });
    tracker.captureMessage('after');
    const text = JSON.stringify(sink.records);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('alice@example.c');
  });
});

describe('createPageErrorCapture (regression: fields that bypassed the redactor)', () => {
  it('should scrub the session id, breadcrumb categories, custom fingerprint parts, and redact before truncating', () => {
    const sink = memorySink();
    const page = createPageErrorCapture({ sinks: [sink], redactor: createRedactor() });
    page.setSession(JWT);
    page.addBreadcrumb({ category: `login ${EMAIL}`, message: 'ok' });
    page.captureError(new Error('x'), { fingerprint: ['checkout', `bob ${EMAIL}`] });
    page.captureError(new Error(`${'x'.repeat(8192 - 20)} mailed to ${EMAIL}`));
    const text = JSON.stringify(sink.records);
    expect(text).not.toContain(EMAIL.slice(0, 8));
    expect(text).not.toContain(JWT);
  });
});
