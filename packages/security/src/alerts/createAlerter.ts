import type { Diagnostics } from '@lookout/core';
import { BoundedMap } from '@lookout/core';
import type { AlertCallback, SecurityEvent } from '../types.js';

/** Alert keys remembered for their cooldown; the least recently alerted are forgotten first. */
const MAX_ALERT_KEYS = 10_000;

/** Whether an event warrants an alert: risk `high` or `critical`. */
export function shouldAlert(event: SecurityEvent | undefined | null): boolean {
  const risk = event?.risk;
  return risk === 'high' || risk === 'critical';
}

/** Default cooldown key: the action, actor and source IP. */
export function defaultAlertKey(event: SecurityEvent): string {
  return `${event.action}|${event.actor ?? ''}|${event.sourceIp ?? ''}`;
}

/** What became of an event offered to the alerter. */
export type AlertResult = 'fired' | 'suppressed' | 'skipped';

/** What the alerter reads on every event, so `configure()` can change it without losing cooldowns. */
export interface AlerterSettings {
  callbacks: readonly AlertCallback[];
  cooldownMs: number;
}

/**
 * Fires `settings.callbacks` for alerting events, at most once per `settings.cooldownMs` per key.
 * Callbacks run inside try/catch; a rejected promise is reported, never thrown.
 */
export function createAlerter(
  settings: AlerterSettings,
  keyOf: (event: SecurityEvent) => string,
  now: () => number,
  diagnostics: () => Diagnostics,
): (event: SecurityEvent) => AlertResult {
  const lastFired = new BoundedMap<string, number>(MAX_ALERT_KEYS);
  return (event) => {
    if (!shouldAlert(event)) return 'skipped';
    let key: string;
    try {
      key = String(keyOf(event));
    } catch (error) {
      diagnostics().internalError(error, 'security.alertKey');
      key = defaultAlertKey(event);
    }
    const t = now();
    const last = lastFired.get(key);
    if (last !== undefined && t - last < settings.cooldownMs) return 'suppressed';
    lastFired.set(key, t);
    for (const callback of settings.callbacks) {
      try {
        const result = callback(event);
        if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).then(undefined, (error: unknown) => diagnostics().internalError(error, 'security.onAlert'));
        }
      } catch (error) {
        diagnostics().internalError(error, 'security.onAlert');
      }
    }
    return 'fired';
  };
}
