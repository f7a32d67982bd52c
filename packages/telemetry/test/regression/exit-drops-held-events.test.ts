import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import type { TransportRequest } from '@lookout/core';
import { createNodeTelemetryClient } from '@lookout/telemetry/node';
import type { EventStore, TelemetryDropReason, TelemetryEvent } from '@lookout/telemetry';

describe('createNodeTelemetryClient (process exit)', () => {
  describe('exit', () => {
    it('should count the events held while consent is pending as dropped (shutdown), never stored nor sent', async () => {
      const saved: TelemetryEvent[][] = [];
      const store: EventStore = { save: (events) => (saved.push([...events]), true), load: () => Promise.resolve([]), clear: () => Promise.resolve() };
      const requests: TransportRequest[] = [];
      const transport = { send: (request: TransportRequest) => (requests.push(request), Promise.resolve({ kind: 'success' as const, status: 200 })) };
      const drops: [TelemetryDropReason, string[]][] = [];
      const before = new Set(process.listeners('exit'));
      const client = createNodeTelemetryClient({
        transport,
        store,
        consent: 'pending',
        format: 'json',
        flushIntervalMs: 0,
        selfMetrics: false,
        exitHandling: true,
        onDrop: (reason, events) => drops.push([reason, events.map((e) => e.id)]),
        diagnostics: createDiagnostics({ level: 'none' }),
      });
      const onExit = process.listeners('exit').filter((l) => !before.has(l));
      try {
        expect(onExit).toHaveLength(1);
        const ids = [client.track('a'), client.track('b')];
        expect(ids.every((id) => typeof id === 'string')).toBe(true);
        // What process.exit() runs: no event loop turn after it.
        (onExit[0] as (code: number) => void)(0);
        expect(client.stats.dropped.shutdown).toBe(2);
        expect(drops).toEqual([['shutdown', ids]]);
        expect(saved).toEqual([]);
        expect(client.stats.persisted).toBe(0);
        // Gone: a later optIn() has nothing to send.
        client.optIn();
        await client.flush(200);
        expect(requests).toHaveLength(0);
      } finally {
        await client.shutdown(100);
      }
    });
  });
});
