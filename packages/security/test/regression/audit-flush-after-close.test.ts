import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { auditEvent, tempDirEachTest } from '../helpers/auditFiles.js';

const quiet = createDiagnostics({ level: 'none' });

// flush() after close() took the writer lock again and reopened the file, holding both until the
// process exited: the next writer of the directory was locked out.
describe('createAuditLog', () => {
  describe('flush after close', () => {
    const tempDir = tempDirEachTest();

    it('should neither take the lock again nor open a file, and leave the directory to the next writer', async () => {
      const dir = tempDir();
      const registry = createMetricsRegistry();
      const log = createAuditLog({ dir, diagnostics: quiet, registry });
      log.append(auditEvent(1));
      await log.close();
      expect(await log.flush()).toMatchObject({ ok: true, lastSeq: 1, pending: 0 });
      expect(log.append(auditEvent(2))).toBe(false);
      expect(await log.flush()).toMatchObject({ lastSeq: 1, pending: 0 });
      expect(log.isWriter()).toBe(false);
      expect(existsSync(join(dir, 'audit.lock'))).toBe(false);

      const next = createAuditLog({ dir, diagnostics: quiet, registry });
      await next.ready();
      expect(next.isWriter()).toBe(true);
      next.append(auditEvent(3));
      await next.close();
      expect(log.stats).toMatchObject({ written: 1, dropped: 1 });
      expect(await renderPrometheus(registry)).toContain('lookout_security_events_dropped_total{reason="audit_closed"} 1');
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 2 });
    });
  });
});
