import { afterAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createNodeTelemetryClient, makeNodeHttpTransport } from '@lookout/telemetry/node';
import { getFreePort } from '../../../../testing/backends.js';
import { startEventReceiver } from '../helpers/eventReceiver.js';
import type { EventReceiver } from '../helpers/eventReceiver.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

const receivers: EventReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
});

describe('makeNodeHttpTransport', () => {
  describe('options', () => {
    it('should refuse an invalid header with one diagnostic naming it (never its value) and send without it', async () => {
      const receiver = await startEventReceiver();
      receivers.push(receiver);
      const { diagnostics, warnings } = recordingDiagnostics();
      const client = createNodeTelemetryClient({
        endpoint: receiver.endpoint,
        headers: { authorization: 'Bearer s3cret\n', 'x-tenant': 'acme' },
        exitHandling: false,
        registry: createMetricsRegistry(),
        retry: { initialBackoffMs: 10, maxBackoffMs: 20 },
        diagnostics,
      });
      const id = client.track('x');
      const result = await client.flush(2000);
      expect(result.complete).toBe(true);
      expect([...receiver.uniqueIds()]).toEqual([id]);
      expect(client.stats.failedSends).toBe(0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('"authorization"');
      expect(warnings[0]).not.toContain('s3cret');
      await client.shutdown(100);
    });
  });

  describe('send', () => {
    it('should resolve a request Node refuses to build as a failure, never reject', async () => {
      const transport = makeNodeHttpTransport({ url: `http://127.0.0.1:${await getFreePort()}/v1/logs`, diagnostics: createDiagnostics({ level: 'none' }) });
      const sent = transport.send({ body: new Uint8Array([1]), contentType: 'application/json', items: 1, bytes: 1, headers: { 'x-bad': 'a\nb' } });
      await expect(sent).resolves.toMatchObject({ kind: 'failure' });
    });
  });
});
