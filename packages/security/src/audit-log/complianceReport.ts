import { createComplianceAccumulator } from '../compliance/createComplianceAccumulator.js';
import type { ReportPeriod } from '../compliance/createComplianceAccumulator.js';
import type { ComplianceReport, ReportTamperCheck } from '../compliance/types.js';
import type { SecurityEvent } from '../types.js';
import type { AuditLog } from './createAuditLog.js';
import type { AuditKey } from './format.js';
import { verifyAuditLog } from './verifyAuditLog.js';

/** Input of {@link complianceReport}. */
export interface ComplianceReportOptions extends ReportPeriod {
  /** HMAC key of the log, so the tamper check covers MACs. */
  key?: AuditKey;
  /** File name prefix, when `auditLog` is a directory holding several logs. */
  prefix?: string;
  /** The retention policy to state, when `auditLog` is a path (a live `AuditLog` knows its own). */
  retention?: { maxAgeMs?: number; maxFiles?: number };
  /** Clock for `generatedAt`. Default `Date.now`. */
  now?: () => number;
}

/**
 * Builds a compliance report for `[from, to)` from an audit log (a live `AuditLog`, which is
 * flushed first, or its directory): counts by type and risk, failed authentications,
 * unauthorised access attempts, privilege changes, the tamper check of the whole log, and the
 * retention status. Reads the log once: verification and counting share the pass, and only
 * records that verified are counted. Render it with `formatComplianceReport` (JSON, CSV, HTML).
 * Never rejects: an unreadable log gives a report whose tamper check says `error`.
 */
export async function complianceReport(auditLog: AuditLog | string, input: ComplianceReportOptions = {}): Promise<ComplianceReport> {
  // Neither a log nor a path (null, a number …) reads as an unreadable log; options that are not an object as none.
  const options: ComplianceReportOptions = typeof input === 'object' && input !== null ? input : {};
  const isLog = typeof auditLog === 'object' && auditLog !== null && typeof auditLog.flush === 'function';
  if (isLog) await auditLog.flush();
  const dir = isLog ? auditLog.dir : typeof auditLog === 'string' ? auditLog : '';
  const acc = createComplianceAccumulator(options);
  const verifyOptions: Parameters<typeof verifyAuditLog>[1] = {
    onRecord: (record) => {
      if (record.event !== undefined) acc.add(record.event as SecurityEvent);
    },
  };
  if (options.key !== undefined) verifyOptions.key = options.key;
  const prefix = options.prefix ?? (isLog ? auditLog.prefix : undefined);
  if (prefix !== undefined) verifyOptions.prefix = prefix;
  const result = await verifyAuditLog(dir, verifyOptions);
  const tamperCheck: ReportTamperCheck = { status: result.status, records: result.records, message: result.message };
  if (result.problem !== undefined) {
    tamperCheck.file = result.problem.file;
    tamperCheck.line = result.problem.line;
  }
  const policy = isLog ? auditLog.retention : options.retention;
  const retention: ComplianceReport['retention'] = { files: result.files.length, deletions: result.retentionDeletions };
  if (policy !== undefined && (policy.maxAgeMs !== undefined || policy.maxFiles !== undefined)) retention.policy = { ...policy };
  if (result.firstTime !== undefined) retention.oldestRecord = result.firstTime;
  if (result.lastTime !== undefined) retention.newestRecord = result.lastTime;
  return acc.finish({ tamperCheck, retention, source: dir, generatedAt: (options.now ?? Date.now)() });
}
