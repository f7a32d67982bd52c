import { describe, expect, it } from 'vitest';
import { presetBudgets } from '@lookout/core/budgets';
import { DASHBOARD_VIEWS, generateGrafanaDashboard, generateGrafanaDashboards } from '@lookout/core/generate';
import { seen } from '../budgets/helpers.js';

describe('generateGrafanaDashboards', () => {
  const budgets = presetBudgets();
  const dashboards = generateGrafanaDashboards(budgets);

  it('should make the four views with unique uids', () => {
    expect(Object.keys(dashboards)).toEqual([...DASHBOARD_VIEWS]);
    expect(new Set(Object.values(dashboards).map((d) => d.uid)).size).toBe(4);
    for (const d of Object.values(dashboards)) expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('should lay panels out on the 24-column grid without overlaps and with unique ids', () => {
    for (const d of Object.values(dashboards)) {
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size, d.uid).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of d.panels) {
        expect(p.gridPos.x + p.gridPos.w, `${d.uid} ${p.title}`).toBeLessThanOrEqual(24);
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`), `${d.uid} ${p.title} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
        for (const t of p.targets ?? []) {
          expect(t.expr, p.title).not.toBe('');
          expect(t.refId).toMatch(/^[A-Z]$/);
        }
      }
    }
  });

  it('should draw each budget with its thresholds and filter on the job variable', () => {
    const ops = dashboards.operations;
    const startup = ops.panels.find((p) => p.title.startsWith('startup:'))!;
    expect(startup.type).toBe('timeseries');
    const defaults = (startup['fieldConfig'] as { defaults: { unit: string; thresholds: { steps: Array<{ value: number | null }> }; custom: { thresholdsStyle: { mode: string } } } }).defaults;
    expect(defaults.unit).toBe('s');
    expect(defaults.thresholds.steps.map((s) => s.value)).toEqual([null, 0.05, 0.1, 0.25]);
    expect(defaults.custom.thresholdsStyle.mode).toBe('dashed+area');
    expect(startup.targets![0]!.expr).toBe('histogram_quantile(0.95, sum by (le) (rate(app_startup_duration_seconds_bucket{job=~"$job"}[1h])))');
    const fps = ops.panels.find((p) => p.title.startsWith('frame-rate:'))!;
    expect((fps['fieldConfig'] as { defaults: { thresholds: { steps: Array<{ color: string; value: number | null }> } } }).defaults.thresholds.steps).toEqual([
      { color: 'red', value: null },
      { color: 'orange', value: 30 },
      { color: 'yellow', value: 45 },
      { color: 'green', value: 60 },
    ]);
    for (const d of Object.values(dashboards)) {
      expect((d['templating'] as { list: Array<{ name: string }> }).list.map((v) => v.name)).toEqual(['datasource', 'job']);
    }
  });

  it('should show rates, p50/p95/p99 and error ratios in the views the issue names', () => {
    const exprs = (view: keyof typeof dashboards) => dashboards[view].panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    expect(exprs('operations')).toContain('histogram_quantile(0.99');
    expect(exprs('operations')).toContain('outcome="error"');
    expect(exprs('developer')).toContain('sum by (le, function)');
    expect(exprs('security')).toContain('lookout_security_events_total');
    expect(exprs('executive')).toContain('lookout_performance_score');
  });

  it('should fall back to operations for an unknown view, with one diagnostic', () => {
    const { diag, lines } = seen();
    expect(generateGrafanaDashboard('nope' as never, budgets, { diagnostics: diag }).uid).toBe('lookout-operations');
    expect(lines).toHaveLength(1);
  });
});
