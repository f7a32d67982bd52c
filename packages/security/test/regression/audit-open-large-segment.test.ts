import { appendFile, open, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '@lookout/security/audit-log';
import { checkLine } from '../../src/audit-log/format.js';
import { readSegmentEnd } from '../../src/audit-log/segmentEnd.js';
import { auditEvent, segments, tempDirEachTest } from '../helpers/auditFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

/** Past what `fs.readFile` reads into one buffer (2 GiB): made sparse, so it takes no disk. */
const HUGE_BYTES = 3 * 1024 * 1024 * 1024;

// Opening the log read its last segment whole to find the end of its chain: memory grew with the
// segment (`maxFileBytes` has no upper bound, and a file may grow by other hands) and a segment
// past 2 GiB could not be opened at all. Only its first and last lines are read now.
describe('createAuditLog on a large last segment', () => {
  const tempDir = tempDirEachTest();

  /** A log of one segment: a 3 GiB first line of NULs (a hole), then `records` records. */
  async function hugeLog(records: number): Promise<{ dir: string; file: string }> {
    const dir = tempDir();
    const log = createAuditLog({ dir, fsync: false, diagnostics: recordingDiagnostics().diagnostics });
    for (let i = 1; i <= records; i++) log.append(auditEvent(i));
    await log.close();
    const file = join(dir, (await segments(dir))[0] as string);
    const content = await readFile(file);
    await truncate(file, HUGE_BYTES);
    await appendFile(file, Buffer.concat([Buffer.from('\n'), content]));
    return { dir, file };
  }

  /** The records of the last 64 KiB of `file`, checked one by one. */
  async function lastRecords(file: string): Promise<Array<{ seq: number; prev: string; hash: string; sys?: { op: string } }>> {
    const size = (await stat(file)).size;
    const handle = await open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65536), 0, 65536, size - 65536);
    await handle.close();
    const lines = buffer.subarray(0, bytesRead).toString('latin1').split('\n').slice(1, -1);
    return lines.map((line) => {
      const check = checkLine(Buffer.from(line, 'latin1'), undefined);
      if (!check.ok) throw new Error(`a record fails its checks: ${check.fault}`);
      return check.record as { seq: number; prev: string; hash: string; sys?: { op: string } };
    });
  }

  it('should open it and continue the chain after its last record', async () => {
    const { dir, file } = await hugeLog(3);
    const { diagnostics, messages } = recordingDiagnostics();
    const log = createAuditLog({ dir, fsync: false, diagnostics, maxFileBytes: 2 * HUGE_BYTES });
    log.append(auditEvent(4));
    expect((await log.flush()).ok).toBe(true);
    await log.close();
    expect(messages).toEqual([]);
    const records = (await lastRecords(file)).filter((r) => r.seq > 0);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records[3]!.prev).toBe(records[2]!.hash);
  });

  it('should cut a torn last line after a large body and chain the repair record on from the record before it', async () => {
    const { dir, file } = await hugeLog(2);
    await appendFile(file, '{"seq":3,"ts":"2024-01-01T00:00:00.000Z","prev":"ab');
    const log = createAuditLog({ dir, fsync: false, diagnostics: recordingDiagnostics().diagnostics, maxFileBytes: 2 * HUGE_BYTES });
    await log.ready();
    expect(log.stats.repairs).toBe(1);
    log.append(auditEvent(3));
    await log.close();
    const records = await lastRecords(file);
    expect(records.map((r) => [r.seq, r.sys?.op])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, 'repair'],
      [4, undefined],
    ]);
    expect(records[2]!.prev).toBe(records[1]!.hash);
    expect(records[3]!.prev).toBe(records[2]!.hash);
  });

  it('should read a bounded part of the file: a last line longer than any record is hashed as a stream', async () => {
    const { file } = await hugeLog(1);
    await appendFile(file, Buffer.concat([Buffer.alloc(5 * 1024 * 1024, 0x78), Buffer.from('\n')]));
    const end = await readSegmentEnd(file);
    expect(end).toMatchObject({ size: (await stat(file)).size, removed: 0, lastOverlong: true });
    expect(end.lastLine!.length).toBeLessThan(2 * 1024 * 1024);
    expect(end.firstLine!.length).toBeLessThan(2 * 1024 * 1024);
    const { createHash } = await import('node:crypto');
    expect(end.lastLineHash).toBe(createHash('sha256').update(Buffer.alloc(5 * 1024 * 1024, 0x78)).digest('hex'));
  });
});
