// @lookout/node as whole processes: cold start of import + initMonitoring() + first record over
// `node -e 0` (target ≤ 20 ms; core alone and prom-client for comparison), and the exit overhead of a CLI
// with pending data that pushes through remote write at exit, to a receiver that answers and to
// one that never does (bounded by the exit deadline). Runs interleaved; medians in ms.
// Run after `npm run build`. Prints one JSON object with a `markdown` section.
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../lib.mjs';

const quick = process.argv.includes('--quick');
const runs = quick ? 5 : 21;
const dir = fileURLToPath(new URL('../coldstart/', import.meta.url));

// Receivers in a child process, so this process's event loop does not skew the timings.
const receivers = spawn(process.execPath, ['-e', `
  const http = require('node:http');
  const ok = http.createServer((q, s) => { q.resume(); q.on('end', () => s.writeHead(204).end()); });
  const hang = http.createServer((q) => q.resume());
  ok.listen(0, '127.0.0.1', () => hang.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify([ok.address().port, hang.address().port]) + '\\n')));
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const [okPort, hangPort] = await new Promise((resolve) => receivers.stdout.once('data', (d) => resolve(JSON.parse(String(d)))));
const DEADLINE_MS = 300;

const cases = {
  baseline: { args: ['-e', '0'] },
  'node-init': { args: [`${dir}node-init.mjs`] },
  'lookout-core': { args: [`${dir}lookout-core.mjs`] },
  'prom-client': { args: [`${dir}prom-client.cjs`] },
  'exit-push-ok': { args: [`${dir}node-exit-push.mjs`], env: { REMOTE_WRITE_URL: `http://127.0.0.1:${okPort}/api/v1/write` } },
  'exit-push-hang': { args: [`${dir}node-exit-push.mjs`], env: { REMOTE_WRITE_URL: `http://127.0.0.1:${hangPort}/api/v1/write`, DEADLINE_MS: String(DEADLINE_MS) } },
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, c] of Object.entries(cases)) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...c.env } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i > 0) samples[name].push(ms);
  }
}
receivers.kill();
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const over = (k, base = 'baseline') => med[k] - med[base];
const f = (n) => n.toFixed(1);
const result = {
  runs,
  medianMs: med,
  coldStartOverBaselineMs: { lookoutNode: over('node-init'), lookoutCore: over('lookout-core'), nodeOverCore: over('node-init', 'lookout-core'), promClient: over('prom-client') },
  exitOverheadMs: { answered: over('exit-push-ok', 'node-init'), neverAnswers: over('exit-push-hang', 'node-init'), deadlineMs: DEADLINE_MS },
};
const ok = (b) => (b ? '✅' : '❌');
result.markdown = [
  '## @lookout/node: cold start and exit',
  '',
  `Whole \`node\` processes, ${runs} interleaved runs each, medians (first round discarded). \`node -e 0\`: ${f(med.baseline)} ms.`,
  '',
  '| measure | ms | target | met |',
  '|---|---|---|---|',
  `| import + \`initMonitoring()\` (runtime metrics on) + first record, over \`node -e 0\` | +${f(result.coldStartOverBaselineMs.lookoutNode)} | ≤ 20 | ${ok(result.coldStartOverBaselineMs.lookoutNode <= 20)} |`,
  `| of which @lookout/core alone (import + registry + first record; in this run, interleaved with the others) | +${f(result.coldStartOverBaselineMs.lookoutCore)} | (checked in the cold start table above) | |`,
  `| of which @lookout/node on top of core (env, config, runtime metrics, exit hooks, workers) | +${f(result.coldStartOverBaselineMs.nodeOverCore)} | | |`,
  `| prom-client: import + registry + first record, over \`node -e 0\` | +${f(result.coldStartOverBaselineMs.promClient)} | | |`,
  `| exit overhead of a CLI with pending data: remote-write push at exit, receiver answers | +${f(result.exitOverheadMs.answered)} | within the deadline (2000) | ${ok(result.exitOverheadMs.answered <= 2000)} |`,
  `| exit overhead when the receiver never answers (deadline ${DEADLINE_MS} ms) | +${f(result.exitOverheadMs.neverAnswers)} | ≤ deadline + 100 | ${ok(result.exitOverheadMs.neverAnswers <= DEADLINE_MS + 100)} |`,
  '',
  'Processes of this table run interleaved with the ones that push at exit, so its core and prom-client figures sit above the cold start table\'s, which times them alone; compare within one table. The exit overhead is the process time beyond the same start without a push configured: rendering, encoding (protobuf + snappy), and the HTTP round trip (node:http) at exit.',
].join('\n');
process.stdout.write(JSON.stringify(result));
