import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createBruteForceDetector, createInjectionDetector, createRateLimiter, createSecurityLogger, createSiemSink, formatComplianceReport, createComplianceAccumulator } from '@lookout/security';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { createSyslogSink } from '@lookout/security/syslog';

function counting() {
  let count = 0;
  const bump = (): void => {
    count++;
  };
  return { diagnostics: createDiagnostics({ logger: { warn: bump, error: bump, info: bump, debug: () => {} }, maxPerMinute: 100_000 }), count: () => count };
}

describe('public API (garbage input)', () => {
  it('should build every factory from garbage options without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (input) => {
        const { diagnostics } = counting();
        const registry = createMetricsRegistry();
        const opts = input !== null && typeof input === 'object' && !Array.isArray(input) ? { ...input, diagnostics, registry } : input;
        expect(() => createSecurityLogger(opts as never)).not.toThrow();
        expect(() => createBruteForceDetector(opts as never)).not.toThrow();
        expect(() => createRateLimiter(opts as never)).not.toThrow();
        expect(() => createInjectionDetector(opts as never)).not.toThrow();
        const siem = createSiemSink(opts as never);
        await siem.shutdown(50);
        const syslog = createSyslogSink({ ...(typeof opts === 'object' && opts !== null ? opts : {}), port: 9, diagnostics, registry } as never);
        await syslog.shutdown(50);
        const log = createAuditLog(input as never);
        expect(log.append({ a: 1 })).toBe(false);
        await log.close();
      }),
      { numRuns: 60 },
    );
  });

  it('should give one diagnostic for an options object with one bad field', () => {
    const { diagnostics, count } = counting();
    createSecurityLogger({ diagnostics, registry: createMetricsRegistry(), alertCooldownMs: 'soon' as never });
    expect(count()).toBe(1);
    const second = counting();
    createSiemSink({ url: 'ftp://x', diagnostics: second.diagnostics, registry: createMetricsRegistry() } as never);
    expect(second.count()).toBe(2); // the bad url, then "needs a url"
  });

  it('should never throw from the logger\'s methods', () => {
    const { diagnostics } = counting();
    const logger = createSecurityLogger({ diagnostics, registry: createMetricsRegistry() });
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        expect(() => logger.inspectInput(a as never, b as never)).not.toThrow();
        expect(() => logger.checkRateLimit(a as never, b as never)).not.toThrow();
        expect(() => logger.isBlocked(a as never)).not.toThrow();
        expect(() => logger.block(a as never, b as never)).not.toThrow();
        expect(() => logger.shouldAlert(a as never)).not.toThrow();
        const acc = createComplianceAccumulator(a as never);
        expect(() => acc.add(b as never)).not.toThrow();
        expect(() => formatComplianceReport(acc.finish({}), 'html')).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('should resolve verifyAuditLog with an error for paths that are not logs', async () => {
    expect((await verifyAuditLog('/nonexistent/lookout')).status).toBe('error');
    expect((await verifyAuditLog('/etc/hostname')).status).toBe('tampered');
  });
});
