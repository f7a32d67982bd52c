import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createSecurityLogger, toOcsf } from '@lookout/security';
import type { SecurityEvent, SecuritySink } from '@lookout/security';
import { recordingDiagnostics } from './helpers/diagnostics.js';

const MIN = 60_000;

function memorySink(): SecuritySink & { events: SecurityEvent[] } {
  const events: SecurityEvent[] = [];
  return { name: 'memory', events, write: (e) => events.push(e) };
}

describe('createSecurityLogger', () => {
  let now = 1_700_000_000_000;
  afterEach(() => {
    now = 1_700_000_000_000;
  });

  function setup(options: Parameters<typeof createSecurityLogger>[0] = {}) {
    const sink = memorySink();
    const alerts: SecurityEvent[] = [];
    const registry = createMetricsRegistry();
    const { diagnostics, messages } = recordingDiagnostics('warn');
    const logger = createSecurityLogger({ sinks: [sink], onAlert: (e) => void alerts.push(e), registry, diagnostics, now: () => now, ...options });
    return { logger, sink, alerts, registry, messages };
  }

  describe('logSecurityEvent', () => {
    it('should complete an event with id, time, OWASP action and default risk', () => {
      const { logger, sink } = setup();
      const event = logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'u1', sourceIp: '198.51.100.7', userAgent: 'curl/8' });
      expect(event).toMatchObject({ type: 'authentication', action: 'authn_login_fail', outcome: 'failure', risk: 'medium', time: now, actor: 'u1' });
      expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(sink.events).toEqual([event]);
    });

    it('should mask secrets and PII and neutralise CR/LF in every field', () => {
      const { logger } = setup();
      const event = logger.logSecurityEvent({
        type: 'configuration_change',
        actor: 'ops\r\n2025-01-01 INFO forged line',
        target: 'db?password=hunter2',
        userAgent: 'UA\u2028x',
        details: { apiKey: 'abc', note: 'mail bob@example.com', 'bad\nkey': 'v\r' },
      });
      expect(event?.actor).toBe('ops\\r\\n2025-01-01 INFO forged line');
      expect(event?.target).not.toContain('hunter2');
      expect(event?.userAgent).toBe('UA\\u2028x');
      expect(event?.details).toEqual({ apiKey: '[REDACTED:key]', note: 'mail [REDACTED:email]', 'bad\\nkey': 'v\\r' });
      const strings = [event?.actor, event?.target, event?.userAgent, ...Object.keys(event?.details ?? {}), ...Object.values(event?.details ?? {})];
      for (const s of strings) expect(String(s)).not.toMatch(/[\u0000-\u001f\u2028\u2029]/);
    });

    it('should drop garbage with exactly one diagnostic and never throw', () => {
      fc.assert(
        fc.property(fc.anything(), (input) => {
          const { logger, messages } = setup();
          const before = messages.length;
          let result: unknown;
          expect(() => (result = logger.logSecurityEvent(input as never))).not.toThrow();
          if (result === undefined) expect(messages.length - before).toBe(1);
        }),
        { numRuns: 300 },
      );
    });

    it('should correct a bad field with one diagnostic naming it', () => {
      const { logger, messages } = setup();
      const event = logger.logSecurityEvent({ type: 'api_access', risk: 'extreme' as never, sourceIp: 'not an ip' });
      expect(event?.risk).toBe('low');
      expect(event?.sourceIp).toBeUndefined();
      expect(messages).toHaveLength(2);
      expect(messages.join('\n')).toMatch(/risk[\s\S]*sourceIp/);
    });

    it('should do nothing when disabled or after shutdown', async () => {
      const off = setup({ enabled: false });
      expect(off.logger.logSecurityEvent({ type: 'authentication' })).toBeUndefined();
      const { logger, sink } = setup();
      await logger.shutdown();
      expect(logger.logSecurityEvent({ type: 'authentication' })).toBeUndefined();
      expect(sink.events).toHaveLength(0);
    });

    it('should count events by type and risk, failed authentications and blocked keys', async () => {
      const { logger, registry } = setup({ bruteForce: { maxFailures: 2 } });
      logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'u' });
      logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'u' });
      logger.logSecurityEvent({ type: 'data_export', outcome: 'success', risk: 'critical' });
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_security_events_total{type="authentication",risk="medium"} 2');
      expect(text).toContain('lookout_security_events_total{type="authentication",risk="high"} 1');
      expect(text).toContain('lookout_security_events_total{type="data_export",risk="critical"} 1');
      expect(text).toContain('lookout_security_auth_failures_total 2');
      expect(text).toContain('lookout_security_keys_blocked_total{detector="brute_force"} 1');
      expect(text).toContain('lookout_security_blocked_keys 1');
      expect(text).toContain('lookout_security_alerts_total{result="fired"} 2');
    });
  });

  describe('shouldAlert', () => {
    it('should be true for high and critical only', () => {
      const { logger } = setup();
      const risks = ['low', 'medium', 'high', 'critical'] as const;
      expect(risks.map((risk) => logger.shouldAlert(logger.logSecurityEvent({ type: 'api_access', risk })))).toEqual([false, false, true, true]);
    });
  });

  describe('alerting', () => {
    it('should fire once per key per cooldown, then again after it', () => {
      const { logger, alerts } = setup({ alertCooldownMs: 5 * MIN });
      const critical = { type: 'data_export', risk: 'critical' as const, actor: 'mallory' };
      logger.logSecurityEvent(critical);
      now += MIN;
      logger.logSecurityEvent(critical);
      logger.logSecurityEvent({ ...critical, actor: 'eve' });
      expect(alerts.map((a) => a.actor)).toEqual(['mallory', 'eve']);
      now += 4 * MIN;
      logger.logSecurityEvent(critical);
      expect(alerts.map((a) => a.actor)).toEqual(['mallory', 'eve', 'mallory']);
      logger.logSecurityEvent({ type: 'data_export', risk: 'medium', actor: 'x' });
      expect(alerts).toHaveLength(3);
    });

    it('should survive a throwing or rejecting callback', async () => {
      const { diagnostics, messages } = recordingDiagnostics('warn');
      const logger = createSecurityLogger({ diagnostics, registry: createMetricsRegistry(), onAlert: [() => { throw new Error('boom'); }, () => Promise.reject(new Error('later'))] });
      expect(() => logger.logSecurityEvent({ type: 'api_access', risk: 'high' })).not.toThrow();
      await new Promise((r) => setTimeout(r, 0));
      expect(messages.join('\n')).toContain('boom');
    });
  });

  describe('brute force', () => {
    it('should raise one high-risk authn_login_fail_max event, block the user and the IP, and expire the block', () => {
      const { logger, sink, alerts } = setup();
      for (let i = 0; i < 5; i++) {
        now += MIN;
        logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'alice', sourceIp: '203.0.113.5' });
      }
      const raised = sink.events.filter((e) => e.action === 'authn_login_fail_max');
      expect(raised).toHaveLength(2);
      expect(raised.map((e) => e.details?.key)).toEqual(['user:alice', 'ip:203.0.113.5']);
      expect(raised[0]).toMatchObject({ risk: 'high', outcome: 'blocked' });
      // Both events share the alert key (action, actor, IP): one alert per attack, the second is in its cooldown.
      expect(alerts.map((a) => a.action)).toEqual(['authn_login_fail_max']);
      expect(logger.isBlocked({ actor: 'alice' })).toBe(true);
      expect(logger.isBlocked('ip:203.0.113.5')).toBe(true);
      expect(logger.isBlocked({ sourceIp: '192.0.2.1' })).toBe(false);
      now += 15 * MIN;
      expect(logger.isBlocked({ actor: 'alice' })).toBe(false);
    });

    it('should reset a user\'s failures after a successful login', () => {
      const { logger, sink } = setup();
      for (let i = 0; i < 4; i++) logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'bob' });
      logger.logSecurityEvent({ type: 'authentication', outcome: 'success', actor: 'bob' });
      logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'bob' });
      expect(sink.events.some((e) => e.action === 'authn_login_fail_max')).toBe(false);
    });
  });

  describe('coordinated attempts', () => {
    it('should raise one threat_detection event when many IPs fail against one account', () => {
      const { logger, sink } = setup({ coordinated: { minSources: 4, windowMs: 10 * MIN }, bruteForce: false });
      for (let i = 1; i <= 6; i++) logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'root', sourceIp: `198.51.100.${i}` });
      const raised = sink.events.filter((e) => e.type === 'threat_detection');
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({ action: 'authn_coordinated_fail', risk: 'high', target: 'user:root', details: { sources: 4 } });
    });
  });

  describe('inspectInput', () => {
    it('should log one high-risk input_validation_fail event with each finding', () => {
      const { logger, sink } = setup();
      const findings = logger.inspectInput({ q: "' UNION SELECT password FROM users --", name: 'Ann' }, { actor: 'u7', sourceIp: '192.0.2.44', target: '/search' });
      expect(findings.map((f) => f.kind)).toContain('sql');
      const [event] = sink.events;
      expect(event).toMatchObject({ type: 'input_validation', action: 'input_validation_fail', risk: 'high', actor: 'u7', target: '/search' });
      expect((event?.details?.findings as Array<{ field: string }>)[0]?.field).toBe('q');
      expect(logger.inspectInput({ q: 'plain words' })).toEqual([]);
      expect(sink.events).toHaveLength(1);
    });
  });

  describe('checkRateLimit', () => {
    it('should refuse past the limit and log the first refusal per window', () => {
      const { logger, sink } = setup({ rateLimit: { limit: 2, windowMs: MIN } });
      expect([1, 2, 3, 4].map(() => logger.checkRateLimit('ip:1', { sourceIp: '192.0.2.1' }))).toEqual([true, true, false, false]);
      expect(sink.events.map((e) => e.action)).toEqual(['excess_rate_limit_exceeded']);
      now += 2 * MIN;
      expect(logger.checkRateLimit('ip:1')).toBe(true);
    });
  });

  describe('options', () => {
    it('should report each invalid option once and use its default', () => {
      const { diagnostics, messages } = recordingDiagnostics('warn');
      const logger = createSecurityLogger({ diagnostics, registry: createMetricsRegistry(), alertCooldownMs: -1 as never, bruteForce: { maxFailures: 'five' } as never, nope: 1 } as never);
      expect(messages).toHaveLength(3);
      expect(logger.logSecurityEvent({ type: 'authentication' })).toBeDefined();
    });
  });
});

