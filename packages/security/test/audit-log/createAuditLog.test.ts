import { readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createSecurityLogger } from '@lookout/security';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { auditEvent as event, readLines, segments, tempDir } from '../helpers/auditFiles.js';

const quiet = createDiagnostics({ level: 'none' });

describe('createAuditLog', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  describe('append', () => {
    it('should write JSON lines carrying seq, the previous hash, their own hash and a MAC', async () => {
      const log = createAuditLog({ dir, key: 'k', diagnostics: quiet });
      log.append(event(1));
      log.append(event(2));
      const result = await log.close();
      expect(result).toMatchObject({ ok: true, lastSeq: 2, pending: 0 });
      const lines = (await readLines(join(dir, 'audit-000000000001.jsonl'))).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ seq: 1, prev: '0'.repeat(64), event: { id: 'e1' } });
      expect(lines[1]?.prev).toBe(lines[0]?.hash);
      expect(lines[1]?.mac).toMatch(/^[0-9a-f]{64}$/);
      const head = JSON.parse(await readFile(join(dir, 'audit.head.json'), 'utf8')) as Record<string, unknown>;
      expect(head).toMatchObject({ seq: 2, hash: lines[1]?.hash, file: 'audit-000000000001.jsonl' });
    });

    it('should continue the chain after a restart', async () => {
      const first = createAuditLog({ dir, diagnostics: quiet });
      first.append(event(1));
      await first.close();
      const second = createAuditLog({ dir, diagnostics: quiet });
      second.append(event(2));
      await second.close();
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 2 });
    });

    it('should refuse garbage without throwing, with one diagnostic per kind of problem', async () => {
      const warnings: string[] = [];
      const diagnostics = createDiagnostics({ logger: { warn: (m) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {} } });
      const log = createAuditLog({ dir, diagnostics });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(log.append(null as unknown as object)).toBe(false);
      expect(log.append(cyclic)).toBe(false);
      expect(log.append({ big: 1n } as unknown as object)).toBe(false);
      await log.close();
      expect(log.stats.dropped).toBe(3);
      expect(warnings.length).toBe(2);
      expect(log.append(event(1))).toBe(false);
    });

    it('should report invalid options once and fall back to defaults', async () => {
      const warnings: string[] = [];
      const diagnostics = createDiagnostics({ logger: { warn: (m) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {} } });
      const log = createAuditLog({ dir, diagnostics, maxFileBytes: -5 });
      log.append(event(1));
      expect((await log.close()).ok).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('maxFileBytes');
    });

    it('should flush on its own once maxBatchRecords are pending', async () => {
      const log = createAuditLog({ dir, diagnostics: quiet, maxBatchRecords: 3, fsync: false });
      for (let i = 1; i <= 3; i++) log.append(event(i));
      await expect.poll(() => log.stats.written, { timeout: 2000 }).toBe(3);
      await log.close();
    });
  });

  describe('rotation', () => {
    it('should rotate by size and carry the chain across files', async () => {
      const log = createAuditLog({ dir, diagnostics: quiet, maxFileBytes: 2048, fsync: false });
      for (let i = 1; i <= 40; i++) log.append(event(i));
      await log.close();
      const files = await segments(dir);
      expect(files.length).toBeGreaterThan(3);
      expect(log.stats.rotations).toBe(files.length - 1);
      for (const f of files) expect((await readFile(join(dir, f))).length).toBeLessThanOrEqual(2048);
      const second = await readLines(join(dir, files[1] as string));
      expect(files[1]).toBe(`audit-${String((JSON.parse(second[0] as string) as { seq: number }).seq).padStart(12, '0')}.jsonl`);
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 40 });
    });

    it('should rotate by age', async () => {
      let now = 1_700_000_000_000;
      const log = createAuditLog({ dir, diagnostics: quiet, maxFileAgeMs: 60_000, now: () => now, fsync: false });
      log.append(event(1));
      await log.flush();
      now += 30_000;
      log.append(event(2));
      await log.flush();
      expect(await segments(dir)).toHaveLength(1);
      now += 30_000;
      log.append(event(3));
      await log.close();
      expect(await segments(dir)).toEqual(['audit-000000000001.jsonl', 'audit-000000000003.jsonl']);
    });
  });

  describe('retention', () => {
    it('should delete whole expired files, record it in the chain, and still verify', async () => {
      let now = 1_700_000_000_000;
      const log = createAuditLog({ dir, diagnostics: quiet, maxFileAgeMs: 1000, retention: { maxAgeMs: 10_000 }, now: () => now, fsync: false });
      for (let i = 1; i <= 5; i++) {
        log.append(event(i));
        await log.flush();
        const files = await segments(dir);
        // File mtimes follow the fake clock so "expired" is decided by it.
        const t = new Date(now);
        await utimes(join(dir, files.at(-1) as string), t, t);
        now += 4000;
      }
      now += 60_000;
      log.append(event(6));
      await log.close();
      const files = await segments(dir);
      expect(files[0]).not.toBe('audit-000000000001.jsonl');
      expect(log.stats.filesDeleted).toBeGreaterThan(0);
      const result = await verifyAuditLog(dir);
      expect(result.status).toBe('ok');
      expect(result.retentionDeletions.length).toBeGreaterThan(0);
      const deleted = result.retentionDeletions.flatMap((d) => d.files);
      for (const name of deleted) expect(files).not.toContain(name);
      expect(result.retentionDeletions.at(-1)?.throughSeq).toBe((result.firstSeq ?? 0) - 1);
    });

    it('should keep at most maxFiles files', async () => {
      const log = createAuditLog({ dir, diagnostics: quiet, maxFileBytes: 1024, retention: { maxFiles: 3 }, fsync: false });
      for (let i = 1; i <= 30; i++) {
        log.append(event(i));
        if (i % 3 === 0) await log.flush();
      }
      await log.close();
      expect((await segments(dir)).length).toBeLessThanOrEqual(4);
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok' });
    });
  });

  describe('sink', () => {
    it('should record the security logger\'s redacted events', async () => {
      const log = createAuditLog({ dir, diagnostics: quiet });
      const logger = createSecurityLogger({ sinks: [log.sink], diagnostics: quiet });
      logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'u1', details: { password: 'hunter2', note: 'line\nforged' } });
      await logger.shutdown();
      const text = await readFile(join(dir, 'audit-000000000001.jsonl'), 'utf8');
      expect(text).not.toContain('hunter2');
      expect(text.split('\n').filter(Boolean)).toHaveLength(1);
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 1 });
    });
  });
});

describe('verifyAuditLog at scale', () => {
  it('should verify an untouched log of 100,000 records', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const log = createAuditLog({ dir, diagnostics: quiet, fsync: false, maxPendingRecords: 200_000, maxBatchRecords: 200_000, key: 'k' });
      for (let i = 1; i <= 100_000; i++) log.append({ id: `e${i}`, time: i, type: 'authentication', action: 'authn_login_success', outcome: 'success', risk: 'low', actor: `user${i % 100}` });
      expect((await log.close()).lastSeq).toBe(100_000);
      const result = await verifyAuditLog(dir, { key: 'k' });
      expect(result).toMatchObject({ status: 'ok', records: 100_000, firstSeq: 1, lastSeq: 100_000 });
    } finally {
      await cleanup();
    }
  }, 60_000);
});
