import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createAuditLog } from '@lookout/security/audit-log';
import { auditEvent, tempDirEachTest } from '../helpers/auditFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';
import { fileHandlePrototype, fsError } from '../helpers/fileHandles.js';

// close() counted the records it gave up on only when no lock was held: a writer whose last
// write failed (a full disk) lost them uncounted, and a log whose directory could not even be
// created had them counted as "audit_locked", with a message blaming another writer.
describe('createAuditLog', () => {
  describe('close with records it could not write', () => {
    const tempDir = tempDirEachTest();

    it('should count them as audit_write_failed when the writer holds the lock but writing fails', async () => {
      const registry = createMetricsRegistry();
      const { diagnostics, messages } = recordingDiagnostics();
      const log = createAuditLog({ dir: tempDir(), diagnostics, registry });
      await log.ready();
      vi.spyOn(await fileHandlePrototype(), 'write').mockRejectedValue(fsError('ENOSPC'));
      for (let i = 1; i <= 3; i++) log.append(auditEvent(i));
      expect(await log.close()).toMatchObject({ ok: false, pending: 0 });
      expect(log.stats).toMatchObject({ appended: 3, written: 0, dropped: 3, lockDropped: 0 });
      expect(await renderPrometheus(registry)).toContain('lookout_security_events_dropped_total{reason="audit_write_failed"} 3');
      const closing = messages.filter((m) => m.includes('never written'));
      expect(closing).toHaveLength(1);
      expect(closing[0]).toContain('ENOSPC');
      expect(messages.join('\n')).not.toContain('another writer');
    });

    it('should count them as audit_open_failed, not audit_locked, when the directory cannot be created', async () => {
      const registry = createMetricsRegistry();
      const { diagnostics, messages } = recordingDiagnostics();
      const notADir = join(tempDir(), 'file');
      await writeFile(notADir, '');
      const log = createAuditLog({ dir: join(notADir, 'audit'), diagnostics, registry });
      await log.ready();
      log.append(auditEvent(1));
      log.append(auditEvent(2));
      expect(await log.close()).toMatchObject({ ok: false, pending: 0 });
      expect(log.stats).toMatchObject({ dropped: 2, lockDropped: 0 });
      const metrics = await renderPrometheus(registry);
      expect(metrics).toContain('lookout_security_events_dropped_total{reason="audit_open_failed"} 2');
      expect(metrics).not.toContain('audit_locked');
      const closing = messages.filter((m) => m.includes('never written'));
      expect(closing).toHaveLength(1);
      expect(closing[0]).toContain('ENOTDIR');
      expect(messages.join('\n')).not.toContain('another writer');
    });
  });
});
