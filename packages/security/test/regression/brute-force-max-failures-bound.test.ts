import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createBruteForceDetector, createSecurityLogger, DEFAULT_BRUTE_FORCE_MAX_FAILURES, MAX_BRUTE_FORCE_MAX_FAILURES } from '@lookout/security';

// maxFailures sizes a ring of failure times per key, allocated at the key's first failure: a
// huge value (from configure() garbage, found by the garbage property test) ran the process
// out of memory in Array.prototype.fill, breaking the host.
describe('createBruteForceDetector', () => {
  it('should refuse a maxFailures past MAX_BRUTE_FORCE_MAX_FAILURES, at creation and in configure(), with a diagnostic', () => {
    const warnings: string[] = [];
    const diagnostics = createDiagnostics({ level: 'warn', maxPerMinute: 1000, logger: { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {}, debug: () => {} } });
    const detector = createBruteForceDetector({ maxFailures: 2 ** 31, diagnostics } as never);
    detector.configure({ maxFailures: 1e15 });
    for (let i = 0; i < DEFAULT_BRUTE_FORCE_MAX_FAILURES; i++) detector.recordFailure('mallory');
    expect(detector.recordFailure('mallory').blocked).toBe(true);
    expect(warnings.filter((w) => w.includes(`at most ${MAX_BRUTE_FORCE_MAX_FAILURES}`))).toHaveLength(1);
    // The largest allowed value is taken.
    detector.configure({ maxFailures: MAX_BRUTE_FORCE_MAX_FAILURES });
    expect(detector.recordFailure('trent').failures).toBe(1);
  });

  it('should refuse it in the logger\'s options too', () => {
    const messages: string[] = [];
    const diagnostics = createDiagnostics({ level: 'warn', maxPerMinute: 1000, logger: { error: (m) => messages.push(m), warn: (m) => messages.push(m), info: () => {}, debug: () => {} } });
    const logger = createSecurityLogger({ diagnostics, bruteForce: { maxFailures: 2 ** 40 } } as never);
    expect(messages.join('\n')).toMatch(/bruteForce\.maxFailures/);
    void logger.shutdown();
  });
});
