import { describe, expect, it } from 'vitest';
import { createDiagnostics, createRedactor } from '@lookout/core';
import { createErrorTracker, defaultIsInApp, parseStack } from '@lookout/errors';
import { createPageErrorCapture } from '@lookout/errors/page';
import { toSentryEvent } from '@lookout/errors/sentry-node';
import { memorySink } from '../helpers/memorySink.js';

const URLS = ['redis://admin:hunter2@cache.internal:6379', 'postgres://bob:s3cr3t@db.internal:5432'];

function connect(url: string): never {
  throw new Error(`cannot connect to ${url}`);
}

function thrownFor(url: string): Error {
  try {
    connect(url);
  } catch (error) {
    return error as Error;
  }
}

describe('parseStack (regression: header line parsed as a frame)', () => {
  it('should never turn the V8 header line, or a message continuation line, into a frame', () => {
    const error = thrownFor(URLS[0] as string);
    const frames = parseStack(error.stack, 50, defaultIsInApp, error.message);
    expect(frames[0]?.function).toBe('connect');
    expect(JSON.stringify(frames)).not.toContain('hunter2');
    // Without the message, the V8 stack is still read as V8 only.
    expect(JSON.stringify(parseStack(error.stack, 50, defaultIsInApp))).not.toContain('hunter2');
    const multiLine = 'Error: first line\nsecond bob:pw@host.internal:5432\n    at run (/srv/app/a.js:1:2)';
    expect(parseStack(multiLine, 50, defaultIsInApp, 'first line\nsecond bob:pw@host.internal:5432')).toEqual([
      { function: 'run', filename: '/srv/app/a.js', lineno: 1, colno: 2, inApp: true },
    ]);
  });

  it('should not read a `Name: message` line of a SpiderMonkey-style stack as a frame', () => {
    const stack = 'Error: cannot connect to redis://admin:hunter2@cache.internal:6379\nconnect@https://app.example.com/a.js:3:9';
    expect(parseStack(stack, 50, defaultIsInApp)).toEqual([{ function: 'connect', filename: 'https://app.example.com/a.js', lineno: 3, colno: 9, inApp: true }]);
  });
});

describe('createErrorTracker (regression: secrets from the message in frames and fingerprints)', () => {
  it('should keep the message out of frames, fingerprints and the Sentry event, and group both URLs together', () => {
    const sink = memorySink();
    const { records } = sink;
    const tracker = createErrorTracker({ sinks: [sink], diagnostics: createDiagnostics({ level: 'none' }) });
    for (const url of URLS) tracker.captureError(thrownFor(url));
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.stack[0]?.function).toBe('connect');
      const text = JSON.stringify([record.stack, record.fingerprintParts, toSentryEvent(record)]);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('s3cr3t');
    }
    expect(records[0]?.fingerprintParts.slice(2)).toEqual(records[1]?.fingerprintParts.slice(2));
  });

  it('should redact every string field of a frame, not only file names with `@`', () => {
    const sink = memorySink();
    const { records } = sink;
    const tracker = createErrorTracker({ sinks: [sink], diagnostics: createDiagnostics({ level: 'none' }) });
    tracker.captureError({ name: 'Error', message: 'x', stack: 'Error: x\n    at alice@example.com (/srv/app/a.js:1:2)' });
    expect(records[0]?.stack[0]?.function).toBe('[REDACTED:email]');
  });
});

describe('createPageErrorCapture (regression: header line parsed as a frame)', () => {
  it('should keep the message out of the frames', () => {
    const sink = memorySink();
    const { records } = sink;
    const page = createPageErrorCapture({ redactor: createRedactor(), sinks: [sink] });
    page.captureError(thrownFor('https://deploy:ghp_0123456789abcdefghijABCDEFGHIJ012345@git.example.com:8443'));
    expect(records[0]?.stack[0]?.function).toBe('connect');
    expect(JSON.stringify(records[0])).not.toContain('ghp_0123456789');
  });
});
