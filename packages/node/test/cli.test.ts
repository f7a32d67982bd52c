import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type PushgatewayHandle } from '../../../testing/backends.js';
import { CLI_EXIT, maskConfig, runLookoutCli } from '../src/cli/index.js';

function io(env: Record<string, string | undefined> = {}): { io: Parameters<typeof runLookoutCli>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env }, out: () => out, err: () => err };
}

describe('lookout', () => {
  let gateway: PushgatewayHandle;
  beforeAll(async () => {
    gateway = await startPushgateway();
  }, 30_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  describe('--help and usage errors', () => {
    it('should print help with exit code 0, and fail with 2 on no or unknown commands', async () => {
      const help = io();
      expect(await runLookoutCli(['--help'], help.io)).toBe(CLI_EXIT.OK);
      expect(help.out()).toContain('  doctor [--config');
      expect(help.out()).toContain('audit verify');
      const none = io();
      expect(await runLookoutCli([], none.io)).toBe(CLI_EXIT.USAGE);
      const unknown = io();
      expect(await runLookoutCli(['frobnicate'], unknown.io)).toBe(CLI_EXIT.USAGE);
      expect(unknown.err()).toContain('unknown command "frobnicate"');
    });
  });

  describe('doctor', () => {
    it('should print the resolved configuration with secrets masked and pass when every backend answers', async () => {
      const spool = mkdtempSync(join(tmpdir(), 'doctor-'));
      const run = io({
        LOOKOUT_PUSHGATEWAY_URL: gateway.url,
        LOOKOUT_SENTRY_DSN: undefined,
        LOOKOUT_REMOTE_WRITE_HEADERS: 'authorization=Bearer%20s3cr3t',
        LOOKOUT_SPOOL_DIR: spool,
        OTEL_SERVICE_NAME: 'doctor-test',
      });
      const code = await runLookoutCli(['doctor', '--json'], run.io);
      const report = JSON.parse(run.out()) as { ok: boolean; config: { serviceName: string }; checks: { name: string; ok: boolean }[] };
      expect(code).toBe(CLI_EXIT.OK);
      expect(report.config.serviceName).toBe('doctor-test');
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ['Pushgateway', true],
        ['spool folder', true],
      ]);
      expect(run.out()).not.toContain('s3cr3t');
    });

    it('should fail with exit code 1 naming the backend that does not answer, and mask DSN keys and header values', async () => {
      const run = io({ LOOKOUT_REMOTE_WRITE_URL: 'http://127.0.0.1:9/api/v1/write', LOOKOUT_REMOTE_WRITE_HEADERS: 'authorization=Bearer%20s3cr3t', LOOKOUT_SENTRY_DSN: 'http://publickey123@127.0.0.1:9/42', LOOKOUT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'doctor-')) });
      const code = await runLookoutCli(['doctor'], run.io);
      expect(code).toBe(CLI_EXIT.CHECK_FAILED);
      expect(run.out()).toMatch(/FAIL remote write: http:\/\/127\.0\.0\.1:9 does not answer/);
      expect(run.out()).toMatch(/FAIL Sentry/);
      expect(run.out()).not.toContain('publickey123');
      expect(run.out()).not.toContain('s3cr3t');
    });

    it('should report configuration problems from the environment without failing on them', async () => {
      const run = io({ LOOKOUT_PROMETHEUS_PORT: 'ninety', LOOKOUT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'doctor-')) });
      expect(await runLookoutCli(['doctor'], run.io)).toBe(CLI_EXIT.OK);
      expect(run.out()).toContain('LOOKOUT_PROMETHEUS_PORT="ninety" is not an integer');
    });

    it('should read initMonitoring() options from --config and reject an unreadable file with exit code 2', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'doctor-')), 'lookout.json');
      writeFileSync(file, JSON.stringify({ serviceName: 'from-file', spool: false }));
      const run = io();
      expect(await runLookoutCli(['doctor', '--config', file, '--json'], run.io)).toBe(CLI_EXIT.OK);
      expect(JSON.parse(run.out()).config.serviceName).toBe('from-file');
      const bad = io();
      expect(await runLookoutCli(['doctor', '--config', `${file}.missing`], bad.io)).toBe(CLI_EXIT.USAGE);
    });
  });

  describe('audit verify', () => {
    it('should delegate to @lookout/security and return its exit code', async () => {
      const run = io();
      expect(await runLookoutCli(['audit', 'verify', '--help'], run.io)).toBe(0);
      expect(run.out()).toContain('usage: lookout audit verify');
      const missing = io();
      expect(await runLookoutCli(['audit', 'verify', join(tmpdir(), 'no-such-audit-log')], missing.io)).toBe(2);
    });
  });

  describe('maskConfig', () => {
    it('should mask credentials in URLs, header values and keys', () => {
      expect(maskConfig({ url: 'https://user:pw@h/x?token=abc&a=1', headers: { authorization: 'x' }, auditLog: { key: 'k' } })).toEqual({
        url: 'https://***:***@h/x?token=***&a=1',
        headers: { authorization: '***' },
        auditLog: { key: '***' },
      });
    });
  });
});
