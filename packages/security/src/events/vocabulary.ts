import type { RiskLevel, SecurityEventType, SecurityOutcome } from '../types.js';

/**
 * Default OWASP Logging Vocabulary name for a built-in type and outcome, used when the host
 * gives no `action`. Types without an OWASP name get `<type>_<outcome>`.
 * Source: OWASP Application Logging Vocabulary Cheat Sheet.
 */
export function defaultAction(type: SecurityEventType, outcome: SecurityOutcome): string {
  const failed = outcome === 'failure' || outcome === 'denied' || outcome === 'blocked';
  switch (type) {
    case 'authentication':
      return failed ? 'authn_login_fail' : outcome === 'success' ? 'authn_login_success' : 'authn_login';
    case 'authorization':
      return failed ? 'authz_fail' : 'authz_success';
    case 'file_access':
      return failed ? 'file_access_fail' : 'sensitive_read';
    case 'configuration_change':
      return failed ? 'config_change_fail' : 'config_change';
    case 'hook_execution':
      return failed ? 'hook_execution_fail' : 'hook_execution';
    case 'data_export':
      return failed ? 'data_export_fail' : 'data_export';
    case 'api_access':
      return outcome === 'blocked' ? 'excess_rate_limit_exceeded' : failed ? 'api_access_fail' : 'api_access';
    case 'input_validation':
      return 'input_validation_fail';
    default:
      return `${type}_${outcome}`;
  }
}

/**
 * Default risk of OWASP vocabulary names that carry one by nature; everything else defaults to
 * `low`, or `medium` when the outcome is a failure or refusal.
 */
export const ACTION_RISK: Readonly<Record<string, RiskLevel>> = Object.freeze({
  authn_login_fail: 'medium',
  authn_login_fail_max: 'high',
  authn_login_lock: 'high',
  authn_password_change_fail: 'medium',
  authn_impossible_travel: 'high',
  authn_token_reuse: 'high',
  authz_fail: 'medium',
  authz_change: 'medium',
  authz_admin: 'medium',
  privilege_permissions_changed: 'medium',
  excess_rate_limit_exceeded: 'medium',
  input_validation_fail: 'medium',
  malicious_excess_404: 'high',
  malicious_extraneous: 'high',
  malicious_attack_tool: 'high',
  malicious_cors: 'high',
  malicious_direct_reference: 'high',
  session_use_after_expire: 'high',
  sys_monitor_disabled: 'high',
  sys_crash: 'high',
  user_deleted: 'medium',
});

/** Risk of an event the host did not rate. */
export function defaultRisk(action: string, outcome: SecurityOutcome): RiskLevel {
  const known = ACTION_RISK[action];
  if (known !== undefined) return known;
  return outcome === 'failure' || outcome === 'denied' || outcome === 'blocked' ? 'medium' : 'low';
}

/**
 * OWASP names that mark a change of privileges, for compliance reports: role or permission
 * changes, admin actions, account creation and deletion.
 */
export const PRIVILEGE_CHANGE_ACTIONS: ReadonlySet<string> = new Set([
  'authz_change',
  'authz_admin',
  'privilege_permissions_changed',
  'user_created',
  'user_updated',
  'user_archived',
  'user_deleted',
]);

/** Built-in event types, in the order reports list them. */
export const SECURITY_EVENT_TYPES: readonly SecurityEventType[] = [
  'authentication',
  'authorization',
  'file_access',
  'configuration_change',
  'hook_execution',
  'data_export',
  'api_access',
  'input_validation',
  'threat_detection',
];

export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];
export const OUTCOMES: readonly SecurityOutcome[] = ['success', 'failure', 'denied', 'blocked', 'unknown'];

/** Whether an outcome is a refused or failed attempt. */
export function isFailedOutcome(outcome: SecurityOutcome): boolean {
  return outcome === 'failure' || outcome === 'denied' || outcome === 'blocked';
}
