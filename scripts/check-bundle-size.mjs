// Bundle size check of the browser entries: bundles each entry of scripts/bundle-budgets.json with
// esbuild (ESM, minified, platform browser, ES2020, code splitting), gzips (level 9) every chunk
// the entry loads statically, and compares the sum with its budget. Chunks behind a dynamic
// import (the Sentry adapter and @sentry/browser, loaded only with a DSN) are listed but not
// counted. Resolves @lookout/* to package sources, like the tests, so no build is needed.
//
//   node scripts/check-bundle-size.mjs [--json] [--targets] [--budgets FILE]
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

/** Bundles `code`; returns gzip bytes of the static closure, and the lazily loaded chunks apart. */
export async function measure(code) {
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
    const seen = new Set();
    const walk = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imp of outputs[file].imports) if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
    };
    walk(entryOut);
    let bytes = 0;
    let minBytes = 0;
    for (const file of seen) {
      bytes += gz(file);
      minBytes += outputs[file].bytes;
    }
    let lazyBytes = 0;
    for (const file of Object.keys(outputs)) if (file.endsWith('.js') && !seen.has(file)) lazyBytes += gz(file);
    return { gzipBytes: bytes, minBytes, lazyGzipBytes: lazyBytes, warnings: result.warnings.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes) => bytes / 1024;
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { entries } = JSON.parse(readFileSync(budgetsFile, 'utf8'));
  const rows = [];
  let failed = 0;
  for (const e of entries) {
    const m = await measure(e.code);
    const overBudget = kb(m.gzipBytes) > e.budgetKb;
    const overTarget = e.targetKb !== undefined && kb(m.gzipBytes) > e.targetKb;
    if (overBudget || (enforceTargets && overTarget)) failed++;
    rows.push({ name: e.name, ...m, gzipKb: +kb(m.gzipBytes).toFixed(2), budgetKb: e.budgetKb, targetKb: e.targetKb, overBudget, overTarget });
  }
  if (asJson) console.log(JSON.stringify(rows, null, 2));
  else {
    const pad = (s, n) => String(s).padEnd(n);
    const padL = (s, n) => String(s).padStart(n);
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`${pad('entry', width)}  ${padL('min KB', 7)}  ${padL('gzip KB', 7)}  ${padL('budget', 6)}  ${padL('target', 6)}  ${padL('lazy gz', 7)}  status`);
    for (const r of rows) {
      const status = r.overBudget ? 'OVER BUDGET' : r.overTarget ? `ok (target ${r.targetKb} KB missed by ${(r.gzipKb - r.targetKb).toFixed(1)} KB)` : 'ok';
      console.log(
        `${pad(r.name, width)}  ${padL(kb(r.minBytes).toFixed(1), 7)}  ${padL(r.gzipKb.toFixed(2), 7)}  ${padL(r.budgetKb, 6)}  ${padL(r.targetKb ?? '-', 6)}  ${padL(kb(r.lazyGzipBytes).toFixed(1), 7)}  ${status}`,
      );
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}
