// Whole-process cold start: each script against `node -e 0`, runs interleaved, medians in ms.
// `lookout-node` (import @lookout/node + initMonitoring() + first record) is held to its target:
// at most NODE_TARGET_MS over `node -e 0`; `targets` in the output says whether it passed.
// Run after `npm run build`: node bench/coldstart.mjs [--quick] [--runs N] [extra.mjs …]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const quick = process.argv.includes('--quick');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 5 : 21;
/** Issue 7: cold start of @lookout/node at most this much over `node -e 0`. */
const NODE_TARGET_MS = 20;
const dir = fileURLToPath(new URL('./coldstart/', import.meta.url));
const extra = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--runs');
const cases = {
  baseline: ['-e', '0'],
  'lookout-core': [`${dir}lookout-core.mjs`],
  'lookout-scrape': [`${dir}lookout-scrape.mjs`],
  'lookout-node': [`${dir}node-init.mjs`],
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
const nodeOver = overBaseline['lookout-node'];
const targets = { lookoutNode: { overBaselineMs: nodeOver, targetMs: NODE_TARGET_MS, pass: nodeOver <= NODE_TARGET_MS } };
process.stderr.write(`@lookout/node cold start: +${nodeOver.toFixed(1)} ms over node -e 0 (median of ${runs}), target <= ${NODE_TARGET_MS} ms: ${targets.lookoutNode.pass ? 'PASS' : 'FAIL'}\n`);
process.stdout.write(JSON.stringify({ medianMs: med, overBaselineMs: overBaseline, targets, runs }));
