// Whole-process cold start: each script against `node -e 0`, runs interleaved, medians in ms.
// Run: node bench/coldstart.mjs [--quick] [extra.mjs …]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const quick = process.argv.includes('--quick');
const runs = quick ? 5 : 21;
const dir = fileURLToPath(new URL('./coldstart/', import.meta.url));
const extra = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const cases = {
  baseline: ['-e', '0'],
  'lookout-core': [`${dir}lookout-core.mjs`],
  'lookout-scrape': [`${dir}lookout-scrape.mjs`],
  'prom-client': [`${dir}prom-client.cjs`],
  otel: [`${dir}otel.mjs`],
  ...Object.fromEntries(extra.map((f) => [f.replace(/^.*\//, '').replace(/\.[cm]?js$/, ''), [f]])),
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i > 0) samples[name].push(ms); // the first round warms the file cache
  }
}
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const overBaseline = Object.fromEntries(Object.entries(med).map(([k, v]) => [k, v - med.baseline]));
process.stdout.write(JSON.stringify({ medianMs: med, overBaselineMs: overBaseline, runs }));
