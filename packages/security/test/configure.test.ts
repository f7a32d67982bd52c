import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMetricsRegistry } from '@lookout/core';
import { createBruteForceDetector, createCoordinatedDetector, createInjectionDetector, createRateLimiter, createSecurityLogger } from '@lookout/security';
import type { SecurityEvent, SecurityLoggerOptions, SecuritySink } from '@lookout/security';
import { recordingDiagnostics } from './helpers/diagnostics.js';

const MIN = 60_000;

function setup(options: SecurityLoggerOptions = {}) {
  const clock = { now: 1_700_000_000_000 };
  const events: SecurityEvent[] = [];
  const sink: SecuritySink = { name: 'memory', write: (e) => void events.push(e) };
  const alerts: SecurityEvent[] = [];
  const { diagnostics, messages } = recordingDiagnostics('warn');
  const logger = createSecurityLogger({ sinks: [sink], onAlert: (e) => void alerts.push(e), registry: createMetricsRegistry(), diagnostics, now: () => clock.now, ...options });
  const fail = (actor: string, sourceIp?: string): SecurityEvent | undefined => logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor, sourceIp });
  const invalid = (): string[] => messages.filter((m) => m.includes('security/invalid-changes'));
  return { logger, clock, events, alerts, messages, fail, invalid };
}

