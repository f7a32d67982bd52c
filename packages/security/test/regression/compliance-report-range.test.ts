import { describe, expect, it } from 'vitest';
import { createComplianceAccumulator, createSecurityLogger } from '@lookout/security';
import { complianceReport, createAuditLog } from '@lookout/security/audit-log';
import { tempDirEachTest } from '../helpers/auditFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

/** The latest and earliest instants a JavaScript Date holds (ECMA-262: ±100,000,000 days). */
const LATEST = '+275760-09-13T00:00:00.000Z';
const EARLIEST = '-271821-04-20T00:00:00.000Z';
const T0 = Date.parse('2025-03-01T00:00:00Z');

// complianceReport(dir, { to: 1e16 }) rejected with a RangeError from toISOString, although it
// is documented never to reject; an unreadable `from` or `to` fell back to "all time" silently.
describe('complianceReport', () => {
  const tempDir = tempDirEachTest();

  it('should clamp a period past what a Date holds, with one diagnostic per bound, and still count', async () => {
    const dir = tempDir();
    const log = createAuditLog({ dir, fsync: false, diagnostics: recordingDiagnostics().diagnostics });
    const logger = createSecurityLogger({ sinks: [log.sink], diagnostics: recordingDiagnostics().diagnostics });
    logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'u1', time: T0 });
    await logger.shutdown();
    const { diagnostics, messages } = recordingDiagnostics();
    const report = await complianceReport(dir, { from: -1e16, to: 1e16, diagnostics });
    expect(report.period).toEqual({ from: EARLIEST, to: LATEST });
    expect(report).toMatchObject({ events: 1, failedAuthentications: 1, tamperCheck: { status: 'ok' } });
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('from');
    expect(messages[1]).toContain('to');
  });

  it('should report an unreadable bound once and use the default', async () => {
    const { diagnostics, messages } = recordingDiagnostics();
    const report = await complianceReport(tempDir(), { to: 'next tuesday', diagnostics });
    expect(report.period.to).toBe(LATEST);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('next tuesday');
  });

  it('should resolve with an error tamper check, not reject, for something that is neither a log nor a path', async () => {
    for (const garbage of [null, undefined, 42, {}]) {
      const report = await complianceReport(garbage as unknown as string);
      expect(report.tamperCheck.status).toBe('error');
    }
    const report = await complianceReport(tempDir(), null as unknown as undefined);
    expect(report.tamperCheck.status).not.toBe('ok');
  });
});

describe('createComplianceAccumulator', () => {
  it('should never throw for a period or a generatedAt out of range', () => {
    const { diagnostics } = recordingDiagnostics();
    const acc = createComplianceAccumulator({ from: Number.MAX_VALUE, to: -Infinity, diagnostics });
    expect(() => acc.finish({ generatedAt: 1e300 })).not.toThrow();
    expect(Date.parse(acc.finish({ generatedAt: 1e300 }).generatedAt)).toBeGreaterThan(0);
  });
});
