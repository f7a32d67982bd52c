import type { Diagnostics } from '@lookout/core';

/**
 * What a security event is about. The built-in types map onto OCSF classes (see
 * `docs/security.md`); any other lower-case `snake_case` string is accepted too and maps to
 * OCSF's Base Event.
 */
export type SecurityEventType =
  | 'authentication'
  | 'authorization'
  | 'file_access'
  | 'configuration_change'
  | 'hook_execution'
  | 'data_export'
  | 'api_access'
  | 'input_validation'
  | 'threat_detection'
  | (string & {});

/** How risky an event is. `high` and `critical` alert (see `shouldAlert`). */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

/**
 * How the attempted action ended. `denied` is an authorisation refusal, `blocked` a refusal by
 * a Lookout detector (blocklist, rate limit).
 */
export type SecurityOutcome = 'success' | 'failure' | 'denied' | 'blocked' | 'unknown';

/** What the host passes to `logSecurityEvent`. Only `type` is required. */
export interface SecurityEventInput {
  /** See {@link SecurityEventType}. */
  type: SecurityEventType;
  /**
   * The event name in the OWASP Logging Vocabulary, e.g. `authn_login_fail`, `authz_fail`,
   * `privilege_permissions_changed`. Default: derived from `type` and `outcome`
   * (`authentication` + `failure` → `authn_login_fail`).
   */
  action?: string;
  /** Default `'unknown'`. */
  outcome?: SecurityOutcome;
  /** Default: derived from `action` (e.g. `authn_login_fail` → `medium`), else `'low'`. */
  risk?: RiskLevel;
  /** Who acted: a user id. Prefer an opaque id; an email address is masked by redaction. */
  actor?: string;
  /** IPv4 or IPv6 address of the client. Kept as is (not masked). */
  sourceIp?: string;
  /** The client's `User-Agent`. */
  userAgent?: string;
  /** What was acted on: a resource, file path, route, setting or account. */
  target?: string;
  /** Anything else; redacted (secrets, PII) and control characters neutralised before it leaves. */
  details?: Record<string, unknown>;
  /** Event id. Default: a random UUID. */
  id?: string;
  /** When it happened: epoch ms, a `Date` or an ISO-8601 string. Default: now. */
  time?: number | Date | string;
}

/** A validated, redacted security event, as sinks receive it. */
export interface SecurityEvent {
  id: string;
  /** Epoch milliseconds. */
  time: number;
  type: SecurityEventType;
  /** OWASP Logging Vocabulary name (or the host's own). */
  action: string;
  outcome: SecurityOutcome;
  risk: RiskLevel;
  actor?: string;
  sourceIp?: string;
  userAgent?: string;
  target?: string;
  details?: Record<string, unknown>;
}

/**
 * Where security events go. `write` is called synchronously for each event and must not block
 * (queue and return); `flush`/`shutdown` resolve by their deadline and never reject.
 */
export interface SecuritySink {
  /** A name for diagnostics, e.g. `'siem'`, `'syslog'`, `'audit-log'`. */
  readonly name: string;
  write(event: SecurityEvent): void;
  flush?(deadlineMs?: number): Promise<unknown>;
  shutdown?(deadlineMs?: number): Promise<unknown>;
}

/** Called for each alerting event (risk `high` or `critical`) outside its cooldown. */
export type AlertCallback = (event: SecurityEvent) => void | Promise<void>;

/** Shared by the detectors: a clock and where problems go. */
export interface DetectorContext {
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  diagnostics?: Diagnostics;
}
