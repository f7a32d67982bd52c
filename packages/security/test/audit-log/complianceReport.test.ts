import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createComplianceAccumulator, createSecurityLogger, formatComplianceReport } from '@lookout/security';
import { complianceReport, createAuditLog } from '@lookout/security/audit-log';
import type { AuditLog } from '@lookout/security/audit-log';
import { readLines, segments, tempDir, writeLines } from '../helpers/auditFiles.js';
import { join } from 'node:path';

const quiet = createDiagnostics({ level: 'none' });
const T0 = Date.parse('2025-03-01T00:00:00Z');

describe('complianceReport', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let log: AuditLog;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    log = createAuditLog({ dir, fsync: false, diagnostics: quiet, retention: { maxAgeMs: 90 * 86_400_000 } });
    const logger = createSecurityLogger({ sinks: [log.sink], diagnostics: quiet, bruteForce: false, coordinated: false });
    logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'u1', time: T0 + 1000 });
    logger.logSecurityEvent({ type: 'authentication', outcome: 'success', actor: 'u1', time: T0 + 2000 });
    logger.logSecurityEvent({ type: 'authorization', outcome: 'denied', actor: 'u2', target: '/admin', time: T0 + 3000 });
    logger.logSecurityEvent({ type: 'authorization', action: 'privilege_permissions_changed', outcome: 'success', actor: 'admin', target: 'u2', time: T0 + 4000, risk: 'high' });
    logger.logSecurityEvent({ type: 'data_export', outcome: 'success', actor: 'u3', time: T0 + 5000 });
    logger.logSecurityEvent({ type: 'file_access', outcome: 'denied', actor: '=cmd|calc', target: '<script>x</script>', time: T0 + 86_400_000 * 40 });
    await log.flush();
  });
  afterEach(() => cleanup());

  it('should count by type and risk inside the period, with unauthorised attempts and privilege changes', async () => {
    const report = await complianceReport(log, { from: T0, to: T0 + 86_400_000, now: () => T0 });
    expect(report.events).toBe(5);
    expect(report.byType).toEqual({ authentication: 2, authorization: 2, data_export: 1 });
    expect(report.byRisk).toEqual({ low: 2, medium: 2, high: 1, critical: 0 });
    expect(report.failedAuthentications).toBe(1);
    expect(report.unauthorisedAccessAttempts.count).toBe(1);
    expect(report.unauthorisedAccessAttempts.samples[0]).toMatchObject({ actor: 'u2', target: '/admin' });
    expect(report.privilegeChanges.count).toBe(1);
    expect(report.tamperCheck).toMatchObject({ status: 'ok', records: 6 });
    expect(report.retention).toMatchObject({ files: 1, policy: { maxAgeMs: 90 * 86_400_000 }, deletions: [] });
  });

  it('should report a failed tamper check with its place', async () => {
    const file = join(dir, (await segments(dir))[0] as string);
    const lines = await readLines(file);
    lines[1] = (lines[1] as string).replace('"u1"', '"u9"');
    await writeLines(file, lines);
    const report = await complianceReport(dir, {});
    expect(report.tamperCheck).toMatchObject({ status: 'tampered', line: 2 });
  });

  it('should render CSV with formula cells neutralised, and a self-contained escaped HTML page', async () => {
    const report = await complianceReport(log, { now: () => T0 });
    const csv = formatComplianceReport(report, 'csv');
    expect(csv.split('\r\n')[0]).toBe('section,key,value');
    expect(csv).toContain('summary,events,6');
    expect(csv).toContain('file_access_fail denied medium =cmd|calc');
    const hostile = createComplianceAccumulator();
    hostile.add({ id: 'x', time: T0, type: '=HYPERLINK("http://evil")', action: 'a', outcome: 'success', risk: 'low' });
    expect(formatComplianceReport(hostile.finish({}), 'csv')).toContain(`by_type,"'=HYPERLINK(""http://evil"")",1`);
    const html = formatComplianceReport(report, 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('&lt;script&gt;');
    expect(JSON.parse(formatComplianceReport(report, 'json'))).toMatchObject({ events: 6 });
  });
});
