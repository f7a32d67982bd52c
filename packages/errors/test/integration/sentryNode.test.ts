import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createErrorTracker, databaseOperationFailed, pipelineStageFailed } from '@lookout/errors';
import { createSentryNodeSink, DEFAULT_SENTRY_GZIP_MIN_BYTES } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';

const SECRET_EMAIL = 'alice.secret@example.com';
const SECRET_TOKEN = 'sk_live_51HxQvK2eZvKYlo2C0123456789abcdef';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(async () => {
  await receiver.stop();
});

function newTracker() {
  const sink = createSentryNodeSink({ dsn: receiver.dsn(), environment: 'test', release: 'lookout@1.0.0', flushOnExit: false, transport: { registry: createMetricsRegistry() } });
  const tracker = createErrorTracker({ sinks: [sink], registry: createMetricsRegistry(), diagnostics: createDiagnostics({ level: 'none' }), tags: { service: 'indexer' } });
  return { sink, tracker };
}

describe('createSentryNodeSink (real @sentry/node client, local receiver)', () => {
  describe('capture', () => {
    it('should deliver an envelope with type, message, tags, level, fingerprint and contexts, and no scrubbed value', async () => {
      receiver.envelopes.length = 0;
      const { sink, tracker } = newTracker();
      tracker.setUser(SECRET_EMAIL);
      tracker.addBreadcrumb({ category: 'http', message: `GET /login?email=${SECRET_EMAIL}`, data: { authorization: `Bearer ${SECRET_TOKEN}` } });
      const cause = new Error(`connection refused for ${SECRET_EMAIL}`);
      const id = tracker.captureError(databaseOperationFailed('insert', cause), {
        context: { request: { apiKey: SECRET_TOKEN, path: '/v1/items' } },
        sessionId: 'session-1',
      });
      expect(await sink.ready).toBe(true);
      expect(await tracker.flush(5000)).toBe(true);
      const [event] = await receiver.waitForEvents(1);
      expect(event).toBeDefined();
      const e = event as Record<string, any>;
      expect(e.event_id).toBe(id);
      const values = e.exception.values as any[];
      const top = values[values.length - 1];
      expect(top.type).toBe('DatabaseError');
      expect(top.value).toBe('Database operation "insert" failed: Error: connection refused for [REDACTED:email]');
      expect(top.stacktrace.frames.length).toBeGreaterThan(0);
      expect(top.stacktrace.frames.at(-1).in_app).toBe(true);
      expect(values[0].type).toBe('Error');
      expect(e.level).toBe('error');
      expect(e.tags).toMatchObject({ category: 'database', severity: 'high', operation: 'insert', service: 'indexer' });
      expect(e.fingerprint).toHaveLength(1);
      expect(e.fingerprint[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(e.contexts.details).toEqual({ operation: 'insert', error: 'Error: connection refused for [REDACTED:email]' });
      expect(e.contexts.lookout).toMatchObject({ category: 'database', severity: 'high', session_id: 'session-1', group: e.fingerprint[0] });
      expect(e.contexts.context.request).toEqual({ apiKey: '[REDACTED:key]', path: '/v1/items' });
      expect(e.user).toEqual({ id: '[REDACTED:email]' });
      expect(e.environment).toBe('test');
      expect(e.release).toBe('lookout@1.0.0');
      expect(e.breadcrumbs[0].message).toBe('GET /login?email=[REDACTED:email]');
      const bytes = Buffer.concat(receiver.envelopes.map((x) => x.raw)).toString('utf8');
      expect(bytes).not.toContain(SECRET_EMAIL);
      expect(bytes).not.toContain(SECRET_TOKEN);
      expect(receiver.envelopes[0]?.url).toMatch(/^\/api\/1\/envelope\/\?sentry_version=7&sentry_key=lookoutkey/);
      await tracker.shutdown(2000);
    });

    it('should map severity to level and messages to message events', async () => {
      receiver.envelopes.length = 0;
      const { tracker } = newTracker();
      tracker.captureMessage(`cache warm-up slow for ${SECRET_EMAIL}`, 'medium', { category: 'performance' });
      tracker.captureError(pipelineStageFailed('embed', 'model timed out'), { severity: 'critical' });
      await tracker.flush(5000);
      const events = await receiver.waitForEvents(2);
      const message = events.find((e) => e['message'] !== undefined) as Record<string, any>;
      expect(message.message).toBe('cache warm-up slow for [REDACTED:email]');
      expect(message.level).toBe('warning');
      expect(message.tags).toMatchObject({ category: 'performance', severity: 'medium' });
      const stage = events.find((e) => e['exception'] !== undefined) as Record<string, any>;
      expect(stage.level).toBe('fatal');
      expect(stage.tags).toMatchObject({ category: 'business', severity: 'critical', stage: 'embed' });
      expect(stage.contexts.details).toEqual({ stage: 'embed', reason: 'model timed out' });
      await tracker.shutdown(2000);
    });

    it('should group the same error with different ids under one fingerprint in Sentry', async () => {
      receiver.envelopes.length = 0;
      const { tracker } = newTracker();
      const fail = (id: string) => {
        try {
          throw new Error(`order ${id} not found (request 'req-${id}')`);
        } catch (error) {
          return tracker.captureError(error);
        }
      };
      fail('8f14e45fceea167a5a36dedd4bea2543');
      fail('c9f0f895fb98ab9159f51fd0297e236d');
      await tracker.flush(5000);
      const events = await receiver.waitForEvents(2);
      expect((events[0] as any).fingerprint).toEqual((events[1] as any).fingerprint);
      await tracker.shutdown(2000);
    });
  });

  describe('gzip', () => {
    it('should send a large event (long breadcrumbs, big context) gzip-compressed by zlib, and a small one as is', async () => {
      receiver.envelopes.length = 0;
      // Without CompressionStream only the zlib gzip ./sentry-node injects can compress.
      const saved = Object.getOwnPropertyDescriptor(globalThis, 'CompressionStream');
      delete (globalThis as { CompressionStream?: unknown }).CompressionStream;
      try {
        const { sink, tracker } = newTracker();
        tracker.captureError(new Error('small failure'));
        expect(await tracker.flush(5000)).toBe(true);
        for (let i = 0; i < 50; i++) {
          tracker.addBreadcrumb({ category: 'sql', message: `SELECT ${Array.from({ length: 60 }, (_, c) => `col_${(i * 31 + c) % 997}`).join(', ')} FROM orders WHERE id = ${i}` });
        }
        const rows = Array.from({ length: 200 }, (_, i) => `SKU-${(i * 7919) % 100_003} x${i % 9}: row ${i} of the import batch`);
        const id = tracker.captureError(new Error('import failed'), { context: { rows } });
        expect(await tracker.flush(5000)).toBe(true);
        const events = await receiver.waitForEvents(2);
        const [small, large] = receiver.envelopes;
        expect(small?.headers['content-encoding']).toBeUndefined();
        expect(small?.wire.length).toBeLessThan(DEFAULT_SENTRY_GZIP_MIN_BYTES);
        expect(large?.headers['content-encoding']).toBe('gzip');
        expect(large?.raw.length).toBeGreaterThanOrEqual(DEFAULT_SENTRY_GZIP_MIN_BYTES);
        expect(large?.wire.length).toBeLessThan((large?.raw.length ?? 0) / 3);
        const event = events[1] as Record<string, any>;
        expect(event.event_id).toBe(id);
        expect(event.breadcrumbs).toHaveLength(50);
        expect(event.breadcrumbs[49].message).toContain('FROM orders WHERE id = 49');
        expect(event.contexts.context.rows).toEqual(rows);
        expect(sink.getTransport()?.stats).toMatchObject({ sent: 2, failedSends: 0 });
        await tracker.shutdown(2000);
      } finally {
        if (saved !== undefined) Object.defineProperty(globalThis, 'CompressionStream', saved);
      }
    });
  });

  describe('client', () => {
    it('should use a client the host created itself', async () => {
      receiver.envelopes.length = 0;
      const Sentry = await import('@sentry/node');
      const client = new Sentry.NodeClient({
        dsn: receiver.dsn('hostkey'),
        transport: Sentry.makeNodeTransport,
        stackParser: Sentry.defaultStackParser,
        integrations: [],
        tracesSampleRate: 0,
      });
      const tracker = createErrorTracker({ sinks: [createSentryNodeSink({ client })], registry: createMetricsRegistry() });
      tracker.captureError(new TypeError('x is not a function'));
      await tracker.flush(5000);
      const [event] = await receiver.waitForEvents(1);
      expect((event as any).tags.category).toBe('javascript');
      expect(receiver.envelopes[0]?.url).toContain('sentry_key=hostkey');
      await tracker.shutdown(1000);
    });

    it('should be a no-op without a DSN and never load the SDK', async () => {
      const sink = createSentryNodeSink({});
      expect(await sink.ready).toBe(false);
      expect(sink.getClient()).toBeUndefined();
    });
  });
});
