import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import type { TransportRequest } from '@lookout/core';
import { createTelemetryClient } from '@lookout/telemetry';
import type { EventStore, TelemetryEvent } from '@lookout/telemetry';
import { startEventReceiver } from '../helpers/eventReceiver.js';
import { runCli } from '../helpers/runCli.js';
import { spoolContents, spoolDir } from '../helpers/spoolFiles.js';

describe('createTelemetryClient', () => {
  describe('shutdown', () => {
    it('should hand the batch still in flight at its deadline to the store before it resolves, once', async () => {
      const saved: TelemetryEvent[][] = [];
      const store: EventStore = { save: (events) => (saved.push([...events]), true), load: () => Promise.resolve([]), clear: () => Promise.resolve() };
      const requests: TransportRequest[] = [];
      // A transport that ignores its abort signal and never answers: the queue gives up on it only sendTimeoutMs + 1 s later.
      const transport = { send: (request: TransportRequest) => (requests.push(request), new Promise<never>(() => undefined)) };
      const client = createTelemetryClient({ transport, store, format: 'json', sendTimeoutMs: 100, flushIntervalMs: 0, selfMetrics: false, diagnostics: createDiagnostics({ level: 'none' }) });
      const ids = [client.track('a'), client.track('b'), client.track('c')];
      await new Promise((r) => setTimeout(r, 20));
      expect(requests).toHaveLength(1);
      const result = await client.shutdown(50);
      expect(result.complete).toBe(false);
      expect(saved.flat().map((e) => e.id)).toEqual(ids);
      expect(client.stats.persisted).toBe(3);
      // The queue's own give-up comes later: it is neither saved nor counted again.
      await new Promise((r) => setTimeout(r, 1300));
      expect(saved.flat()).toHaveLength(3);
      expect(client.stats.persisted).toBe(3);
      expect(client.stats.dropped.shutdown).toBe(0);
    });
  });
});

describe('createNodeTelemetryClient (process exit)', () => {
  describe('shutdown', () => {
    it('should lose nothing in flight on `await client.shutdown(); process.exit()`', async () => {
      const hanging = await startEventReceiver();
      hanging.fault = () => 'hang';
      const directory = spoolDir();
      const first = await runCli(hanging.endpoint, directory, 50, 'shutdown-exit').finally(() => hanging.stop());
      expect(first.code).toBe(0);
      expect(hanging.requests.length).toBeGreaterThan(0);
      const receiver = await startEventReceiver();
      await runCli(receiver.endpoint, directory, 0).finally(() => receiver.stop());
      expect([...receiver.uniqueIds()].sort()).toEqual([...first.ids].sort());
      expect(spoolContents(directory)).toEqual([]);
    });
  });
});
