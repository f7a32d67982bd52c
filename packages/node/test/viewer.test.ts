import { createMetricsRegistry } from '@lookout/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pollUntil } from '../../../testing/backends.js';
import { initMonitoring, resetMonitoringForTests, type Monitoring } from '../src/index.js';

interface Snapshot {
  records: { type: string; name?: string; message?: string; attributes?: Record<string, unknown> }[];
}

describe('initMonitoring({ viewer })', () => {
  let m: Monitoring | undefined;
  afterEach(async () => {
    await m?.shutdown(2_000);
    resetMonitoringForTests();
  });

  it('should start the viewer and show this process\'s errors, security events and usage events on it', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    m = initMonitoring({ serviceName: 'viewer-test', metrics: { registry: createMetricsRegistry() }, runtimeMetrics: false, exit: { signals: false }, viewer: { port: 0 } });
    const url = await pollUntil('viewer URL', async () => lines.map((l) => /Lookout viewer: (\S+)/.exec(l)?.[1]).find((u) => u !== undefined), 10_000);
    write.mockRestore();
    const page = new URL(url);
    const token = page.searchParams.get('token')!;
    await m.ready();
    m.errors.captureError(new TypeError('viewer sees this'));
    m.security.logSecurityEvent({ type: 'authentication', action: 'login', outcome: 'failure', actor: 'mallory' } as never);
    m.telemetry.track('checkout', { items: 2 });
    await m.flush(2_000);
    const snapshot = await pollUntil(
      'records on the viewer',
      async () => {
        const res = await fetch(`${page.origin}/api/snapshot?token=${token}`);
        const body = (await res.json()) as Snapshot;
        const types = new Set(body.records.map((r) => r.type));
        return types.has('error') && types.has('security') && types.has('event') ? body : undefined;
      },
      10_000,
    );
    expect(JSON.stringify(snapshot.records.filter((r) => r.type === 'error'))).toContain('viewer sees this');
    expect(JSON.stringify(snapshot.records.filter((r) => r.type === 'event'))).toContain('checkout');
  }, 30_000);
});