describe('SecurityLogger', () => {
  describe('configure', () => {
    it('should keep a key blocked before configure blocked until its time, whatever the new block duration', () => {
      const { logger, clock, fail } = setup({ bruteForce: { maxFailures: 2, blockDurationMs: 10 * MIN } });
      fail('alice');
      fail('alice');
      expect(logger.isBlocked({ actor: 'alice' })).toBe(true);
      logger.configure({ bruteForce: { maxFailures: 50, blockDurationMs: MIN } });
      clock.now += 5 * MIN;
      expect(logger.isBlocked({ actor: 'alice' })).toBe(true);
      clock.now += 5 * MIN;
      expect(logger.isBlocked({ actor: 'alice' })).toBe(false);
    });

    it('should add failures before and after a raised threshold', () => {
      const { logger, fail } = setup({ bruteForce: { maxFailures: 5 } });
      for (let i = 0; i < 3; i++) fail('bob');
      logger.configure({ bruteForce: { maxFailures: 4 } });
      expect(logger.isBlocked({ actor: 'bob' })).toBe(false);
      fail('bob');
      expect(logger.isBlocked({ actor: 'bob' })).toBe(true);
    });

    it('should carry the newest failures into a smaller ring and block at the next failure', () => {
      const { logger, events, fail } = setup({ bruteForce: { maxFailures: 10 } });
      for (let i = 0; i < 4; i++) fail('carol');
      logger.configure({ bruteForce: { maxFailures: 3 } });
      expect(logger.isBlocked({ actor: 'carol' })).toBe(false);
      const r = fail('carol');
      expect(logger.isBlocked({ actor: 'carol' })).toBe(true);
      const blockEvent = events.find((e) => e.action === 'authn_login_fail_max' && e.details?.['triggeredBy'] === r?.id);
      expect(blockEvent?.details?.['failures']).toBe(3);
    });

    it('should keep a grown ring counting the failures from before', () => {
      const { logger, fail } = setup({ bruteForce: { maxFailures: 2, windowMs: 10 * MIN } });
      fail('dan');
      logger.configure({ bruteForce: { maxFailures: 6 } });
      for (let i = 0; i < 4; i++) fail('dan');
      expect(logger.isBlocked({ actor: 'dan' })).toBe(false);
      fail('dan');
      expect(logger.isBlocked({ actor: 'dan' })).toBe(true);
    });

    it('should stop counting failures outside a shortened window', () => {
      const { logger, clock, fail } = setup({ bruteForce: { maxFailures: 3, windowMs: 15 * MIN } });
      fail('erin');
      fail('erin');
      clock.now += 5 * MIN;
      logger.configure({ bruteForce: { windowMs: 2 * MIN, maxFailures: 4 } });
      fail('erin');
      fail('erin');
      fail('erin');
      expect(logger.isBlocked({ actor: 'erin' })).toBe(false);
      fail('erin');
      expect(logger.isBlocked({ actor: 'erin' })).toBe(true);
    });

    it('should keep the sources of a coordinated attempt across a threshold change', () => {
      const { logger, events, fail } = setup({ bruteForce: false, coordinated: { minSources: 10 } });
      for (let i = 0; i < 3; i++) logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'admin', sourceIp: `198.51.100.${i}`, target: 'login' });
      logger.configure({ coordinated: { minSources: 4 } });
      expect(events.some((e) => e.action === 'authn_coordinated_fail')).toBe(false);
      logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'admin', sourceIp: '198.51.100.9', target: 'login' });
      expect(events.filter((e) => e.action === 'authn_coordinated_fail')).toHaveLength(1);
      void fail;
    });

    it('should keep rate-limit use across a new limit and a new window', () => {
      const { logger, clock, events } = setup({ rateLimit: { limit: 10, windowMs: MIN } });
      clock.now = 100 * MIN;
      for (let i = 0; i < 4; i++) expect(logger.checkRateLimit('k')).toBe(true);
      logger.configure({ rateLimit: { limit: 5 } });
      expect(logger.checkRateLimit('k')).toBe(true);
      expect(logger.checkRateLimit('k')).toBe(false);
      logger.configure({ rateLimit: { windowMs: 10 * MIN, limit: 7 } });
      expect(logger.detectors.rateLimiter.remaining('k')).toBe(2);
      expect(logger.checkRateLimit('k')).toBe(true);
      expect(logger.checkRateLimit('k')).toBe(true);
      expect(logger.checkRateLimit('k')).toBe(false);
      for (let i = 0; i < 7; i++) expect(logger.checkRateLimit('fresh')).toBe(true);
      expect(logger.checkRateLimit('fresh')).toBe(false);
      const refused = events.filter((e) => e.action === 'excess_rate_limit_exceeded');
      expect(refused.at(-1)?.details).toMatchObject({ key: 'fresh', limit: 7, windowMs: 10 * MIN });
    });

    it('should keep alert cooldowns and send later alerts to a new onAlert', () => {
      const { logger, clock, alerts } = setup({ alertCooldownMs: 10 * MIN });
      const high = (): SecurityEvent | undefined => logger.logSecurityEvent({ type: 'authorization', action: 'authz_admin', outcome: 'denied', risk: 'high', actor: 'mallory' });
      high();
      expect(alerts).toHaveLength(1);
      const later: SecurityEvent[] = [];
      logger.configure({ alertCooldownMs: 5 * MIN, onAlert: (e) => void later.push(e) });
      clock.now += 4 * MIN;
      high();
      expect(later).toHaveLength(0);
      clock.now += 2 * MIN;
      high();
      expect(later).toHaveLength(1);
      expect(alerts).toHaveLength(1);
    });

    it('should remove the alert callbacks when onAlert is set to undefined', () => {
      const { logger, alerts } = setup({ alertCooldownMs: 0 });
      logger.configure({ onAlert: undefined });
      logger.logSecurityEvent({ type: 'authorization', action: 'authz_admin', outcome: 'denied', risk: 'critical' });
      expect(alerts).toHaveLength(0);
    });

    it('should turn the logger off and on keeping the blocklist', () => {
      const { logger, events, fail } = setup({ bruteForce: { maxFailures: 2 } });
      fail('frank');
      fail('frank');
      logger.configure({ enabled: false });
      const before = events.length;
      expect(fail('frank')).toBeUndefined();
      expect(logger.isBlocked({ actor: 'frank' })).toBe(false);
      expect(events).toHaveLength(before);
      logger.configure({ enabled: true });
      expect(logger.isBlocked({ actor: 'frank' })).toBe(true);
    });

    it('should turn a detector off and back on', () => {
      const { logger, fail } = setup({ bruteForce: { maxFailures: 2 } });
      logger.configure({ bruteForce: false, injection: false });
      expect(logger.detectors.bruteForce).toBeUndefined();
      expect(logger.inspectInput({ q: "' OR 1=1 --" })).toEqual([]);
      fail('gina');
      fail('gina');
      expect(logger.isBlocked({ actor: 'gina' })).toBe(false);
      logger.configure({ bruteForce: { maxFailures: 1 }, injection: { maxInputLength: 100 } });
      expect(logger.detectors.bruteForce).toBeDefined();
      fail('gina');
      expect(logger.isBlocked({ actor: 'gina' })).toBe(true);
      expect(logger.inspectInput({ q: "' OR 1=1 --" }).length).toBeGreaterThan(0);
    });

    it('should give one diagnostic per invalid, unknown or fixed change and apply the rest', () => {
      const { logger, fail, invalid } = setup({ bruteForce: { maxFailures: 5 } });
      logger.configure({
        bruteForce: { maxFailures: -1, windowMs: 1000, maxKeys: 5 },
        alertCooldownMs: 'soon',
        sinks: [],
        redaction: {},
        registry: createMetricsRegistry(),
        nope: 1,
        rateLimit: { limit: 0 },
        coordinated: { minSources: 3 },
      } as never);
      expect(invalid()).toHaveLength(8);
      expect(invalid().join('\n')).toMatch(/bruteForce\.maxFailures/);
      expect(invalid().join('\n')).toMatch(/bruteForce\.maxKeys: is fixed at creation/);
      expect(invalid().join('\n')).toMatch(/sinks: is fixed at creation/);
      // maxFailures stayed 5; the window of 1 s applied; the coordinated change applied.
      for (let i = 0; i < 4; i++) fail('hal');
      expect(logger.isBlocked({ actor: 'hal' })).toBe(false);
      fail('hal');
      expect(logger.isBlocked({ actor: 'hal' })).toBe(true);
    });

    it('should never throw on garbage and give one diagnostic for a non-object', () => {
      fc.assert(
        fc.property(fc.anything(), (garbage) => {
          const { logger, invalid, messages } = setup();
          expect(() => logger.configure(garbage as never)).not.toThrow();
          if (garbage === null || typeof garbage !== 'object' || Array.isArray(garbage)) expect(invalid()).toHaveLength(1);
          expect(messages.filter((m) => m.includes('internal'))).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });

    it('should do nothing after shutdown', async () => {
      const { logger, invalid } = setup();
      await logger.shutdown();
      expect(() => logger.configure({ enabled: true, nope: 1 } as never)).not.toThrow();
      expect(invalid()).toHaveLength(0);
      expect(logger.logSecurityEvent({ type: 'authentication' })).toBeUndefined();
    });
  });

  describe('detectors.configure', () => {
    it('should never throw on garbage, one diagnostic per invalid field, and keep working', () => {
      fc.assert(
        fc.property(fc.anything(), fc.anything(), (a, b) => {
          const { diagnostics, messages } = recordingDiagnostics('warn');
          const clock = { now: 1_700_000_000_000 };
          const ctx = { diagnostics, now: () => clock.now };
          const bruteForce = createBruteForceDetector({ ...ctx, maxFailures: 2 });
          const coordinated = createCoordinatedDetector(ctx);
          const injection = createInjectionDetector(ctx);
          const limiter = createRateLimiter({ ...ctx, limit: 1 });
          bruteForce.recordFailure('k');
          expect(() => {
            bruteForce.configure({ maxFailures: a, windowMs: b } as never);
            coordinated.configure({ minSources: a } as never);
            injection.configure({ maxInputLength: b } as never);
            limiter.configure({ limit: a, windowMs: b } as never);
            bruteForce.configure(a as never);
            limiter.configure(b as never);
          }).not.toThrow();
          const ok = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 1);
          if (!ok(a)) expect(messages.filter((m) => m.includes('maxFailures'))).toHaveLength(1);
          expect(typeof bruteForce.recordFailure('k').blocked).toBe('boolean');
          expect(typeof limiter.take('k')).toBe('boolean');
        }),
        { numRuns: 300 },
      );
    });
  });
});
