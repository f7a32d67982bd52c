import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBudget, presetBudgets } from '@lookout/core/budgets';
import { budgetExpr, buildPrometheusRules, generatePrometheusRules, toYaml } from '@lookout/core/generate';
import { promtoolCheckRules } from '../../../../testing/backends.js';
import { seen } from '../budgets/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lookout-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(yaml: string): ReturnType<typeof promtoolCheckRules> {
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return promtoolCheckRules(file);
}

describe('generatePrometheusRules', () => {
  describe('budgetExpr', () => {
    const base = { target: 1, warning: 2, critical: 3 };
    it('should write each aggregation as the PromQL the monitor mirrors', () => {
      expect(budgetExpr(defineBudget('d_seconds', { ...base, aggregation: 'p99', window: '2m' }))).toBe('histogram_quantile(0.99, sum by (le) (rate(d_seconds_bucket[2m])))');
      expect(budgetExpr(defineBudget('d_seconds', { ...base, aggregation: 'mean' }))).toBe('sum (rate(d_seconds_sum[5m])) / sum (rate(d_seconds_count[5m]))');
      expect(budgetExpr(defineBudget('g', { ...base, aggregation: 'avg', labels: { type: 'rss' } }))).toBe('max (avg_over_time(g{type="rss"}[5m]))');
      expect(budgetExpr(defineBudget('fps', { target: 60, warning: 45, critical: 30, aggregation: 'avg' }))).toBe('min (avg_over_time(fps[5m]))');
      expect(budgetExpr(defineBudget('g', { ...base, aggregation: 'last' }))).toBe('max (g)');
      expect(budgetExpr(defineBudget('c_total', { target: 10, warning: 5, critical: 1, aggregation: 'rate' }))).toBe('sum (rate(c_total[5m]))');
      expect(budgetExpr(defineBudget('calls_total', { ...base, aggregation: 'ratio', labels: { outcome: 'error' } }), { matchers: [{ name: 'job', value: 'api' }], groupBy: ['job'] })).toBe(
        'sum by (job) (rate(calls_total{outcome="error",job="api"}[5m])) / sum by (job) (rate(calls_total{job="api"}[5m]))',
      );
    });
  });

  describe('rules', () => {
    it('should write a warning and a critical rule per budget with for, severity and budget labels', () => {
      const file = buildPrometheusRules(presetBudgets());
      const [alerts, values] = file.groups;
      expect(alerts!.name).toBe('lookout-budgets');
      expect(alerts!.rules).toHaveLength(10);
      const startup = alerts!.rules.filter((r) => r.alert === 'StartupBudget');
      expect(startup.map((r) => [r.labels!['severity'], r.labels!['budget_state'], r.expr.endsWith('> 0.1') || r.expr.endsWith('> 0.25')])).toEqual([
        ['high', 'warning', true],
        ['critical', 'critical', true],
      ]);
      const fps = alerts!.rules.find((r) => r.alert === 'FrameRateBudget' && r.labels!['budget_state'] === 'critical')!;
      expect(fps.expr).toBe('min (avg_over_time(app_frame_rate[5m])) < 30');
      expect(fps.for).toBe('5m');
      expect(fps.annotations!['summary']).toContain('under the critical threshold of 30 fps');
      expect(values!.rules.filter((r) => r.record === 'lookout:budget_value')).toHaveLength(5);
      expect(values!.rules.filter((r) => r.record === 'lookout:budget_threshold')).toHaveLength(15);
    });

    it('should pass promtool check rules, hostile text included', () => {
      const hostile = defineBudget('calls_total', {
        name: 'errors: "quoted" # not a comment\n{{ broken }} }}{{',
        description: "multi\nline: yes, 'single' and \u2028 separator",
        aggregation: 'ratio',
        labels: { outcome: 'err"or\\' },
        target: 0.001,
        warning: 0.01,
        critical: 0.05,
        runbookUrl: 'https://runbooks.example/x?a=1&b=2#frag',
        alertLabels: { team: 'yes {{' },
      });
      const yaml = generatePrometheusRules([...presetBudgets(), hostile], { matchers: [{ name: 'job', op: '=~', value: 'api|web' }], labels: { env: 'null' }, interval: '30s' });
      const result = check(yaml);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.stdout).toContain('SUCCESS: 36 rules found');
    });

    it('should apply the options: for, group by, no recording rules, profile', () => {
      const file = buildPrometheusRules(presetBudgets({ only: ['startup'] }), { for: '1s', groupBy: ['job'], recordingRules: false, profile: 'development' });
      expect(file.groups).toHaveLength(1);
      expect(file.groups[0]!.rules.map((r) => r.for)).toEqual(['1s', '1s']);
      expect(file.groups[0]!.rules[1]!.expr).toBe('histogram_quantile(0.95, sum by (le, job) (rate(app_startup_duration_seconds_bucket[1h]))) > 0.5');
    });

    it('should skip disabled budgets and report what is not a budget once', () => {
      const { diag, lines } = seen();
      const disabled = defineBudget('x', { target: 1 }, { diagnostics: seen().diag });
      const file = buildPrometheusRules([disabled, { nope: true } as never, 42 as never], { diagnostics: diag });
      expect(file.groups[0]!.rules).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(check(toYaml(file)).ok).toBe(true);
    });
  });

  describe('toYaml', () => {
    it('should quote every string and keep structure', () => {
      expect(toYaml({ a: 'yes', b: ['x', { c: 1, d: [] }], 'e f': null, on: true, g: {} })).toBe(
        'a: "yes"\nb:\n  - "x"\n  - c: 1\n    d: []\n"e f": null\n"on": true\ng: {}\n',
      );
    });
  });
});
