// Bundle size check of the browser entries: bundles each entry of scripts/bundle-budgets.json with
// esbuild (ESM, minified, platform browser, ES2020, code splitting) and gzips (level 9) every chunk.
// Three sums per entry:
//   critical   the chunks the entry loads statically (before its code runs);
//   every page critical plus every chunk it loads with a dynamic import() on every page, i.e. all
//              lazy chunks except those listed in the entry's `onDemand` (input path fragments of
//              chunks loaded only when the page asks: the Sentry adapter with a DSN, self-metrics
//              with a registry). This is the sum the budget is checked against;
//   on demand  what those on-demand chunks add.
// Resolves @lookout/* to package sources, like the tests, so no build is needed.
//
//   node scripts/check-bundle-size.mjs [--json] [--targets] [--budgets FILE]
//   node scripts/check-bundle-size.mjs --code "import { x } from '@lookout/core'; x();" [--on-demand frag,frag]
//       measures one snippet (for working on a package's size) and prints its sums.
//
// Prints a table; exits 1 when an entry is over its budget (with --targets, also over its target).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const budgetsFile = args.includes('--budgets') ? resolve(args[args.indexOf('--budgets') + 1]) : join(root, 'scripts', 'bundle-budgets.json');
const enforceTargets = args.includes('--targets');
const asJson = args.includes('--json');

/** An esbuild plugin that resolves `@lookout/<pkg>[/<sub>]` to the package sources. */
export const lookoutSources = {
  name: 'lookout-sources',
  setup(b) {
    b.onResolve({ filter: /^@lookout\/[a-z-]+(\/[a-z-]+)?$/ }, (a) => {
      const [, pkg, sub] = /^@lookout\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(a.path);
      return { path: join(root, 'packages', pkg, 'src', sub ?? '', 'index.ts') };
    });
  },
};

/**
 * Bundles `code`; returns gzip bytes of the static closure (`gzipBytes`), of everything a page
 * loads without asking (`everyPageGzipBytes`: plus the dynamic imports not named in `onDemand`),
 * and of the on-demand chunks (`lazyGzipBytes`).
 */
export async function measure(code, onDemand = []) {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-size-'));
  try {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, code);
    const result = await build({
      entryPoints: [entry],
      outdir: join(dir, 'out'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      metafile: true,
      write: true,
      absWorkingDir: root,
      nodePaths: [join(root, 'node_modules')],
      logLevel: 'silent',
      plugins: [lookoutSources],
    });
    const outputs = result.metafile.outputs;
    const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint !== undefined && k.endsWith('.js'));
    const gz = (file) => gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
    const isOnDemand = (file) => Object.keys(outputs[file].inputs).some((input) => onDemand.some((fragment) => input.includes(fragment)));
    const critical = new Set();
    const everyPage = new Set();
    const walk = (file, into, followDynamic) => {
      if (into.has(file)) return;
      into.add(file);
      for (const imp of outputs[file].imports) {
        if (imp.external) continue;
        if (imp.kind === 'import-statement') walk(imp.path, into, followDynamic);
        else if (imp.kind === 'dynamic-import' && followDynamic && !isOnDemand(imp.path)) walk(imp.path, into, followDynamic);
      }
    };
    walk(entryOut, critical, false);
    walk(entryOut, everyPage, true);
    const sum = (files, of) => [...files].reduce((total, file) => total + of(file), 0);
    let lazyBytes = 0;
    for (const file of Object.keys(outputs)) if (file.endsWith('.js') && !everyPage.has(file)) lazyBytes += gz(file);
    return {
      gzipBytes: sum(critical, gz),
      minBytes: sum(critical, (f) => outputs[f].bytes),
      everyPageGzipBytes: sum(everyPage, gz),
      lazyGzipBytes: lazyBytes,
      warnings: result.warnings.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes) => bytes / 1024;
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain && args.includes('--code')) {
  const code = args[args.indexOf('--code') + 1];
  const onDemand = args.includes('--on-demand') ? args[args.indexOf('--on-demand') + 1].split(',') : [];
  const m = await measure(code, onDemand);
  console.log(`min ${kb(m.minBytes).toFixed(2)} KB  critical gz ${kb(m.gzipBytes).toFixed(2)} KB  every page gz ${kb(m.everyPageGzipBytes).toFixed(2)} KB  on demand gz ${kb(m.lazyGzipBytes).toFixed(2)} KB`);
} else if (isMain) {
  const { entries } = JSON.parse(readFileSync(budgetsFile, 'utf8'));
  const rows = [];
  let failed = 0;
  for (const e of entries) {
    const m = await measure(e.code, e.onDemand ?? []);
    const checked = kb(m.everyPageGzipBytes);
    const overBudget = checked > e.budgetKb;
    const overTarget = e.targetKb !== undefined && checked > e.targetKb;
    if (overBudget || (enforceTargets && overTarget)) failed++;
    rows.push({ name: e.name, ...m, gzipKb: +kb(m.gzipBytes).toFixed(2), everyPageKb: +checked.toFixed(2), budgetKb: e.budgetKb, targetKb: e.targetKb, overBudget, overTarget });
  }
  if (asJson) console.log(JSON.stringify(rows, null, 2));
  else {
    const pad = (s, n) => String(s).padEnd(n);
    const padL = (s, n) => String(s).padStart(n);
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(
      `${pad('entry', width)}  ${padL('min KB', 7)}  ${padL('critical gz', 11)}  ${padL('every page gz', 13)}  ${padL('budget', 6)}  ${padL('target', 6)}  ${padL('on demand gz', 12)}  status`,
    );
    for (const r of rows) {
      const status = r.overBudget ? 'OVER BUDGET' : r.overTarget ? `ok (target ${r.targetKb} KB missed by ${(r.everyPageKb - r.targetKb).toFixed(1)} KB)` : 'ok';
      console.log(
        `${pad(r.name, width)}  ${padL(kb(r.minBytes).toFixed(1), 7)}  ${padL(r.gzipKb.toFixed(2), 11)}  ${padL(r.everyPageKb.toFixed(2), 13)}  ${padL(r.budgetKb, 6)}  ${padL(r.targetKb ?? '-', 6)}  ${padL(kb(r.lazyGzipBytes).toFixed(1), 12)}  ${status}`,
      );
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}
