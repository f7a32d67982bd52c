import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../../../testing/backends.js';
import { startEventReceiver } from '../helpers/eventReceiver.js';
import type { EventReceiver } from '../helpers/eventReceiver.js';
import { runCli } from '../helpers/runCli.js';
import { spoolDir } from '../helpers/spoolFiles.js';

const receivers: EventReceiver[] = [];

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
});

describe('createNodeTelemetryClient (process exit)', () => {
  describe('beforeExit', () => {
    it('should deliver everything before a natural exit, without an explicit flush', async () => {
      const receiver = await startEventReceiver();
      receivers.push(receiver);
      const run = await runCli(receiver.endpoint, spoolDir(), 1000);
      expect(run.code).toBe(0);
      expect(run.ids.length).toBe(1000);
      expect([...receiver.uniqueIds()].sort()).toEqual([...run.ids].sort());
      expect(receiver.duplicateIds()).toEqual([]);
    });

    it('should leave what it could not send in the spool within the deadline, and send it on the next run', async () => {
      const port = await getFreePort();
      const directory = spoolDir();
      const first = await runCli(`http://127.0.0.1:${port}/v1/logs`, directory, 300);
      expect(first.code).toBe(0);
      // The exit deadline is 1 s; process start and the bundle's import take the rest.
      expect(first.ms).toBeLessThan(4000);
      expect(readdirSync(directory).some((n) => n.startsWith('spool-'))).toBe(true);

      const receiver = await startEventReceiver(port);
      receivers.push(receiver);
      const second = await runCli(receiver.endpoint, directory, 0);
      expect(second.code).toBe(0);
      expect([...receiver.uniqueIds()].sort()).toEqual([...first.ids].sort());
      expect(readdirSync(directory).filter((n) => n.startsWith('spool-'))).toEqual([]);
    });
  });

  describe('exit', () => {
    it('should spool queued events synchronously on process.exit() and send them on the next run', async () => {
      const port = await getFreePort();
      const directory = spoolDir();
      const first = await runCli(`http://127.0.0.1:${port}/v1/logs`, directory, 50, 'exit');
      expect(first.code).toBe(0);
      const receiver = await startEventReceiver(port);
      receivers.push(receiver);
      await runCli(receiver.endpoint, directory, 0);
      expect([...receiver.uniqueIds()].sort()).toEqual([...first.ids].sort());
    });
  });

  describe('spool', () => {
    it('should skip a corrupt spool file with a diagnostic and still send the rest', async () => {
      const port = await getFreePort();
      const directory = spoolDir();
      const first = await runCli(`http://127.0.0.1:${port}/v1/logs`, directory, 20, 'exit');
      writeFileSync(join(directory, 'spool-000000000000001-1-0.json'), '{"v":1,"savedAt":1,"events":[{"id":');
      writeFileSync(join(directory, 'spool-000000000000002-1-0.json'), 'not json at all');
      const receiver = await startEventReceiver(port);
      receivers.push(receiver);
      const second = await runCli(receiver.endpoint, directory, 0);
      expect(second.code).toBe(0);
      expect(second.stderr).toContain('skipped unreadable file');
      expect([...receiver.uniqueIds()].sort()).toEqual([...first.ids].sort());
      expect(readdirSync(directory)).toEqual([]);
    });
  });

  describe('DO_NOT_TRACK', () => {
    it('should send nothing when DO_NOT_TRACK=1', async () => {
      const receiver = await startEventReceiver();
      receivers.push(receiver);
      const run = await runCli(receiver.endpoint, spoolDir(), 10, 'natural', { DO_NOT_TRACK: '1' });
      expect(run.ids).toEqual(Array(10).fill('dropped'));
      expect(receiver.requests).toEqual([]);
    });
  });
});
