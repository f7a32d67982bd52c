// Regressions in the exit path: a shutdown cut short by the host's process.exit(), pushes still in
// flight at the signal deadline, a backlog re-send that held a short CLI past its deadline, and a
// backlog sent twice at once.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, pollUntil } from '../../../../testing/backends.js';
import { startPushReceiver, type PushReceiver } from '../helpers/pushReceiver.js';
import { requireBuilt, runNode, type ChildRun } from '../helpers/runNode.js';
import { spooledFiles } from '../helpers/spool.js';

const EXIT_FIXTURE = 'packages/node/test/fixtures/exit.mjs';
const PUSH_FIXTURE = 'packages/node/test/fixtures/pushRun.mjs';

/** The environment that points one push at `url`, and the spool folder it uses. */
const PUSHES = {
  remoteWrite: { folder: 'remote-write', env: (url: string) => ({ LOOKOUT_REMOTE_WRITE_URL: `${url}/api/v1/write` }) },
  pushgateway: { folder: 'pushgateway', env: (url: string) => ({ LOOKOUT_PUSHGATEWAY_URL: url }) },
  otlp: { folder: 'otlp', env: (url: string) => ({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${url}/v1/metrics` }) },
} as const;
type Push = keyof typeof PUSHES;

/** Payload files `push` left in `spool`. */
function spooled(spool: string, push: Push): string[] {
  return spooledFiles(join(spool, PUSHES[push].folder));
}

/** Runs the exit fixture and sends SIGTERM once it waits. */
function runUntilSigterm(env: Record<string, string>): Promise<ChildRun> {
  return runNode([EXIT_FIXTURE], env, (child, out) => {
    void pollUntil('waiting', async () => (out.stdout().includes('waiting') ? true : undefined), 10_000).then(() => child.kill('SIGTERM'));
  });
}

describe('initMonitoring', () => {
  let ok: PushReceiver;
  let hanging: PushReceiver;
  beforeAll(async () => {
    requireBuilt('core', 'node');
    [ok, hanging] = await Promise.all([startPushReceiver({ status: 200 }), startPushReceiver('hang')]);
  });
  afterAll(() => {
    ok.close();
    hanging.close();
  });

  describe('exit during shutdown', () => {
    it.each(['remoteWrite', 'pushgateway'] as const)('should spool the %s push when the host SIGTERM handler calls process.exit()', async (push) => {
      const spool = makeTempDir('exit-host');
      const run = await runUntilSigterm({ MODE: 'host-exits', LOOKOUT_SPOOL_DIR: spool, ...PUSHES[push].env(ok.url) });
      expect(run.code, run.stderr).toBe(0);
      expect(spooled(spool, push)).toHaveLength(1);
    });
  });

  describe('exit deadline', () => {
    it.each(['pushgateway', 'otlp', 'remoteWrite'] as const)('should spool the %s push still in flight when SIGTERM has no host handler', async (push) => {
      const spool = makeTempDir('exit-signal');
      const run = await runUntilSigterm({ MODE: 'no-handler', LOOKOUT_SPOOL_DIR: spool, LOOKOUT_EXIT_DEADLINE_MS: '1000', ...PUSHES[push].env(hanging.url) });
      expect(run.signal).toBe('SIGTERM');
      expect(spooled(spool, push)).toHaveLength(1);
    });

    it.each(['pushgateway', 'otlp'] as const)('should spool the %s push still in flight when shutdown(ms) returns', async (push) => {
      const spool = makeTempDir('exit-shutdown');
      const run = await runNode([EXIT_FIXTURE], { MODE: 'shutdown-then-exit', SHUTDOWN_MS: '300', LOOKOUT_SPOOL_DIR: spool, LOOKOUT_EXIT_DEADLINE_MS: '1000', ...PUSHES[push].env(hanging.url) });
      expect(run.code, run.stderr).toBe(0);
      expect(spooled(spool, push)).toHaveLength(1);
    });

    it.each(['remoteWrite', 'pushgateway'] as const)('should end a short CLI by the deadline while the %s backlog cannot be sent', async (push) => {
      const spool = makeTempDir('exit-backlog');
      const env = { LOOKOUT_SPOOL_DIR: spool, DEADLINE_MS: '1000', ...PUSHES[push].env(hanging.url) };
      const first = await runNode([PUSH_FIXTURE], { ...env, MODE: 'exit' });
      expect(first.code, first.stderr).toBe(0);
      expect(spooled(spool, push)).toHaveLength(1);
      const second = await runNode([PUSH_FIXTURE], { ...env, MODE: 'natural' });
      expect(second.code, second.stderr).toBe(0);
      expect(second.ms).toBeLessThan(1000 + 2000);
      // The backlog stays for a later run, and this run's push (cut at the deadline) joins it.
      expect(spooled(spool, push)).toHaveLength(2);
    });
  });

  describe('spool re-send', () => {
    it.each(['natural', 'shutdown'])('should send each spooled Pushgateway payload once when the exit push (%s) joins the re-send', async (mode) => {
      const gateway = await startPushReceiver({ status: 503 });
      try {
        const spool = makeTempDir('exit-dup');
        const env = { LOOKOUT_SPOOL_DIR: spool, MODE: mode, ...PUSHES.pushgateway.env(gateway.url) };
        await runNode([PUSH_FIXTURE], { ...env, ITEMS: '1' });
        expect(spooled(spool, 'pushgateway')).toHaveLength(1);
        gateway.bodies.length = 0;
        gateway.answer = { status: 200, delayMs: 300 };
        const run = await runNode([PUSH_FIXTURE], { ...env, ITEMS: '2' });
        expect(run.code, run.stderr).toBe(0);
        const values = gateway.bodies.map((b) => /fixture_push_items_total\{[^}]*\} (\d+)/.exec(b.toString('utf8'))?.[1]);
        expect(values).toEqual(['1', '2']);
      } finally {
        gateway.close();
      }
    });
  });
});
