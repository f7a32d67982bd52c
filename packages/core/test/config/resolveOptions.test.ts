import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, LookoutConfigError, PROFILE_DEFAULTS, resolveOptions } from '@lookout/core';
import { startPrometheusServer } from '@lookout/core/prometheus';
import { startMetricsSdk } from '@lookout/core/sdk';

function capture(): { lines: string[]; diag: ReturnType<typeof createDiagnostics> } {
  const lines: string[] = [];
  const push = (m: string): void => {
    lines.push(m);
  };
  return { lines, diag: createDiagnostics({ logger: { error: push, warn: push, info: push, debug: push } }) };
}

const schema = z.strictObject({
  port: z._default(z.int().check(z.minimum(1)), 9464),
  host: z._default(z.string(), '127.0.0.1'),
  nested: z._default(z.strictObject({ interval: z._default(z.int().check(z.positive()), 5000) }), { interval: 5000 }),
  strict: z.optional(z.boolean()),
});

describe('resolveOptions', () => {
  it('should return defaults for missing options', () => {
    const { diag, lines } = capture();
    const r = resolveOptions(schema, undefined, { component: 'x', diagnostics: diag });
    expect(r).toEqual({ ok: true, options: { port: 9464, host: '127.0.0.1', nested: { interval: 5000 } } });
    expect(lines).toEqual([]);
  });

  it('should report each invalid field once by its path and fall back to its default only', () => {
    const { diag, lines } = capture();
    const r = resolveOptions(schema, { port: -5, host: 'example.test', nested: { interval: 'soon' }, typo: 1 }, { component: 'startThing', diagnostics: diag });
    expect(r.ok).toBe(false);
    expect(r.options).toEqual({ port: 9464, host: 'example.test', nested: { interval: 5000 } });
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.includes('startThing: port:'))).toBe(true);
    expect(lines.some((l) => l.includes('startThing: nested.interval:'))).toBe(true);
    expect(lines.some((l) => l.includes('startThing: typo: unknown option'))).toBe(true);
    if (!r.ok) expect(r.issues.map((i) => i.path).sort()).toEqual(['nested.interval', 'port', 'typo']);
  });

  it('should throw a LookoutConfigError listing every issue with strict: true', () => {
    const { diag } = capture();
    expect(() => resolveOptions(schema, { port: 0, nested: { interval: -1 }, strict: true }, { component: 'startThing', diagnostics: diag })).toThrow(LookoutConfigError);
    try {
      resolveOptions(schema, { port: 0, nested: { interval: -1 }, strict: true }, { component: 'startThing', diagnostics: diag });
    } catch (error) {
      expect((error as LookoutConfigError).issues.map((i) => i.path).sort()).toEqual(['nested.interval', 'port']);
      expect((error as Error).message).toContain('startThing: invalid options');
    }
  });

  it('should make startPrometheusServer and startMetricsSdk throw at init in strict mode and correct otherwise', async () => {
    expect(() => startPrometheusServer({ port: -1, strict: true })).toThrow(LookoutConfigError);
    expect(() => startMetricsSdk({ otlp: { endpoint: 'not a url' }, strict: true })).toThrow(LookoutConfigError);
    const { configureDiagnostics, resetDiagnosticsForTests } = await import('@lookout/core');
    const lines: string[] = [];
    configureDiagnostics({ logger: { error: (m) => lines.push(m), warn: (m) => lines.push(m), info() {}, debug() {} } });
    try {
      const server = startPrometheusServer({ port: 0, path: 'no-slash' } as never);
      expect(await server.ready).toBe(true);
      expect(server.url.endsWith('/metrics')).toBe(true);
      await server.close();
      expect(lines.filter((l) => l.includes('startPrometheusServer: path:'))).toHaveLength(1);
    } finally {
      resetDiagnosticsForTests();
    }
  });
});

describe('PROFILE_DEFAULTS', () => {
  it('should export more often in development than in production', () => {
    expect(PROFILE_DEFAULTS.development.exportIntervalMs).toBeLessThan(PROFILE_DEFAULTS.staging.exportIntervalMs);
    expect(PROFILE_DEFAULTS.staging.exportIntervalMs).toBeLessThan(PROFILE_DEFAULTS.production.exportIntervalMs);
    expect(PROFILE_DEFAULTS.production.exportIntervalMs).toBe(60_000);
  });
});
