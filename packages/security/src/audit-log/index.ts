export { createAuditLog } from './createAuditLog.js';
export type { AuditLog, AuditLogStats, AuditFlushResult, AuditDropReason } from './createAuditLog.js';
export type { AuditLockOwner } from './writerLock.js';
export { verifyAuditLog } from './verifyAuditLog.js';
export type { AuditVerifyResult, AuditProblem, TamperKind, VerifyAuditLogOptions } from './verifyAuditLog.js';
export { runAuditVerifyCommand, AUDIT_VERIFY_EXIT } from './runAuditVerifyCommand.js';
export type { AuditVerifyCommandIo } from './runAuditVerifyCommand.js';
export { complianceReport } from './complianceReport.js';
export type { ComplianceReportOptions } from './complianceReport.js';
export {
  auditLogOptionsSchema,
  resolveAuditLogOptions,
  DEFAULT_AUDIT_MAX_FILE_BYTES,
  DEFAULT_AUDIT_MAX_FILE_AGE_MS,
  DEFAULT_AUDIT_FLUSH_INTERVAL_MS,
  DEFAULT_AUDIT_MAX_BATCH_RECORDS,
  DEFAULT_AUDIT_MAX_PENDING_RECORDS,
  DEFAULT_AUDIT_LOCK_RETRY_MAX_MS,
  AUDIT_LOCK_RETRY_INITIAL_MS,
} from './config.js';
export type { AuditLogOptions, ResolvedAuditLogOptions } from './config.js';
export { GENESIS_HASH, DEFAULT_AUDIT_PREFIX, MAX_AUDIT_RECORD_BYTES, segmentName, headName } from './format.js';
export type { AuditKey, AuditHead, AuditSystemRecord, ParsedRecord } from './format.js';
export { formatComplianceReport } from '../compliance/formatComplianceReport.js';
