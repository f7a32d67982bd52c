import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createTelemetryClient } from '@lookout/telemetry';
import type { TelemetryClient, TelemetryFormat } from '@lookout/telemetry';
import { startEventReceiver } from '../helpers/eventReceiver.js';
import type { EventReceiver } from '../helpers/eventReceiver.js';

const quiet = () => createDiagnostics({ level: 'none' });

describe('createTelemetryClient (integration, loopback receiver)', () => {
  let receiver: EventReceiver;
  let client: TelemetryClient | undefined;

  beforeEach(async () => {
    receiver = await startEventReceiver();
  });
  afterEach(async () => {
    await client?.shutdown(1000);
    await receiver.stop();
  });

  describe('track', () => {
    for (const format of ['otlp-proto', 'otlp-json', 'json'] as TelemetryFormat[]) {
      it(`should deliver every event exactly once, in order, with its fields (${format})`, async () => {
        client = createTelemetryClient({
          endpoint: receiver.endpoint,
          format,
          app: { name: 'cli', version: '1.2.3' },
          platform: 'node-test',
          userId: 'u-1',
          anonymousId: 'anon-1',
          maxBatchEvents: 50,
          flushIntervalMs: 50,
          diagnostics: quiet(),
          registry: createMetricsRegistry(),
        });
        const ids: string[] = [];
        for (let i = 0; i < 500; i++) {
          const id = client.track('item_viewed', { index: i, sku: `sku-${i}`, price: i + 0.5, tags: ['a', 'b'], nested: { ok: true } });
          expect(id).toBeTypeOf('string');
          ids.push(id as string);
        }
        const result = await client.flush(5000);
        expect(result.complete).toBe(true);
        const events = receiver.events();
        expect(events.map((e) => e.id)).toEqual(ids);
        expect(receiver.duplicateIds()).toEqual([]);
        const first = events[0];
        expect(first).toMatchObject({
          name: 'item_viewed',
          sessionId: client.sessionId,
          userId: 'u-1',
          anonymousId: 'anon-1',
          appVersion: '1.2.3',
          platform: 'node-test',
          properties: { index: 0, sku: 'sku-0', price: 0.5, tags: ['a', 'b'], nested: { ok: true } },
        });
        expect(Math.abs((first?.timestamp ?? 0) - Date.now())).toBeLessThan(10_000);
        expect(client.stats.sent).toBe(500);
        // Bodies above the gzip threshold travel compressed.
        expect(receiver.requests.some((r) => r.contentEncoding === 'gzip')).toBe(true);
      });
    }

    it('should send the typed helpers with their documented shapes', async () => {
      client = createTelemetryClient({ endpoint: receiver.endpoint, diagnostics: quiet(), registry: createMetricsRegistry(), flushIntervalMs: 10 });
      client.trackCommand('deploy', 1234, true, { target: 'prod' });
      client.trackFeature('dark-mode', { screen: 'settings' });
      client.trackAction('user-9', 'checkout_clicked', { cart: 3 });
      await client.flush(5000);
      const [command, feature, action] = receiver.events();
      expect(command).toMatchObject({ name: 'command', properties: { command: 'deploy', durationMs: 1234, success: true, target: 'prod' } });
      expect(feature).toMatchObject({ name: 'feature', properties: { feature: 'dark-mode', screen: 'settings' } });
      expect(action).toMatchObject({ name: 'checkout_clicked', userId: 'user-9', properties: { cart: 3 } });
    });

    it('should scrub PII from what reaches the receiver', async () => {
      client = createTelemetryClient({ endpoint: receiver.endpoint, diagnostics: quiet(), registry: createMetricsRegistry(), flushIntervalMs: 10 });
      client.track('signup', { email: 'jane@example.com', note: 'token Bearer abcdefghijklmnopqrstuvwxyz0123', card: '4111 1111 1111 1111', apiKey: 'k' });
      await client.flush(5000);
      const text = JSON.stringify(receiver.events());
      expect(text).not.toContain('jane@example.com');
      expect(text).not.toContain('abcdefghijklmnopqrstuvwxyz0123');
      expect(text).not.toContain('4111 1111 1111 1111');
      expect(text).toContain('[REDACTED:');
    });
  });
});
