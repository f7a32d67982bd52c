import { afterAll, describe, expect, it } from 'vitest';
import * as Sentry from '@sentry/node';
import { createMetricsRegistry } from '@lookout/core';
import { startViewer, type Viewer } from '@lookout/viewer';
import { openSse, type SseClient } from './helpers/sse.js';

let viewer: Viewer | undefined;
let client: SseClient | undefined;
afterAll(async () => {
  await Sentry.close(1000);
  client?.close();
  await viewer?.close();
});

describe('viewer as a Sentry DSN', () => {
  it('should show an exception @sentry/node sends to viewer.endpoints.sentryDsn', async () => {
    viewer = startViewer({ port: 0, registry: createMetricsRegistry(), flushIntervalMs: 20 });
    expect(await viewer.ready).toBe(true);
    client = await openSse(`${viewer.origin}/stream?token=${viewer.token}&signals=error`);
    // No default integrations: nothing patches this process's http server or console.
    Sentry.init({ dsn: viewer.endpoints.sentryDsn, defaultIntegrations: false, tracesSampleRate: 0, release: 'shop-api@3' });
    Sentry.captureException(new SyntaxError('unexpected token in config'));
    expect(await Sentry.flush(5000)).toBe(true);
    const record = await client.waitFor(() => client!.records().find((r) => r.name === 'SyntaxError'));
    expect(record).toMatchObject({ type: 'error', message: 'unexpected token in config', source: 'shop-api@3', level: 'high' });
  });
});
