import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import type { TransportRequest, TransportResult } from '@lookout/core';
import { createTelemetryClient } from '@lookout/telemetry';

describe('createTelemetryClient', () => {
  describe('optOut', () => {
    it('should never send the batch in flight again after optOut(), and count it as consent', async () => {
      const requests: TransportRequest[] = [];
      const transport = {
        send: (request: TransportRequest) => {
          requests.push(request);
          return new Promise<TransportResult>((done) => setTimeout(() => done({ kind: 'retryable', reason: '503', status: 503 }), 50));
        },
      };
      const client = createTelemetryClient({
        transport,
        format: 'json',
        compression: 'none',
        flushIntervalMs: 0,
        retry: { initialBackoffMs: 10, maxBackoffMs: 20 },
        selfMetrics: false,
        diagnostics: createDiagnostics({ level: 'none' }),
      });
      client.track('a');
      client.track('b');
      await new Promise((r) => setTimeout(r, 10));
      expect(requests).toHaveLength(1);
      client.optOut();
      const flushed = await client.flush(1000);
      await new Promise((r) => setTimeout(r, 300));
      expect(requests).toHaveLength(1);
      expect(flushed.complete).toBe(true);
      expect(client.stats.dropped.consent).toBe(2);
      expect(client.stats.dropped.rejected).toBe(0);
      expect(client.stats.queuedItems).toBe(0);
    });
  });
});
