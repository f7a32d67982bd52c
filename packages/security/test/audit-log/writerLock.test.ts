import { existsSync, readFileSync } from 'node:fs';
import { unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, snapshotMetric } from '@lookout/core';
import { AUDIT_VERIFY_EXIT, createAuditLog, runAuditVerifyCommand, verifyAuditLog } from '@lookout/security/audit-log';
import { auditEvent, deadPid, tempDir } from '../helpers/auditFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

const event = (i: number, actor = 'x'): Record<string, unknown> => ({ ...auditEvent(i), actor });

const lockOf = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'audit.lock'), 'utf8')) as Record<string, unknown>;

describe('createAuditLog', () => {
  describe('writer lock', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir()));
    afterEach(() => cleanup());

    it('should write pid, host and start time into <prefix>.lock and remove it at close', async () => {
      const log = createAuditLog({ dir, prefix: 'trail', diagnostics: createDiagnostics({ level: 'none' }) });
      await log.ready();
      expect(log.isWriter()).toBe(true);
      const lock = JSON.parse(readFileSync(join(dir, 'trail.lock'), 'utf8')) as Record<string, unknown>;
      expect(lock).toMatchObject({ pid: process.pid, hostname: hostname() });
      expect(Date.parse(String(lock.startedAt))).toBeGreaterThan(Date.now() - 60_000);
      await log.close();
      expect(existsSync(join(dir, 'trail.lock'))).toBe(false);
      expect(log.isWriter()).toBe(false);
    });

    it('should keep a second log in the same process out until the first closes, then take over and write what waited', async () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const first = createAuditLog({ dir, diagnostics });
      await first.ready();
      const second = createAuditLog({ dir, diagnostics, lockRetryMaxMs: 100 });
      await second.ready();
      expect(second.isWriter()).toBe(false);
      expect(second.append(event(1, 'second'))).toBe(true);
      first.append(event(2, 'first'));
      expect((await second.flush()).ok).toBe(false);
      expect(messages.filter((m) => m.includes('is locked by another writer'))).toHaveLength(1);
      expect(messages.find((m) => m.includes('is locked'))).toContain(`pid ${process.pid}`);
      await first.close();
      await expect.poll(() => second.isWriter(), { timeout: 3000 }).toBe(true);
      await expect.poll(() => second.stats.written, { timeout: 3000 }).toBe(1);
      await second.close();
      expect(second.stats).toMatchObject({ dropped: 0, takeovers: 0 });
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 2 });
    });

    it('should never take a lock held by a writer on another host, and count what it drops at close', async () => {
      await writeFile(join(dir, 'audit.lock'), JSON.stringify({ pid: deadPid(), hostname: 'elsewhere.example', startedAt: '2025-01-01T00:00:00.000Z', token: 't' }));
      const { diagnostics, messages } = recordingDiagnostics();
      const registry = createMetricsRegistry();
      const log = createAuditLog({ dir, diagnostics, registry });
      await log.ready();
      expect(log.isWriter()).toBe(false);
      for (let i = 1; i <= 3; i++) log.append(event(i));
      const result = await log.close();
      expect(result).toMatchObject({ ok: false, pending: 0 });
      expect(log.stats).toMatchObject({ appended: 3, written: 0, dropped: 3, lockDropped: 3 });
      expect(snapshotMetric(registry, 'lookout_security_events_dropped_total', { matchers: { reason: 'audit_locked' } })?.series[0]?.value).toBe(3);
      expect(messages.some((m) => m.includes('elsewhere.example') && m.includes('delete the lock file'))).toBe(true);
      expect(messages.some((m) => m.includes('3 record(s) were never written'))).toBe(true);
      expect(lockOf(dir)).toMatchObject({ hostname: 'elsewhere.example' });
    });

    it('should take over the lock of a pid that no longer runs on this host', async () => {
      const pid = deadPid();
      await writeFile(join(dir, 'audit.lock'), JSON.stringify({ pid, hostname: hostname(), startedAt: '2025-01-01T00:00:00.000Z', token: 't' }));
      const { diagnostics, messages } = recordingDiagnostics();
      const log = createAuditLog({ dir, diagnostics });
      await log.ready();
      expect(log.isWriter()).toBe(true);
      expect(log.stats.takeovers).toBe(1);
      expect(messages.some((m) => m.includes(`from a writer that is gone (pid ${pid}`))).toBe(true);
      expect(lockOf(dir)).toMatchObject({ pid: process.pid });
      await log.close();
    });

    it('should take over a lock naming a live pid that has been reused by a later process (Linux start time)', async () => {
      // pid 1 is alive, but its start time is not the one recorded.
      await writeFile(join(dir, 'audit.lock'), JSON.stringify({ pid: 1, hostname: hostname(), startedAt: '2025-01-01T00:00:00.000Z', token: 't', procStart: '-1' }));
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      await log.ready();
      expect(log.isWriter()).toBe(existsSync('/proc/1/stat'));
      await log.close();
    });

    it('should leave a live owner alone (pid alive, no start time to compare)', async () => {
      await writeFile(join(dir, 'audit.lock'), JSON.stringify({ pid: process.ppid, hostname: hostname(), startedAt: '2025-01-01T00:00:00.000Z', token: 't' }));
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      await log.ready();
      expect(log.isWriter()).toBe(false);
      await log.close();
      expect(lockOf(dir)).toMatchObject({ pid: process.ppid });
    });

    it('should leave an unreadable lock alone while it is fresh, and take it once it is old', async () => {
      const path = join(dir, 'audit.lock');
      await writeFile(path, '');
      const fresh = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      await fresh.ready();
      expect(fresh.isWriter()).toBe(false);
      await fresh.close();
      const old = new Date(Date.now() - 60_000);
      await utimes(path, old, old);
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      await log.ready();
      expect(log.isWriter()).toBe(true);
      await log.close();
    });

    it('should stop writing when its lock file is replaced, and continue the chain once it holds the lock again', async () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const log = createAuditLog({ dir, diagnostics, lockRetryMaxMs: 100 });
      log.append(event(1));
      expect((await log.flush()).ok).toBe(true);
      const path = join(dir, 'audit.lock');
      await writeFile(path, JSON.stringify({ pid: process.ppid, hostname: hostname(), startedAt: '2025-01-01T00:00:00.000Z', token: 'other' }));
      log.append(event(2));
      expect((await log.flush()).ok).toBe(false);
      expect(log.isWriter()).toBe(false);
      expect(messages.some((m) => m.includes('was removed or replaced'))).toBe(true);
      await unlink(path);
      await expect.poll(() => log.stats.written, { timeout: 3000 }).toBe(2);
      await log.close();
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 2 });
    });

    it('should report an invalid lockRetryMaxMs once and use the default', async () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const log = createAuditLog({ dir, diagnostics, lockRetryMaxMs: 5 });
      await log.ready();
      expect(messages).toEqual([expect.stringContaining('lockRetryMaxMs: must be an integer number of ms, at least 100')]);
      expect(log.isWriter()).toBe(true);
      await log.close();
    });

    it('should let verifyAuditLog and `lookout audit verify` read while a writer holds the lock', async () => {
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      log.append(event(1));
      await log.flush();
      expect(existsSync(join(dir, 'audit.lock'))).toBe(true);
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 1 });
      let out = '';
      const code = await runAuditVerifyCommand([dir], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} });
      expect(code).toBe(AUDIT_VERIFY_EXIT.OK);
      expect(out).toContain('OK');
      await log.close();
    });
  });
});
