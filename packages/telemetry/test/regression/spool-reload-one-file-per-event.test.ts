import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createFileSpool, createNodeTelemetryClient } from '@lookout/telemetry/node';
import type { TelemetryEvent } from '@lookout/telemetry';
import { totalDropped } from '../helpers/load.js';
import { memoryTransport } from '../helpers/memoryTransport.js';
import { seedSpool, spoolContents, spoolDir } from '../helpers/spoolFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition() && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 10));
}

describe('createNodeTelemetryClient (spool reload)', () => {
  describe('load', () => {
    it('should restore only what fits, leave the rest in the spool and send it all in the same run, without stalling the loop', async () => {
      const directory = spoolDir();
      const ids = seedSpool(directory, 50, 100);
      const memory = memoryTransport();
      // A receiver a little slower than the load, so the queue does fill up.
      const transport = { send: (r: Parameters<typeof memory.send>[0]) => new Promise<Awaited<ReturnType<typeof memory.send>>>((done) => setTimeout(() => done(memory.send(r)), 5)) };
      let worstLagMs = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        worstLagMs = Math.max(worstLagMs, now - last);
        last = now;
      }, 5);
      const client = createNodeTelemetryClient({
        transport,
        format: 'json',
        compression: 'none',
        spool: { directory },
        maxQueueEvents: 1000,
        flushIntervalMs: 10,
        exitHandling: false,
        registry: createMetricsRegistry(),
        diagnostics: createDiagnostics({ level: 'none' }),
      });
      try {
        await until(() => memory.events.length >= ids.length, 20_000);
      } finally {
        clearInterval(ticker);
      }
      expect(new Set(memory.events.map((e) => e.id))).toEqual(new Set(ids));
      expect(memory.events).toHaveLength(ids.length);
      expect(totalDropped(client)).toBe(0);
      expect(client.stats.restored).toBe(ids.length);
      expect(client.stats.persisted).toBe(0);
      expect(spoolContents(directory)).toEqual([]);
      expect(worstLagMs).toBeLessThan(1000);
      await client.shutdown(100);
    });
  });

  describe('track', () => {
    it('should count and drop events tracked after shutdown, with one diagnostic, and write nothing to the spool', async () => {
      const directory = spoolDir();
      const { diagnostics, warnings } = recordingDiagnostics();
      const client = createNodeTelemetryClient({ transport: memoryTransport(), spool: { directory }, exitHandling: false, registry: createMetricsRegistry(), diagnostics });
      await client.shutdown(100);
      for (let i = 0; i < 200; i++) expect(client.track('late', { i })).toBeUndefined();
      expect(client.stats.dropped.shutdown).toBe(200);
      expect(client.stats.persisted).toBe(0);
      expect(spoolContents(directory)).toEqual([]);
      expect(warnings.filter((w) => w.includes('after shutdown'))).toHaveLength(1);
    });
  });
});

describe('createFileSpool', () => {
  describe('load', () => {
    const take = (room: number) => {
      const taken: TelemetryEvent[] = [];
      return {
        taken,
        take: (events: readonly TelemetryEvent[]): number => {
          const n = Math.max(0, Math.min(events.length, room - taken.length));
          taken.push(...events.slice(0, n));
          return n;
        },
      };
    };

    it('should keep what take had no room for in its own file and leave later files untouched', async () => {
      const directory = spoolDir();
      const ids = seedSpool(directory, 4, 10);
      const before = spoolContents(directory);
      const room = take(15);
      expect(await createFileSpool({ directory }).load(undefined, room.take)).toEqual([]);
      expect(room.taken.map((e) => e.id)).toEqual(ids.slice(0, 15));
      expect(spoolContents(directory)).toEqual([{ name: before[1]?.name, ids: ids.slice(15, 20) }, ...before.slice(2)]);
    });

    it('should put a file back as it was when take takes nothing', async () => {
      const directory = spoolDir();
      seedSpool(directory, 3, 10);
      const before = spoolContents(directory);
      const room = take(0);
      await createFileSpool({ directory }).load(undefined, room.take);
      expect(room.taken).toEqual([]);
      expect(spoolContents(directory)).toEqual(before);
    });
  });
});
