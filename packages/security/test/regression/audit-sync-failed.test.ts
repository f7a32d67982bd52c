import { mkdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { auditEvent, tempDirEachTest } from '../helpers/auditFiles.js';
import { fsError } from '../helpers/fileHandles.js';

/** Segment files' next `datasync` fails, once (after doing its work). */
const injected = vi.hoisted(() => ({ failSync: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle: FileHandle = await fs.open(...args);
      if (args[1] === 'a') {
        const original = handle.datasync.bind(handle);
        handle.datasync = async () => {
          await original();
          if (!injected.failSync) return;
          injected.failSync = false;
          throw fsError('EIO');
        };
      }
      return handle;
    },
  };
});

// `flush()` promises that what it reports written is synced and in the head. A failed final
// datasync or head write was caught as a write error but returned "all written", so flush
// resolved ok for records that were not known to be durable, and the head stayed behind.
describe('createAuditLog', () => {
  describe('a failed sync after the records are written', () => {
    const tempDir = tempDirEachTest();
    afterEach(() => {
      injected.failSync = false;
    });

    it('should report the flush as not ok when the datasync fails, and sync again at the next flush', async () => {
      const dir = tempDir();
      const warnings: string[] = [];
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'error', logger: { error: (m: string) => warnings.push(m), warn: () => {}, info: () => {}, debug: () => {} } }) });
      await log.ready();
      for (let i = 1; i <= 5; i++) log.append(auditEvent(i));
      injected.failSync = true;
      expect(await log.flush()).toEqual({ ok: false, lastSeq: 5, pending: 0 });
      expect(injected.failSync).toBe(false);
      expect(log.stats.written).toBe(5);
      expect(warnings.some((w) => w.includes('syncing') && w.includes('EIO'))).toBe(true);
      // Nothing pending, but the sync is owed: the next flush does it.
      expect(await log.flush()).toEqual({ ok: true, lastSeq: 5, pending: 0 });
      expect((await log.close()).ok).toBe(true);
      // Written once each, and the head names the last record.
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 5, lastSeq: 5 });
    });

    it('should report the flush as not ok when the head cannot be written, and write it at the next flush', async () => {
      const dir = tempDir();
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      await log.ready();
      log.append(auditEvent(1));
      expect((await log.flush()).ok).toBe(true);
      // A directory where the head's temporary file goes: writing the head fails with EISDIR.
      const blocker = join(dir, 'audit.head.json.tmp');
      await mkdir(blocker);
      log.append(auditEvent(2));
      expect(await log.flush()).toEqual({ ok: false, lastSeq: 2, pending: 0 });
      await (await import('node:fs/promises')).rm(blocker, { recursive: true });
      expect(await log.flush()).toEqual({ ok: true, lastSeq: 2, pending: 0 });
      await log.close();
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 2, lastSeq: 2 });
    });

    it('should close with ok false while the sync keeps failing', async () => {
      const dir = tempDir();
      const log = createAuditLog({ dir, diagnostics: createDiagnostics({ level: 'none' }) });
      await log.ready();
      log.append(auditEvent(1));
      injected.failSync = true;
      expect((await log.close()).ok).toBe(false);
    });
  });
});
