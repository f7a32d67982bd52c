import type { FileHandle } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { auditEvent, segments, tempDirEachTest } from '../helpers/auditFiles.js';
import { fsError } from '../helpers/fileHandles.js';

type Fault = 'datasync' | 'close';
/** The next segment file's `datasync` or `close` to fail, once (after doing its work). */
const injected = vi.hoisted(() => ({ fault: undefined as Fault | undefined }));

// `close` is an own property of each FileHandle, so the fault goes in where files are opened.
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const failing = (handle: FileHandle, method: Fault): void => {
    const original = handle[method].bind(handle);
    handle[method] = async () => {
      await original();
      if (injected.fault !== method) return;
      injected.fault = undefined;
      throw fsError('EIO');
    };
  };
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      // Segment files are opened for appending; the directory (synced after a rotation) is not.
      if (args[1] === 'a') for (const method of ['datasync', 'close'] as const) failing(handle, method);
      return handle;
    },
  };
});

const quiet = createDiagnostics({ level: 'none' });
const RECORDS = 20;

// A batch that rotates mid-way writes its first records to the old file, then syncs and closes
// that file. When the sync or the close failed, the error path cut the old file back to its size
// before the batch, deleting records already counted as written: verify then saw a gap.
describe('createAuditLog', () => {
  describe('rotation mid-batch', () => {
    const tempDir = tempDirEachTest();
    afterEach(() => {
      injected.fault = undefined;
    });

    it.each(['datasync', 'close'] as const)('should keep the records written to the old file when its %s fails', async (fault) => {
      const dir = tempDir();
      const log = createAuditLog({ dir, diagnostics: quiet, maxFileBytes: 1024 });
      await log.ready();
      for (let i = 1; i <= RECORDS; i++) log.append(auditEvent(i));
      injected.fault = fault;
      expect((await log.flush()).ok).toBe(false);
      expect(injected.fault).toBeUndefined();
      expect(log.stats.written).toBeGreaterThan(0);
      expect((await log.flush()).ok).toBe(true);
      await log.close();
      expect(log.stats.written).toBe(RECORDS);
      expect((await segments(dir)).length).toBeGreaterThan(1);
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: RECORDS, firstSeq: 1, lastSeq: RECORDS });
    });
  });
});
