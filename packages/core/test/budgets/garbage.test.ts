import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBudgetMonitor, createTrendDetector, createZScoreDetector, defineBudget, gradeBudgets, presetBudgets, withBudgetProfile } from '@lookout/core/budgets';
import { collectReportFromRegistry, generateAlertmanagerConfig, generateGrafanaDashboards, generatePrometheusRules, renderReportCsv, renderReportHtml } from '@lookout/core/generate';
import { fakeClockRegistry, seen } from './helpers.js';

const garbage = fc.oneof(fc.anything(), fc.constant(null), fc.constant(undefined), fc.constant(NaN), fc.constant(() => 1), fc.string());

describe('budgets with garbage input', () => {
  it('defineBudget should never throw and should report invalid options', () => {
    fc.assert(
      fc.property(garbage, garbage, (metric, options) => {
        const { diag, lines } = seen();
        const b = defineBudget(metric as never, options as never, { diagnostics: diag });
        expect(typeof b.enabled).toBe('boolean');
        // Anything short of a valid metric and three ordered thresholds is reported.
        if (!b.enabled) expect(lines.length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('should report a bad field by its path (one diagnostic per invalid value) and keep the budget', () => {
    fc.assert(
      fc.property(fc.constantFrom('for', 'window', 'aggregation', 'labels', 'severity', 'weight', 'unit', 'profile'), garbage.filter((v) => typeof v !== 'undefined'), (field, value) => {
        const { diag, lines } = seen();
        const b = defineBudget('m', { target: 1, warning: 2, critical: 3, [field]: value } as never, { diagnostics: diag });
        if (field !== 'labels' && field !== 'severity') expect(lines.length).toBeLessThanOrEqual(1);
        for (const line of lines) expect(line).toContain(`: ${field}`);
        expect(b.enabled).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('monitors, detectors and the grade should never throw', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, garbage, fc.array(garbage, { maxLength: 5 }), async (options, value, list) => {
        const { registry, diag } = fakeClockRegistry();
        const m = createBudgetMonitor({ ...(typeof options === 'object' && options !== null ? options : {}), registry, diagnostics: diag, autoStart: false, budgets: list as never, watches: list as never });
        await m.evaluate();
        m.stop();
        createZScoreDetector(options as never).update(value as never);
        createTrendDetector(options as never).update(value as never, value as never);
        gradeBudgets(list as never);
      }),
      { numRuns: 200 },
    );
  });

  it('generators should never throw on garbage budgets and options', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(garbage, { maxLength: 4 }), garbage, async (list, options) => {
        const { registry, diag } = fakeClockRegistry();
        const opts = { ...(typeof options === 'object' && options !== null ? options : {}), diagnostics: diag };
        const budgets = [...(list as never[]), ...presetBudgets()];
        expect(typeof generatePrometheusRules(budgets, opts as never)).toBe('string');
        expect(typeof generateAlertmanagerConfig(opts as never)).toBe('string');
        expect(Object.keys(generateGrafanaDashboards(budgets, opts as never))).toHaveLength(4);
        const data = await collectReportFromRegistry(budgets, { ...opts, registry } as never);
        renderReportHtml(data);
        renderReportCsv(data);
        withBudgetProfile(presetBudgets()[0]!, (typeof options === 'string' ? options : 'staging') as never);
      }),
      { numRuns: 100 },
    );
  });
});
