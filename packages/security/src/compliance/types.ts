import type { RiskLevel } from '../types.js';

/** One event quoted in a report (redacted already, as it was logged). */
export interface ReportSample {
  time: string;
  action: string;
  outcome: string;
  risk: RiskLevel;
  actor?: string;
  sourceIp?: string;
  target?: string;
}

/** Result of the tamper check a report includes. */
export interface ReportTamperCheck {
  /** `ok`, `tampered`, `torn` (a crash left a partial last line), `error` (could not read), or `not_checked`. */
  status: 'ok' | 'tampered' | 'torn' | 'error' | 'not_checked';
  /** Records checked. */
  records: number;
  /** One line a human can act on. */
  message: string;
  /** Where the first problem is, when there is one. */
  file?: string;
  line?: number;
}

/** What a report says about retention. */
export interface ReportRetention {
  /** The policy in force, when known (from the writer's options). */
  policy?: { maxAgeMs?: number; maxFiles?: number };
  /** Audit files present. */
  files: number;
  /** Time of the oldest and newest record present (ISO-8601). */
  oldestRecord?: string;
  newestRecord?: string;
  /** Deletions the retention policy recorded in the log, oldest first. */
  deletions: Array<{ time: string; files: string[]; throughSeq: number }>;
}

/** A compliance report over one period of an audit log. */
export interface ComplianceReport {
  /** When the report was made (ISO-8601). */
  generatedAt: string;
  /** The period covered, inclusive start, exclusive end (ISO-8601). */
  period: { from: string; to: string };
  /** What was read, e.g. the audit log directory. */
  source?: string;
  /** Security events in the period. */
  events: number;
  byType: Record<string, number>;
  byRisk: Record<RiskLevel, number>;
  /** Counts per type and risk, sorted by type then risk. */
  byTypeAndRisk: Array<{ type: string; risk: RiskLevel; count: number }>;
  failedAuthentications: number;
  /** Denied or failed authorisation, access, export and API attempts, plus blocked requests. */
  unauthorisedAccessAttempts: { count: number; samples: ReportSample[] };
  /** Role, permission and account changes (see `PRIVILEGE_CHANGE_ACTIONS`). */
  privilegeChanges: { count: number; samples: ReportSample[] };
  tamperCheck: ReportTamperCheck;
  retention: ReportRetention;
}
