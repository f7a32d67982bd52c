import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createAuditLog, MAX_AUDIT_RECORD_BYTES, verifyAuditLog } from '@lookout/security/audit-log';
import { MAX_AUDIT_LINE_BYTES } from '../../src/audit-log/format.js';
import { LineCursor } from '../../src/audit-log/LineCursor.js';
import { auditEvent, segments, tempDirEachTest } from '../helpers/auditFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

/** Far more than the writer could put on one line, and several of the cursor's 1 MiB reads. */
const CRAFTED_BYTES = 8 * 1024 * 1024;

// LineCursor gathered an unterminated line without bound, concatenating the whole line so far
// at each 1 MiB read: a crafted log with no newlines made the verifier's memory and time grow
// with the square of the file, and the line was then taken for a crash's torn last line.
describe('verifyAuditLog', () => {
  const tempDir = tempDirEachTest();

  async function logWithCraftedLine(): Promise<string> {
    const dir = tempDir();
    const log = createAuditLog({ dir, fsync: false, diagnostics: recordingDiagnostics().diagnostics });
    log.append(auditEvent(1));
    await log.close();
    await appendFile(join(dir, (await segments(dir))[0] as string), Buffer.alloc(CRAFTED_BYTES, 0x78));
    return dir;
  }

  it('should call a line longer than the writer ever writes tampered, not torn', async () => {
    const dir = await logWithCraftedLine();
    const result = await verifyAuditLog(dir);
    expect(result).toMatchObject({ status: 'tampered', records: 1, problem: { kind: 'altered', line: 2 } });
    expect(result.message).toContain('longer than');
  });

  it('should keep at most one line\'s worth of it, copied once', async () => {
    const dir = await logWithCraftedLine();
    const concat = vi.spyOn(Buffer, 'concat');
    const cursor = new LineCursor(dir, await segments(dir));
    try {
      expect((await cursor.next())?.overlong).toBe(false);
      const crafted = await cursor.next();
      expect(crafted).toMatchObject({ line: 2, terminated: false, last: true, overlong: true });
      expect(crafted?.bytes.length).toBeLessThanOrEqual(MAX_AUDIT_LINE_BYTES);
      expect(await cursor.next()).toBeUndefined();
    } finally {
      await cursor.close();
    }
    const copied = concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
    expect(copied).toBeLessThanOrEqual(MAX_AUDIT_LINE_BYTES);
  });
});

describe('createAuditLog', () => {
  const tempDir = tempDirEachTest();

  it('should refuse a record larger than MAX_AUDIT_RECORD_BYTES, counted, with one warning', async () => {
    const registry = createMetricsRegistry();
    const { diagnostics, messages } = recordingDiagnostics();
    const dir = tempDir();
    const log = createAuditLog({ dir, diagnostics, registry });
    const huge = { ...auditEvent(1), details: { blob: 'x'.repeat(MAX_AUDIT_RECORD_BYTES) } };
    expect(log.append(huge)).toBe(false);
    expect(log.append(huge)).toBe(false);
    expect(log.append(auditEvent(2))).toBe(true);
    await log.close();
    expect(log.stats).toMatchObject({ appended: 1, dropped: 2 });
    expect(await renderPrometheus(registry)).toContain('lookout_security_events_dropped_total{reason="audit_invalid"} 2');
    expect(messages.filter((m) => m.includes(String(MAX_AUDIT_RECORD_BYTES)))).toHaveLength(1);
    expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 1 });
  });

  it('should still write a record of exactly MAX_AUDIT_RECORD_BYTES that verify accepts', async () => {
    const dir = tempDir();
    const log = createAuditLog({ dir, diagnostics: recordingDiagnostics().diagnostics });
    const event = auditEvent(1);
    const padding = MAX_AUDIT_RECORD_BYTES - Buffer.byteLength(JSON.stringify({ ...event, details: { blob: '' } }));
    expect(log.append({ ...event, details: { blob: 'é'.repeat(padding / 2) } })).toBe(true);
    await log.close();
    expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 1 });
  });
});
