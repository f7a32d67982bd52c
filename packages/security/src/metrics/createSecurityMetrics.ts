import type { Counter, MetricsRegistry } from '@lookout/core';

/** The instruments a security logger records into. */
export interface SecurityMetrics {
  events: Counter<'type' | 'risk'>;
  authFailures: Counter;
  keysBlocked: Counter<'detector'>;
  alerts: Counter<'result'>;
  injectionFindings: Counter<'kind'>;
  eventsDropped: Counter<'reason'>;
  /**
   * Stops counting this logger's blocked keys in `lookout_security_blocked_keys` and lets go of
   * its counting function (the logger calls it at shutdown). Idempotent.
   */
  release(): void;
}

/**
 * The blocked-key counts of the loggers of each registry that have not shut down. One gauge
 * callback per registry sums them: callbacks observing the same unlabelled series would
 * overwrite each other (the last one wins). It stays registered and reports 0 once every logger
 * is gone, which is then the truth; it holds no logger.
 */
const blockedCounts = new WeakMap<MetricsRegistry, Set<() => number>>();

/** Counts `blockedCount` in the registry's gauge until the returned function is called. */
function countBlockedKeys(registry: MetricsRegistry, blockedCount: () => number): () => void {
  let counts = blockedCounts.get(registry);
  if (counts === undefined) {
    const live = new Set<() => number>();
    registry.observableGauge('lookout.security.blocked.keys', { description: 'Keys on a security blocklist right now', unit: '{key}' }, (o) => {
      let total = 0;
      for (const count of live) total += count();
      o.observe(total);
    });
    blockedCounts.set(registry, live);
    counts = live;
  }
  counts.add(blockedCount);
  const owner = counts;
  return () => {
    owner.delete(blockedCount);
  };
}

/**
 * Defines Lookout's security metrics on `registry` (the same instruments are returned for a
 * second logger on the same registry):
 * - `lookout_security_events_total{type,risk}`: events logged, derived ones included
 * - `lookout_security_auth_failures_total`: failed authentications
 * - `lookout_security_keys_blocked_total{detector}`: keys put on a blocklist (`brute_force`, `manual`)
 * - `lookout_security_blocked_keys`: keys blocked right now (observable gauge): `blockedCount`
 *   summed over every logger of the registry until its `release()`
 * - `lookout_security_alerts_total{result}`: alerts `fired` or `suppressed` by the cooldown
 * - `lookout_security_injection_findings_total{kind}`: suspicious inputs (`sql`, `xss`)
 * - `lookout_security_events_dropped_total{reason}`: events refused (`invalid`)
 */
export function createSecurityMetrics(registry: MetricsRegistry, blockedCount: () => number): SecurityMetrics {
  const release = countBlockedKeys(registry, blockedCount);
  return {
    events: registry.counter('lookout.security.events', { description: 'Security events logged, by type and risk level', unit: '{event}', labels: ['type', 'risk'] }),
    authFailures: registry.counter('lookout.security.auth.failures', { description: 'Failed authentications', unit: '{event}' }),
    keysBlocked: registry.counter('lookout.security.keys.blocked', { description: 'Keys put on a blocklist', unit: '{key}', labels: ['detector'] }),
    alerts: registry.counter('lookout.security.alerts', { description: 'Security alerts fired or suppressed by the cooldown', unit: '{alert}', labels: ['result'] }),
    injectionFindings: registry.counter('lookout.security.injection.findings', { description: 'Inputs that look like SQL injection or XSS', unit: '{finding}', labels: ['kind'] }),
    eventsDropped: securityDropCounter(registry),
    release,
  };
}

/**
 * `lookout_security_events_dropped_total{reason}`, shared by the logger (`invalid`) and the
 * audit log (`audit_*`): defining it again on the same registry returns the same instrument.
 */
export function securityDropCounter(registry: MetricsRegistry): Counter<'reason'> {
  return registry.counter('lookout.security.events.dropped', { description: 'Security events refused', unit: '{event}', labels: ['reason'] });
}
