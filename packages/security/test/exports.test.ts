import { describe, expect, it } from 'vitest';
import * as security from '@lookout/security';
import * as auditLog from '@lookout/security/audit-log';
import * as syslog from '@lookout/security/syslog';

describe('@lookout/security exports', () => {
  it('should expose the documented root surface', () => {
    for (const name of ['createSecurityLogger', 'shouldAlert', 'toOcsf', 'createSiemSink', 'createBruteForceDetector', 'createRateLimiter', 'createCoordinatedDetector', 'createInjectionDetector', 'createComplianceAccumulator', 'formatComplianceReport', 'resolveSecurityLoggerOptions', 'resolveSecurityLoggerChanges']) {
      expect(typeof (security as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(security.INJECTION_RULES.length).toBeGreaterThan(10);
    expect(security.DEFAULT_BRUTE_FORCE_MAX_FAILURES).toBe(5);
    expect(security.DEFAULT_BRUTE_FORCE_WINDOW_MS).toBe(15 * 60_000);
  });

  it('should expose the Node-only subpaths', () => {
    for (const name of ['createAuditLog', 'verifyAuditLog', 'runAuditVerifyCommand', 'complianceReport']) expect(typeof (auditLog as Record<string, unknown>)[name], name).toBe('function');
    expect(typeof syslog.createSyslogSink).toBe('function');
    expect(typeof syslog.formatSyslogMessage).toBe('function');
  });
});
