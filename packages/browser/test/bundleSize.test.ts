// Runs scripts/check-bundle-size.mjs, so the test command fails when a browser entry grows past
// its gzip budget in scripts/bundle-budgets.json.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCRIPT = join(ROOT, 'scripts', 'check-bundle-size.mjs');
const run = promisify(execFile);

interface Row {
  name: string;
  gzipKb: number;
  everyPageKb: number;
  budgetKb: number;
  overBudget: boolean;
  lazyGzipBytes: number;
}

async function check(args: string[]): Promise<{ code: number; rows: Row[] }> {
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, '--json', ...args], { cwd: ROOT });
    return { code: 0, rows: JSON.parse(stdout) as Row[] };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, rows: JSON.parse(e.stdout) as Row[] };
  }
}

describe('check-bundle-size', () => {
  describe('budgets', () => {
    it('should keep every browser entry within its gzip budget', async () => {
      const { code, rows } = await check([]);
      expect(rows.filter((r) => r.overBudget).map((r) => `${r.name}: ${r.everyPageKb} KB > ${r.budgetKb} KB`)).toEqual([]);
      expect(code).toBe(0);
      expect(rows.find((r) => r.name.startsWith('web-vitals '))?.gzipKb).toBeGreaterThan(3);
      // @sentry/browser (about 30 KB gzip) sits behind a dynamic import, loaded only with a DSN.
      const init = rows.find((r) => r.name.startsWith('@lookout/browser initMonitoring ('));
      expect(init?.lazyGzipBytes).toBeGreaterThan(25 * 1024);
      // The lite tier loads nothing on demand: one chunk, and no lazy chunk to share kernel modules with.
      const lite = rows.filter((r) => r.name.includes('/lite '));
      expect(lite.map((r) => r.name)).toHaveLength(4);
      for (const r of lite) expect(r.lazyGzipBytes, r.name).toBe(0);
      const liteInit = rows.find((r) => r.name.startsWith('@lookout/browser/lite initMonitoring'));
      expect(liteInit!.everyPageKb).toBeLessThan(init!.everyPageKb * 0.6);
    });

    it('should count a lazily loaded chunk against the budget unless it is declared on demand', async () => {
      const budgets = JSON.parse(readFileSync(join(ROOT, 'scripts', 'bundle-budgets.json'), 'utf8')) as { entries: Array<{ name: string; onDemand?: string[] }> };
      const init = budgets.entries.find((e) => e.name.startsWith('@lookout/browser initMonitoring ('));
      const undeclared = { entries: [{ ...init, name: 'undeclared', onDemand: [], budgetKb: 1000 }, { ...init, name: 'declared', budgetKb: 1000 }] };
      const file = join(mkdtempSync(join(tmpdir(), 'lookout-budgets-')), 'budgets.json');
      writeFileSync(file, JSON.stringify(undeclared));
      const { rows } = await check(['--budgets', file]);
      const [all, declared] = rows;
      // Without the declaration, the Sentry adapter and @sentry/browser count as loaded by every page.
      expect(all!.everyPageKb - declared!.everyPageKb).toBeGreaterThan(25);
      expect(declared!.everyPageKb).toBeGreaterThanOrEqual(declared!.gzipKb);
    });

    it('should exit 1 when an entry is over its budget', async () => {
      const budgets = JSON.parse(readFileSync(join(ROOT, 'scripts', 'bundle-budgets.json'), 'utf8')) as { entries: Array<{ budgetKb: number }> };
      const tight = { entries: budgets.entries.slice(0, 1).map((e) => ({ ...e, budgetKb: 1 })) };
      const file = join(mkdtempSync(join(tmpdir(), 'lookout-budgets-')), 'budgets.json');
      writeFileSync(file, JSON.stringify(tight));
      const { code, rows } = await check(['--budgets', file]);
      expect(code).toBe(1);
      expect(rows[0]?.overBudget).toBe(true);
    });
  });
});
