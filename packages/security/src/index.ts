// The logger.
export { createSecurityLogger } from './createSecurityLogger.js';
export type { SecurityLogger, RequestContext, BlockKey } from './createSecurityLogger.js';
export type {
  SecurityEvent,
  SecurityEventInput,
  SecurityEventType,
  SecurityOutcome,
  RiskLevel,
  SecuritySink,
  AlertCallback,
  DetectorContext,
} from './types.js';

// Configuration.
export {
  resolveSecurityLoggerOptions,
  resolveSiemSinkOptions,
  resolveSecurityLoggerChanges,
  securityLoggerOptionsSchema,
  securityLoggerChangesSchema,
  SECURITY_LOGGER_FIXED_OPTIONS,
  siemSinkOptionsSchema,
  DEFAULT_ALERT_COOLDOWN_MS,
  DEFAULT_DETAILS_MAX_STRING_LENGTH,
  DEFAULT_SECURITY_FLUSH_DEADLINE_MS,
  DEFAULT_SIEM_FLUSH_INTERVAL_MS,
} from './config.js';
export type { SecurityLoggerOptions, ResolvedSecurityLoggerOptions, SecurityLoggerChanges, SiemSinkOptions, ResolvedSiemSinkOptions } from './config.js';

// Events: vocabulary and OCSF.
export { shouldAlert, defaultAlertKey } from './alerts/createAlerter.js';
export { toOcsf, OCSF_SCHEMA_VERSION } from './events/toOcsf.js';
export type { OcsfEvent, OcsfProduct } from './events/toOcsf.js';
export {
  defaultAction,
  defaultRisk,
  isFailedOutcome,
  ACTION_RISK,
  PRIVILEGE_CHANGE_ACTIONS,
  SECURITY_EVENT_TYPES,
  RISK_LEVELS,
  OUTCOMES,
} from './events/vocabulary.js';
export { MAX_EVENT_FIELD_LENGTH, MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS } from './events/createEventNormaliser.js';

// Detectors.
export {
  createBruteForceDetector,
  MAX_BRUTE_FORCE_MAX_FAILURES,
  DEFAULT_BRUTE_FORCE_MAX_FAILURES,
  DEFAULT_BRUTE_FORCE_WINDOW_MS,
  DEFAULT_BLOCK_DURATION_MS,
  DEFAULT_DETECTOR_MAX_KEYS,
} from './detectors/createBruteForceDetector.js';
export type { BruteForceDetector, BruteForceOptions, BruteForceChanges, FailureResult } from './detectors/createBruteForceDetector.js';
export { createRateLimiter, DEFAULT_RATE_LIMIT, DEFAULT_RATE_LIMIT_WINDOW_MS } from './detectors/createRateLimiter.js';
export type { RateLimiter, RateLimiterOptions } from './detectors/createRateLimiter.js';
export { createCoordinatedDetector, DEFAULT_COORDINATED_MIN_SOURCES, DEFAULT_COORDINATED_WINDOW_MS } from './detectors/createCoordinatedDetector.js';
export type { CoordinatedDetector, CoordinatedOptions, CoordinatedResult } from './detectors/createCoordinatedDetector.js';
export { createInjectionDetector, DEFAULT_INJECTION_MAX_INPUT_LENGTH, DEFAULT_EXCERPT_LENGTH } from './detectors/createInjectionDetector.js';
export type { InjectionDetector, InjectionDetectorOptions, InjectionFinding } from './detectors/createInjectionDetector.js';
export { INJECTION_RULES } from './detectors/injectionRules.js';
export type { InjectionRule } from './detectors/injectionRules.js';
export { normaliseForInspection } from './detectors/normaliseForInspection.js';

// Sinks.
export { createSiemSink } from './sinks/createSiemSink.js';
export type { SiemSink } from './sinks/createSiemSink.js';

// Compliance reports (the audit-log reader is in `@lookout/security/audit-log`).
export { createComplianceAccumulator, DEFAULT_REPORT_SAMPLES } from './compliance/createComplianceAccumulator.js';
export type { ComplianceAccumulator, ReportPeriod } from './compliance/createComplianceAccumulator.js';
export { formatComplianceReport } from './compliance/formatComplianceReport.js';
export type { ReportFormat } from './compliance/formatComplianceReport.js';
export type { ComplianceReport, ReportSample, ReportTamperCheck, ReportRetention } from './compliance/types.js';

// Metrics.
export { createSecurityMetrics } from './metrics/createSecurityMetrics.js';
export type { SecurityMetrics } from './metrics/createSecurityMetrics.js';
