import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import type { Logger } from '@lookout/core';
import { createBrowserTelemetryClient } from '@lookout/telemetry/browser';
import { memoryTransport } from '../helpers/memoryTransport.js';

function recordingDiagnostics() {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  return { diagnostics: createDiagnostics({ logger, level: 'warn', maxPerMinute: 10_000 }), warnings };
}

describe('createBrowserTelemetryClient', () => {
  describe('format', () => {
    it('should send OTLP/JSON, written without the OpenTelemetry serializer', async () => {
      const transport = memoryTransport();
      const client = createBrowserTelemetryClient({ transport, flushOnPageHide: false, compression: 'none', diagnostics: createDiagnostics({ level: 'none' }) });
      client.track('checkout', { items: 2 });
      await client.flush(1000);
      expect(transport.requests[0]?.contentType).toBe('application/json');
      expect(transport.events.map((e) => [e.name, e.properties['items']])).toEqual([['checkout', 2]]);
    });

    it('should warn once and send OTLP/JSON when asked for otlp-proto', async () => {
      const transport = memoryTransport();
      const { diagnostics, warnings } = recordingDiagnostics();
      const client = createBrowserTelemetryClient({ transport, format: 'otlp-proto', flushOnPageHide: false, compression: 'none', diagnostics });
      client.track('checkout');
      await client.flush(1000);
      expect(warnings.filter((w) => w.includes('otlp-proto'))).toHaveLength(1);
      expect(transport.requests[0]?.contentType).toBe('application/json');
      expect(transport.events).toHaveLength(1);
    });
  });

  describe('self-metrics', () => {
    it('should export delivery counts to the registry passed in once their code has loaded', async () => {
      const registry = createMetricsRegistry();
      const transport = memoryTransport();
      const client = createBrowserTelemetryClient({ transport, registry, signal: 'page_events', flushOnPageHide: false, compression: 'none', diagnostics: createDiagnostics({ level: 'none' }) });
      client.track('ok');
      client.track('', {});
      await client.flush(1000);
      await expect.poll(async () => renderPrometheus(registry)).toContain('lookout_delivery_items_sent_total{signal="page_events"} 1');
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_delivery_items_dropped_total{signal="page_events",reason="invalid"} 1');
      expect(text).toContain('lookout_telemetry_events_tracked_total{signal="page_events"} 2');
    });

    it('should still count drops in stats without a registry', async () => {
      const client = createBrowserTelemetryClient({ transport: memoryTransport(), flushOnPageHide: false, diagnostics: createDiagnostics({ level: 'none' }) });
      client.track('', {});
      expect(client.stats.dropped.invalid).toBe(1);
    });
  });
});
