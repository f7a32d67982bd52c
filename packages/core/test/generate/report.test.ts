import { describe, expect, it } from 'vitest';
import { createBudgetMonitor, defineBudget } from '@lookout/core/budgets';
import { collectReportFromPrometheus, collectReportFromRegistry, renderReportCsv, renderReportHtml, renderReportJson, type ReportData } from '@lookout/core/generate';
import { fakeClockRegistry } from '../budgets/helpers.js';

async function registryReport(): Promise<ReportData> {
  const { registry, advance } = fakeClockRegistry();
  const heap = registry.gauge('app.memory.usage', { unit: 'By', labels: ['type'] });
  const errors = registry.counter('app.errors', { labels: ['category', 'severity'] });
  const budget = defineBudget('app_memory_usage_bytes', { name: 'memory <script>', labels: { type: 'heap_used' }, aggregation: 'last', target: 25, warning: 50, critical: 100, for: 0 });
  const monitor = createBudgetMonitor({ registry, budgets: [budget], autoStart: false });
  for (let i = 0; i < 10; i++) {
    heap.set(40 + 2 * i, { type: 'heap_used' });
    await monitor.evaluate();
    advance(60_000);
  }
  errors.add(5, { category: 'network', severity: 'high' });
  errors.add(2, { category: 'validation', severity: 'low' });
  errors.add(9, { category: '=cmd|calc', severity: 'high' });
  return collectReportFromRegistry([budget], { registry, monitor, title: 'Nightly, "quoted"' });
}

describe('reports', () => {
  describe('collectReportFromRegistry', () => {
    it('should give value, state, trend, top errors and grade', async () => {
      const data = await registryReport();
      expect(data.source).toBe('registry');
      const [b] = data.budgets;
      expect(b).toMatchObject({ value: 58, state: 'warning', unit: 'By' });
      expect(b!.series).toHaveLength(10);
      expect(b!.trend!.slope).toBeCloseTo(2 / 60, 12);
      expect(b!.trend!.r2).toBe(1);
      expect(data.topErrors.map((e) => e.count)).toEqual([9, 5, 2]);
      expect(data.grade).toBe('B');
    });

    it('should compute values from the registry alone, without a monitor', async () => {
      const { registry } = fakeClockRegistry();
      registry.histogram('d', { unit: 's', buckets: [0.1, 1] }).record(0.5);
      const data = await collectReportFromRegistry([defineBudget('d_seconds', { aggregation: 'p50', target: 0.2, warning: 0.4, critical: 0.8 })], { registry });
      expect(data.budgets[0]).toMatchObject({ value: 0.55, state: 'warning', series: [], trend: null });
    });
  });

  describe('collectReportFromPrometheus', () => {
    it('should report an unreachable server in warnings and never reject', async () => {
      const data = await collectReportFromPrometheus([defineBudget('x', { target: 1, warning: 2, critical: 3 })], {
        url: 'http://127.0.0.1:1',
        fetch: () => Promise.reject(new Error('ECONNREFUSED')),
      });
      expect(data.budgets[0]!.state).toBe('nodata');
      expect(data.warnings.join()).toContain('ECONNREFUSED');
    });
  });

  describe('renderers', () => {
    it('should escape HTML and reference no external asset', async () => {
      const html = renderReportHtml(await registryReport());
      expect(html).not.toContain('<script>');
      expect(html).toContain('memory &lt;script&gt;');
      expect(html).toContain("default-src 'none'");
      const urls = [...html.matchAll(/(?:src|href)=["']?([^"' >]+)/g)].map((m) => m[1]);
      expect(urls).toEqual([]);
      expect(html.match(/<svg /g)).toHaveLength(1);
    });

    it('should write CSV with quotes and defused formulas', async () => {
      const data = await registryReport();
      data.budgets[0]!.name = '=HYPERLINK("x"), hi';
      const csv = renderReportCsv(data);
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe('budget,name,metric,aggregation,direction,unit,target,warning,critical,value,state,score,trend_slope_per_s,trend_r2,forecast');
      expect(lines[1]).toContain(`"'=HYPERLINK(""x""), hi"`);
      expect(lines).toHaveLength(3);
    });

    it('should write JSON without non-finite numbers', async () => {
      const data = await registryReport();
      data.budgets[0]!.value = Infinity;
      expect(JSON.parse(renderReportJson(data)).budgets[0].value).toBeNull();
    });
  });
});
