import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, pollUntil } from '../../../testing/backends.js';
import { startPushReceiver, type PushReceiver } from './helpers/pushReceiver.js';
import { requireBuilt, runNode } from './helpers/runNode.js';
import { snappyDecode } from './helpers/snappyDecode.js';

const FIXTURE = 'packages/node/test/fixtures/exit.mjs';

/** The remote-write URL of a receiver. */
const remoteWriteUrl = (receiver: PushReceiver): string => `${receiver.url}/api/v1/write`;

describe('exit handling', () => {
  let ok: PushReceiver;
  let hanging: PushReceiver;
  beforeAll(async () => {
    requireBuilt('core', 'node');
    [ok, hanging] = await Promise.all([startPushReceiver({ status: 204 }), startPushReceiver('hang')]);
  });
  afterAll(() => {
    ok.close();
    hanging.close();
  });

  describe('natural exit', () => {
    it('should push pending metrics before the process ends, with exit code 0', async () => {
      const run = await runNode([FIXTURE], { MODE: 'natural', LOOKOUT_REMOTE_WRITE_URL: remoteWriteUrl(ok), LOOKOUT_SPOOL_DIR: makeTempDir('exit') });
      expect(run.code, run.stderr).toBe(0);
      const decoded = Buffer.from(snappyDecode(new Uint8Array(ok.bodies.at(-1)!))).toString('latin1');
      expect(decoded.includes('fixture_done_total')).toBe(true);
    });

    it('should not keep an idle process alive', async () => {
      const run = await runNode([FIXTURE], { MODE: 'idle' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.ms).toBeLessThan(3000);
    });

    it('should end by the deadline when the receiver never answers, spooling the export', async () => {
      const spool = makeTempDir('exit');
      const run = await runNode([FIXTURE], { MODE: 'natural', LOOKOUT_REMOTE_WRITE_URL: remoteWriteUrl(hanging), LOOKOUT_SPOOL_DIR: spool, LOOKOUT_EXIT_DEADLINE_MS: '500' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.ms).toBeLessThan(500 + 2500);
      expect(readdirSync(join(spool, 'remote-write')).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    });
  });

  describe('signals', () => {
    it("should keep the host's SIGTERM handler and its exit code", async () => {
      const run = await runNode([FIXTURE], { MODE: 'host-handler', LOOKOUT_REMOTE_WRITE_URL: remoteWriteUrl(ok) }, (child, out) => {
        void pollUntil('waiting', async () => (out.stdout().includes('waiting') ? true : undefined), 10_000).then(() => child.kill('SIGTERM'));
      });
      expect(run.stdout).toContain('host handler ran');
      expect(run.code).toBe(7);
    });

    it('should end by the signal, as without Lookout, when the host has no handler', async () => {
      const before = ok.bodies.length;
      const run = await runNode([FIXTURE], { MODE: 'no-handler', LOOKOUT_REMOTE_WRITE_URL: remoteWriteUrl(ok) }, (child, out) => {
        void pollUntil('waiting', async () => (out.stdout().includes('waiting') ? true : undefined), 10_000).then(() => child.kill('SIGINT'));
      });
      expect(run.signal).toBe('SIGINT');
      expect(ok.bodies.length).toBeGreaterThan(before);
    });
  });
});
