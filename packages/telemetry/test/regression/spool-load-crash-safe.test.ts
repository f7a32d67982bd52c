import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createTelemetryClient } from '@lookout/telemetry';
import type { EventStore, TelemetryEvent } from '@lookout/telemetry';
import { createFileSpool } from '@lookout/telemetry/node';
import { getFreePort } from '../../../../testing/backends.js';
import { startEventReceiver } from '../helpers/eventReceiver.js';
import { memoryTransport } from '../helpers/memoryTransport.js';
import { runCli } from '../helpers/runCli.js';
import { seedSpool, spoolContents, spoolDir, storedEvent } from '../helpers/spoolFiles.js';

/** Above Linux's largest pid (2^22): no process has it. */
const DEAD_PID = 9_999_999;

describe('createFileSpool (crash safety)', () => {
  describe('load', () => {
    it('should lose no spooled event when the process exits while the spool is being loaded', async () => {
      const offline = `http://127.0.0.1:${await getFreePort()}/v1/logs`;
      for (const delayMs of [0, 3, 6, 10, 15, 25]) {
        const directory = spoolDir();
        // 501 events in 51 files, so the load is midway through them when the process exits.
        const ids = [...seedSpool(directory, 50, 10), ...seedSpool(directory, 1, 1, () => 'spool-000000000009999-1-0.json')];
        const interrupted = await runCli(offline, directory, 0, `exit-after-${delayMs}`);
        expect(interrupted.code).toBe(0);
        const receiver = await startEventReceiver();
        const next = await runCli(receiver.endpoint, directory, 0).finally(() => receiver.stop());
        expect(next.code).toBe(0);
        expect([...receiver.uniqueIds()].sort(), `process.exit() ${delayMs} ms after start`).toEqual(ids.sort());
        expect(spoolContents(directory)).toEqual([]);
      }
    });

    it('should load a file claimed by a process that is gone, and leave one a live loader holds', async () => {
      const directory = spoolDir();
      const spoolName = (i: number) => `spool-${String(2_000 + i).padStart(15, '0')}-1-${i}.json`;
      const claims = [
        `.claimed-${DEAD_PID}-1700000000000-${Date.now()}-0`, // a loader that crashed
        `.claimed-${DEAD_PID}-3`, // the same, written by an older version
        `.claimed-${process.pid}-1-${Date.now()}-0`, // an earlier process with this pid
        `.claimed-${process.pid}-${Math.round(performance.timeOrigin)}-${Date.now()}-0`, // this process, loading it now
        `.claimed-${process.ppid}-1-${Date.now()}-0`, // another live process, loading it now
      ];
      const ids = seedSpool(directory, claims.length, 2, (i) => `${spoolName(i)}${claims[i]}`);
      const taken: string[] = [];
      await createFileSpool({ directory }).load(undefined, (events) => {
        taken.push(...events.map((e) => e.id));
        return events.length;
      });
      expect(taken.sort()).toEqual(ids.slice(0, 6).sort());
      expect(spoolContents(directory).map((f) => f.name)).toEqual([`${spoolName(3)}${claims[3]}`, `${spoolName(4)}${claims[4]}`]);
    });
  });

  describe('clear', () => {
    it('should remove claimed files too', async () => {
      const directory = spoolDir();
      seedSpool(directory, 2, 2);
      seedSpool(directory, 1, 2, () => `spool-000000000000001-1-0.json.claimed-${DEAD_PID}-1-2-3`);
      writeFileSync(join(directory, `.tmp-spool-000000000000002-1-0.json`), '{');
      await createFileSpool({ directory }).clear();
      expect(spoolContents(directory)).toEqual([]);
    });
  });
});

describe('createTelemetryClient', () => {
  describe('optOut', () => {
    it('should count what a store load returns after optOut() as consent drops', async () => {
      let release: (events: TelemetryEvent[]) => void = () => undefined;
      const store: EventStore = { save: () => true, load: () => new Promise((done) => (release = done)), clear: () => Promise.resolve() };
      const transport = memoryTransport();
      const client = createTelemetryClient({ transport, store, format: 'json', selfMetrics: false, diagnostics: createDiagnostics({ level: 'none' }) });
      client.optOut();
      release([storedEvent('a'), storedEvent('b'), storedEvent('c')]);
      await client.flush(1000);
      expect(client.stats.dropped.consent).toBe(3);
      expect(transport.requests).toEqual([]);
    });

    it('should count what the file spool hands over after optOut() as consent drops and remove it', async () => {
      const directory = spoolDir();
      seedSpool(directory, 3, 4);
      const spool = createFileSpool({ directory });
      let gate: () => void = () => undefined;
      const opened = new Promise<void>((done) => (gate = done));
      // The load starts at once; consent is withdrawn before it has read anything.
      const store: EventStore = { save: (e) => spool.save(e), load: async (onExpired, take) => (await opened, spool.load(onExpired, take)), clear: () => Promise.resolve() };
      const transport = memoryTransport();
      const client = createTelemetryClient({ transport, store, format: 'json', selfMetrics: false, diagnostics: createDiagnostics({ level: 'none' }) });
      client.optOut();
      gate();
      await client.flush(1000);
      expect(client.stats.dropped.consent).toBe(12);
      expect(transport.requests).toEqual([]);
      expect(spoolContents(directory)).toEqual([]);
    });
  });
});
