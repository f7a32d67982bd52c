#!/usr/bin/env node
/**
 * Checks every publishable workspace package the way a consumer will see it.
 *
 * For each `packages/*` folder that is not private and has a built `dist/` (run `npm run build`
 * first; the root `npm test` does), this runs
 *   - publint --strict: package.json `exports`/`main`/`types`/`files` against the packed files;
 *     --strict turns warnings into errors, suggestions are printed but do not fail;
 *   - attw --pack (@arethetypeswrong/cli): resolves every `exports` subpath the way TypeScript
 *     does under node10, node16 (from CJS and from ESM) and bundler resolution, and checks that
 *     the types found match the JavaScript found (ESM vs CJS, default exports, missing types).
 * then prints a table and exits 1 if any package fails, 0 otherwise.
 *
 * Usage: node scripts/check-packages.mjs [PACKAGE_DIR...]   (default: every packages/* folder)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/*
 * attw profile: `node16` checks node16-CJS, node16-ESM and bundler resolution, and skips
 * `node10` (TypeScript's legacy `moduleResolution: node`). node10 ignores `exports`, so it can
 * never see subpath entries such as `@lookout/core/sdk`; the fixes (a `typesVersions` map or
 * stub folders per subpath) add surface for a resolution mode that TypeScript itself deprecates
 * (TS 5.x warns about it, TS 7 drops it) and that no Node >= 20 consumer needs. Everything
 * node16 and bundlers see must be right: no rule is ignored.
 */
const ATTW_ARGS = ['--profile', 'node16', '--format', 'json'];

/** @returns {string[]} package dirs to check */
function packageDirs(argv) {
  if (argv.length > 0) return argv.map((d) => resolve(d));
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return [];
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .sort();
}

function run(command, args, cwd) {
  const res = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 5 * 60_000,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (res.error) return { status: null, output: `${command} failed to run: ${res.error.message}` };
  return { status: res.status, stdout: res.stdout, output: `${res.stdout}${res.stderr}`.trim() };
}

function runPublint(dir) {
  const res = run(bin('publint'), ['run', dir, '--strict', '--pack', 'npm'], root);
  // publint lists "Errors:", "Warnings:" and "Suggestions:" sections; --strict prints warnings
  // as errors and exits 1 on any of them.
  const suggestions = /Suggestions:/.test(res.output) ? ' (+suggestions)' : '';
  return { ok: res.status === 0, summary: res.status === 0 ? `ok${suggestions}` : 'FAIL', details: res.output };
}

/** Resolution modes that ATTW_ARGS' profile leaves out; attw still lists their problems. */
const IGNORED_RESOLUTIONS = new Set(['node10']);

/** Pulls a one-line summary out of attw's JSON report: counted problems, then ignored ones. */
function summarizeAttw(report) {
  const problems = Array.isArray(report?.analysis?.problems) ? report.analysis.problems : [];
  const counted = new Map();
  let ignored = 0;
  for (const problem of problems) {
    if (IGNORED_RESOLUTIONS.has(problem.resolutionKind)) {
      ignored += 1;
      continue;
    }
    counted.set(problem.kind, (counted.get(problem.kind) ?? 0) + 1);
  }
  const parts = [...counted].map(([kind, n]) => `${kind}×${n}`);
  if (ignored > 0) parts.push(`${ignored} node10-only ignored`);
  return parts.join(', ');
}

function runAttw(dir) {
  const res = run(bin('attw'), ['--pack', dir, ...ATTW_ARGS], root);
  let ok = res.status === 0;
  let summary = '';
  try {
    const report = JSON.parse(res.stdout ?? '');
    summary = summarizeAttw(report);
    // attw exits 0 for a package that ships no types at all; for us that is a failure.
    if (!report?.analysis?.types) {
      ok = false;
      summary = summary ? `no types, ${summary}` : 'no types';
    }
  } catch {
    // Not JSON: attw itself failed (e.g. npm pack); the raw output goes into the details.
    ok = false;
  }
  let details = res.output;
  if (!ok) {
    // The human-readable table says which entry point and resolution mode broke.
    details = run(bin('attw'), ['--pack', dir, '--profile', 'node16', '--format', 'ascii'], root).output;
  }
  return { ok, summary: `${ok ? 'ok' : 'FAIL'}${summary ? ` (${summary})` : ''}`, details };
}

function pad(text, width) {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function printTable(rows) {
  const headers = ['package', 'publint', 'attw'];
  const cells = rows.map((r) => [r.name, r.publint, r.attw]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (cols) => `| ${cols.map((c, i) => pad(c, widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

function main() {
  const rows = [];
  const failures = [];
  const notes = [];
  for (const dir of packageDirs(process.argv.slice(2))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const name = pkg.name ?? relative(root, dir);
    if (pkg.private) {
      rows.push({ name, publint: 'skipped (private)', attw: 'skipped (private)' });
      continue;
    }
    const dist = join(dir, 'dist');
    if (!existsSync(dist) || !statSync(dist).isDirectory()) {
      rows.push({ name, publint: 'skipped (no dist/)', attw: 'skipped (no dist/)' });
      continue;
    }
    const publint = runPublint(dir);
    const attw = runAttw(dir);
    rows.push({ name, publint: publint.summary, attw: attw.summary });
    if (!publint.ok) failures.push({ name, tool: 'publint', details: publint.details });
    if (!attw.ok) failures.push({ name, tool: 'attw', details: attw.details });
    if (publint.ok && /Suggestions:/.test(publint.details ?? '')) {
      notes.push({ name, tool: 'publint suggestions (not failing)', details: publint.details });
    }
  }

  if (rows.length === 0) {
    console.log('check-packages: no packages found');
    return 0;
  }
  printTable(rows);
  for (const f of [...notes, ...failures]) console.log(`\n--- ${f.name}: ${f.tool} ---\n${f.details}`);
  const checked = rows.filter((r) => !r.publint.startsWith('skipped')).length;
  if (failures.length > 0) {
    console.log(`\ncheck-packages: ${failures.length} problem(s) in ${checked} checked package(s)`);
    return 1;
  }
  console.log(`\ncheck-packages: ${checked} package(s) checked, all ok`);
  return 0;
}

process.exitCode = main();
