import { afterEach, describe, expect, it } from 'vitest';
import { configureDiagnostics, createDiagnostics, createMetricsRegistry, renderPrometheus, resetDiagnosticsForTests, type Logger } from '@lookout/core';

function lines(): { logger: Logger; seen: string[] } {
  const seen: string[] = [];
  const push = (m: string): void => void seen.push(m);
  return { logger: { error: push, warn: push, info: push, debug: push }, seen };
}

describe('configureDiagnostics', () => {
  afterEach(() => resetDiagnosticsForTests());

  it.each([0, -3, 1.5, '10', Number.POSITIVE_INFINITY])('should refuse maxPerMinute %s with one diagnostic, and keep reporting at the default rate', (maxPerMinute) => {
    const { logger, seen } = lines();
    const diag = configureDiagnostics({ logger, maxPerMinute } as never);
    expect(seen).toEqual([expect.stringMatching(/config\.invalid: configureDiagnostics: maxPerMinute: invalid or unknown; the default is used/)]);
    for (let i = 0; i < 5; i++) diag.warn('later', `problem ${i}`, String(i));
    expect(seen).toHaveLength(6);
  });

  it('should refuse an unknown level and unknown keys with one diagnostic each, level warn taking over', () => {
    const { logger, seen } = lines();
    const diag = configureDiagnostics({ logger, level: 'verbose', bogus: 1, strict: true } as never);
    expect(seen).toHaveLength(3);
    expect(seen.join('\n')).toMatch(/configureDiagnostics: level: invalid/);
    expect(seen.join('\n')).toMatch(/configureDiagnostics: bogus: invalid or unknown/);
    // `strict` is not an option here: reported as unknown, never thrown.
    expect(seen.join('\n')).toMatch(/configureDiagnostics: strict: invalid or unknown/);
    diag.info('i', 'not shown at warn');
    diag.warn('w', 'shown');
    expect(seen).toHaveLength(4);
  });

  it('should stay silent for valid options', () => {
    const { logger, seen } = lines();
    configureDiagnostics({ logger, level: 'info', maxPerMinute: 5, onInternalError: () => {}, now: () => 0 });
    expect(seen).toEqual([]);
  });
});

describe('createMetricsRegistry', () => {
  it('should refuse each invalid or unknown option with one diagnostic naming it, and use its default', async () => {
    const { logger, seen } = lines();
    const diagnostics = createDiagnostics({ logger });
    const registry = createMetricsRegistry({ cardinalityLimit: -1, maxLabelValueLength: 'x', seriesTtlMs: Number.NaN, bogus: 1, diagnostics } as never);
    expect(seen).toHaveLength(4);
    for (const path of ['cardinalityLimit', 'maxLabelValueLength', 'seriesTtlMs', 'bogus']) {
      expect(seen.join('\n')).toMatch(new RegExp(`createMetricsRegistry: ${path}: invalid or unknown; the default is used`));
    }
    // Defaults: 2000 label sets, 256 characters, no TTL.
    const c = registry.counter('c', { labels: ['k'] });
    for (let i = 0; i < 3; i++) c.add(1, { k: `${i}${'v'.repeat(100)}` });
    const text = await renderPrometheus(registry);
    expect(text.match(/^c_total\{/gm)).toHaveLength(3);
    expect(text).not.toContain('otel_metric_overflow');
  });

  it('should refuse options that are not an object with one diagnostic', () => {
    const { logger, seen } = lines();
    configureDiagnostics({ logger });
    try {
      createMetricsRegistry('fast' as never);
      expect(seen).toEqual([expect.stringContaining('createMetricsRegistry: (options): must be an object')]);
    } finally {
      resetDiagnosticsForTests();
    }
  });

  it('should stay silent for valid options', () => {
    const { logger, seen } = lines();
    createMetricsRegistry({ cardinalityLimit: 10, maxLabelValueLength: 64, seriesTtlMs: 0, diagnostics: createDiagnostics({ logger }), now: Date.now });
    expect(seen).toEqual([]);
  });
});