describe('toOcsf', () => {
  it('should map class, activity, severity, risk and status', () => {
    const base = { id: 'i', time: 1, outcome: 'failure' as const, risk: 'high' as const };
    expect(toOcsf({ ...base, type: 'authentication', action: 'authn_login_fail' })).toMatchObject({ class_uid: 3002, category_uid: 3, activity_id: 1, type_uid: 300201, severity_id: 4, risk_level_id: 3, status_id: 2, metadata: { event_code: 'authn_login_fail', uid: 'i' } });
    expect(toOcsf({ ...base, type: 'authorization', action: 'privilege_permissions_changed', outcome: 'success' })).toMatchObject({ class_uid: 3005, type_uid: 300501, status_id: 1 });
    expect(toOcsf({ ...base, type: 'api_access', action: 'api_access', details: { method: 'DELETE' } })).toMatchObject({ class_uid: 6003, activity_id: 4 });
    expect(toOcsf({ ...base, type: 'data_export', action: 'data_export' })).toMatchObject({ class_uid: 6001, activity_id: 7 });
    expect(toOcsf({ ...base, type: 'file_access', action: 'sensitive_read', details: { operation: 'delete' } })).toMatchObject({ class_uid: 1001, activity_id: 4, category_uid: 1 });
    expect(toOcsf({ ...base, type: 'custom_thing', action: 'custom' })).toMatchObject({ class_uid: 0, activity_id: 99 });
  });
});
