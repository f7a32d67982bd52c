import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import type { MetricsRegistry } from '@lookout/core';
import { createSecurityLogger } from '@lookout/security';

const quiet = createDiagnostics({ level: 'none' });

/** The value of the unlabelled `lookout_security_blocked_keys` series. */
async function blockedKeys(registry: MetricsRegistry): Promise<number | undefined> {
  const match = /^lookout_security_blocked_keys (\S+)$/m.exec(await renderPrometheus(registry));
  return match === null ? undefined : Number(match[1]);
}

// Each logger added its own callback to the gauge, all observing the same unlabelled series, so
// the last logger created won (A with 2 blocked keys and B with none exported 0), and callbacks
// stayed registered after shutdown, keeping dead loggers reachable and counted.
describe('createSecurityLogger', () => {
  describe('lookout_security_blocked_keys', () => {
    it('should export the sum over the live loggers of a registry, and forget a logger at shutdown', async () => {
      const registry = createMetricsRegistry();
      const a = createSecurityLogger({ registry, diagnostics: quiet });
      a.block('user:alice');
      a.block('user:bob');
      const b = createSecurityLogger({ registry, diagnostics: quiet });
      expect(await blockedKeys(registry)).toBe(2);
      b.block('ip:203.0.113.7');
      expect(await blockedKeys(registry)).toBe(3);
      await a.shutdown();
      expect(await blockedKeys(registry)).toBe(1);
      await b.shutdown();
      expect(await blockedKeys(registry)).toBe(0);
      const c = createSecurityLogger({ registry, diagnostics: quiet });
      c.block('user:carol');
      expect(await blockedKeys(registry)).toBe(1);
      await c.shutdown();
    });
  });
});
