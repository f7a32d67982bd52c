import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createBruteForceDetector, createCoordinatedDetector, createRateLimiter } from '@lookout/security';

const quiet = createDiagnostics({ level: 'none' });
const MIN = 60_000;

describe('createBruteForceDetector', () => {
  describe('recordFailure', () => {
    it('should block a key on its 5th failure inside 15 minutes (the defaults)', () => {
      let now = 0;
      const d = createBruteForceDetector({ now: () => now, diagnostics: quiet });
      for (let i = 1; i <= 4; i++) {
        expect(d.recordFailure('ip:1.2.3.4')).toMatchObject({ failures: i, blocked: false });
        now += 3 * MIN;
      }
      expect(d.recordFailure('ip:1.2.3.4')).toMatchObject({ failures: 5, blocked: true, justBlocked: true, blockedUntil: now + 15 * MIN });
      expect(d.isBlocked('ip:1.2.3.4')).toBe(true);
      expect(d.isBlocked('ip:5.6.7.8')).toBe(false);
    });

    it('should let old failures slide out of the window', () => {
      let now = 0;
      const d = createBruteForceDetector({ now: () => now, diagnostics: quiet });
      for (let i = 0; i < 4; i++) d.recordFailure('u');
      now += 15 * MIN; // the first four are now outside the window
      expect(d.recordFailure('u')).toMatchObject({ failures: 1, blocked: false });
      now += MIN;
      for (let i = 0; i < 3; i++) d.recordFailure('u');
      expect(d.recordFailure('u')).toMatchObject({ failures: 5, justBlocked: true });
    });

    it('should expire the block after blockDurationMs', () => {
      let now = 0;
      const d = createBruteForceDetector({ now: () => now, maxFailures: 2, windowMs: MIN, blockDurationMs: 10 * MIN, diagnostics: quiet });
      d.recordFailure('k');
      d.recordFailure('k');
      now += 10 * MIN - 1;
      expect(d.isBlocked('k')).toBe(true);
      expect(d.blockedCount).toBe(1);
      now += 1;
      expect(d.isBlocked('k')).toBe(false);
      expect(d.blockedKeys()).toEqual([]);
    });

    it('should forget failures on success and on unblock', () => {
      const d = createBruteForceDetector({ maxFailures: 3, diagnostics: quiet });
      d.recordFailure('k');
      d.recordFailure('k');
      d.recordSuccess('k');
      expect(d.recordFailure('k').failures).toBe(1);
      d.block('x');
      expect(d.isBlocked('x')).toBe(true);
      d.unblock('x');
      expect(d.isBlocked('x')).toBe(false);
    });

    it('should bound the keys it tracks', () => {
      const d = createBruteForceDetector({ maxKeys: 100, maxFailures: 2, diagnostics: quiet });
      for (let i = 0; i < 10_000; i++) d.recordFailure(`k${i}`);
      // The oldest keys were forgotten: one more failure does not block them.
      expect(d.recordFailure('k0').blocked).toBe(false);
      expect(d.recordFailure('k9999').blocked).toBe(true);
    });
  });
});

describe('createRateLimiter', () => {
  describe('take', () => {
    it('should allow limit requests per window and refuse the next', () => {
      let now = 0;
      const r = createRateLimiter({ limit: 3, windowMs: 1000, now: () => now, diagnostics: quiet });
      expect([r.take('a'), r.take('a'), r.take('a'), r.take('a')]).toEqual([true, true, true, false]);
      expect(r.take('b')).toBe(true);
      expect(r.remaining('a')).toBe(0);
    });

    it('should weigh the previous window as it slides', () => {
      let now = 0;
      const r = createRateLimiter({ limit: 10, windowMs: 1000, now: () => now, diagnostics: quiet });
      for (let i = 0; i < 10; i++) r.take('a');
      now = 1500; // half of the previous window still counts: 5 used
      expect(r.remaining('a')).toBe(5);
      for (let i = 0; i < 5; i++) expect(r.take('a')).toBe(true);
      expect(r.take('a')).toBe(false);
      now = 3000; // two windows later nothing counts
      expect(r.remaining('a')).toBe(10);
    });
  });
});

describe('createCoordinatedDetector', () => {
  describe('recordFailure', () => {
    it('should trigger once when enough distinct sources fail against one target in the window', () => {
      let now = 0;
      const d = createCoordinatedDetector({ minSources: 3, windowMs: 10 * MIN, now: () => now, diagnostics: quiet });
      expect(d.recordFailure('user:alice', 'ip:1').triggered).toBe(false);
      expect(d.recordFailure('user:alice', 'ip:1').sources).toBe(1);
      now += MIN;
      expect(d.recordFailure('user:alice', 'ip:2').triggered).toBe(false);
      expect(d.recordFailure('user:bob', 'ip:3').triggered).toBe(false);
      expect(d.recordFailure('user:alice', 'ip:3')).toEqual({ sources: 3, triggered: true });
      expect(d.recordFailure('user:alice', 'ip:4').triggered).toBe(false);
      now += 10 * MIN;
      expect(d.sourcesFor('user:alice')).toBe(0);
    });

    it('should not count sources that fell out of the window', () => {
      let now = 0;
      const d = createCoordinatedDetector({ minSources: 3, windowMs: MIN, now: () => now, diagnostics: quiet });
      d.recordFailure('t', 'a');
      d.recordFailure('t', 'b');
      now += MIN;
      expect(d.recordFailure('t', 'c')).toEqual({ sources: 1, triggered: false });
    });
  });
});
