import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBudgetMonitor, defineBudget } from '@lookout/core/budgets';
import { budgetExpr } from '@lookout/core/generate';
import { makeTempDir, requireBinary } from '../../../../testing/backends.js';
import { fakeClockRegistry } from '../budgets/helpers.js';

// Two series, one sample a minute; the monitor evaluates right after each one.
const A = [10, 0, 10, 0, 10];
const B = [0, 10, 0, 10, 4];

async function monitorValue(direction: 'above' | 'below', aggregation: 'avg' | 'max' | 'min'): Promise<{ value: number | undefined; expr: string }> {
  const { registry, clock, advance } = fakeClockRegistry();
  const g = registry.gauge('queue.depth', { labels: ['q'] });
  const budget = defineBudget('queue_depth', { aggregation, direction, window: '90s', target: 1, warning: direction === 'above' ? 6 : -1, critical: direction === 'above' ? 9 : -2, for: 0 });
  const monitor = createBudgetMonitor({ registry, budgets: [budget], autoStart: false, stateRegistry: false, now: () => clock.now });
  let value: number | undefined;
  for (let i = 0; i < A.length; i++) {
    if (i > 0) advance(60_000);
    g.set(A[i]!, { q: 'a' });
    g.set(B[i]!, { q: 'b' });
    value = (await monitor.evaluate())[0]!.value;
  }
  monitor.stop();
  return { value, expr: budgetExpr(budget) };
}

describe('budget monitor', () => {
  describe('gauge aggregations over several series', () => {
    it('should reduce each series over the window before taking the worst, as the generated PromQL does', async () => {
      // Series a averages (0 + 10) / 2 = 5 over the last 90 s, series b (10 + 4) / 2 = 7.
      expect((await monitorValue('above', 'avg')).value).toBe(7);
      expect((await monitorValue('below', 'avg')).value).toBe(5);
      expect((await monitorValue('above', 'min')).value).toBe(0);
      expect((await monitorValue('below', 'max')).value).toBe(10);
    });

    it('should give what promtool computes from the generated expression', async () => {
      const promtool = requireBinary('promtool');
      const cases = [await monitorValue('above', 'avg'), await monitorValue('below', 'avg'), await monitorValue('above', 'min'), await monitorValue('below', 'max')];
      const tests = cases.map((c) => `      - expr: '${c.expr}'\n        eval_time: 4m\n        exp_samples:\n          - labels: '{}'\n            value: ${c.value}\n`).join('');
      const dir = makeTempDir('budget-avg');
      const file = join(dir, 'test.yml');
      writeFileSync(
        file,
        `tests:\n  - interval: 1m\n    input_series:\n      - series: 'queue_depth{q="a"}'\n        values: '${A.join(' ')}'\n      - series: 'queue_depth{q="b"}'\n        values: '${B.join(' ')}'\n    promql_expr_test:\n${tests}`,
      );
      const res = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
      expect(`${res.stdout}${res.stderr}`).toContain('SUCCESS');
      expect(res.status).toBe(0);
    });
  });
});
