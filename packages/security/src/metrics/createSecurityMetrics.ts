import type { Counter, MetricsRegistry } from '@lookout/core';

/** The instruments a security logger records into. */
export interface SecurityMetrics {
  events: Counter<'type' | 'risk'>;
  authFailures: Counter;
  keysBlocked: Counter<'detector'>;
  alerts: Counter<'result'>;
  injectionFindings: Counter<'kind'>;
  eventsDropped: Counter<'reason'>;
}

/**
 * Defines Lookout's security metrics on `registry` (the same instruments are returned for a
 * second logger on the same registry):
 * - `lookout_security_events_total{type,risk}`: events logged, derived ones included
 * - `lookout_security_auth_failures_total`: failed authentications
 * - `lookout_security_keys_blocked_total{detector}`: keys put on a blocklist (`brute_force`, `manual`)
 * - `lookout_security_blocked_keys`: keys blocked right now (observable gauge)
 * - `lookout_security_alerts_total{result}`: alerts `fired` or `suppressed` by the cooldown
 * - `lookout_security_injection_findings_total{kind}`: suspicious inputs (`sql`, `xss`)
 * - `lookout_security_events_dropped_total{reason}`: events refused (`invalid`)
 */
export function createSecurityMetrics(registry: MetricsRegistry, blockedCount: () => number): SecurityMetrics {
  registry.observableGauge('lookout.security.blocked.keys', { description: 'Keys on a security blocklist right now', unit: '{key}' }, (o) =>
    o.observe(blockedCount()),
  );
  return {
    events: registry.counter('lookout.security.events', { description: 'Security events logged, by type and risk level', unit: '{event}', labels: ['type', 'risk'] }),
    authFailures: registry.counter('lookout.security.auth.failures', { description: 'Failed authentications', unit: '{event}' }),
    keysBlocked: registry.counter('lookout.security.keys.blocked', { description: 'Keys put on a blocklist', unit: '{key}', labels: ['detector'] }),
    alerts: registry.counter('lookout.security.alerts', { description: 'Security alerts fired or suppressed by the cooldown', unit: '{alert}', labels: ['result'] }),
    injectionFindings: registry.counter('lookout.security.injection.findings', { description: 'Inputs that look like SQL injection or XSS', unit: '{finding}', labels: ['kind'] }),
    eventsDropped: securityDropCounter(registry),
  };
}

/**
 * `lookout_security_events_dropped_total{reason}`, shared by the logger (`invalid`) and the
 * audit log (`audit_*`): defining it again on the same registry returns the same instrument.
 */
export function securityDropCounter(registry: MetricsRegistry): Counter<'reason'> {
  return registry.counter('lookout.security.events.dropped', { description: 'Security events refused', unit: '{event}', labels: ['reason'] });
}
