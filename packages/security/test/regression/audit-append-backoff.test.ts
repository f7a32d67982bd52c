import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { acquireAuditLock } from '../../src/audit-log/writerLock.js';
import { auditEvent, tempDirEachTest } from '../helpers/auditFiles.js';
import { fileHandlePrototype, fsError } from '../helpers/fileHandles.js';

// Counts the log's attempts to take its lock.
vi.mock('../../src/audit-log/writerLock.js', async (importOriginal) => {
  const lock = await importOriginal<typeof import('../../src/audit-log/writerLock.js')>();
  return { ...lock, acquireAuditLock: vi.fn(lock.acquireAuditLock) };
});

const quiet = createDiagnostics({ level: 'none' });
const APPENDS = 5000;
const MAX_BATCH = 10;

/** Appends like a busy host: a few records per turn of the event loop, so flushes get to run in between. */
async function appendSpread(log: ReturnType<typeof createAuditLog>): Promise<void> {
  for (let i = 1; i <= APPENDS; i++) {
    log.append(auditEvent(i));
    if (i % MAX_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

// Every append past maxBatchRecords started a full flush, so while the lock was held by another
// writer, or writes kept failing, 5,000 appends made thousands of lock attempts or writes,
// bypassing the backoff between attempts.
describe('createAuditLog', () => {
  describe('append while the log cannot write', () => {
    const tempDir = tempDirEachTest();
    // Only the backoff timers are faked: they fire when the test says so.
    beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
    afterEach(() => vi.useRealTimers());

    it('should not try the lock at each append while another writer holds it', async () => {
      const dir = tempDir();
      const holder = createAuditLog({ dir, diagnostics: quiet });
      await holder.ready();
      const waiting = createAuditLog({ dir, diagnostics: quiet, maxBatchRecords: MAX_BATCH });
      await waiting.ready();
      const attempts = vi.mocked(acquireAuditLock);
      attempts.mockClear();
      await appendSpread(waiting);
      // Whatever the appends queued has run once this explicit flush (one attempt of its own) is over.
      expect((await waiting.flush()).ok).toBe(false);
      expect(attempts).toHaveBeenCalledTimes(1);
      // The backoff timer does try again.
      await vi.advanceTimersByTimeAsync(100);
      await expect.poll(() => attempts.mock.calls.length).toBe(2);
      expect(waiting.stats).toMatchObject({ appended: APPENDS, written: 0, dropped: 0 });
      await holder.close();
      await waiting.close();
    });

    it('should not write at each append while writes keep failing, and write everything once the disk recovers', async () => {
      const dir = tempDir();
      const log = createAuditLog({ dir, diagnostics: quiet, maxBatchRecords: MAX_BATCH, fsync: false });
      await log.ready();
      const writes = vi.spyOn(await fileHandlePrototype(), 'write').mockRejectedValue(fsError('ENOSPC'));
      await appendSpread(log);
      expect((await log.flush()).ok).toBe(false);
      expect(writes).toHaveBeenCalledTimes(2);
      expect(log.stats.writeErrors).toBe(2);
      writes.mockRestore();
      await vi.advanceTimersByTimeAsync(100);
      await expect.poll(() => log.stats.written).toBe(APPENDS);
      await log.close();
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: APPENDS });
    });
  });
});
