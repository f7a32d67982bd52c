// The benchmark suite: runs every scenario and prints one markdown report (machine line, tables,
// targets met or missed). `--write` also stores it in docs/performance.md. `--quick` for a smoke run.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const root = fileURLToPath(new URL('..', import.meta.url));
const SCENARIO_TIMEOUT_MS = 10 * 60_000;
const node = (args) =>
  JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, timeout: SCENARIO_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] }));

/** A scenario that printed plain JSON without its own markdown: one table of its (flattened) figures. */
function genericTable(title, data) {
  const rows = [];
  const walk = (prefix, v) => {
    if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(prefix === '' ? k : `${prefix}.${k}`, c);
    else rows.push(`| ${prefix} | ${typeof v === 'number' ? f(v, 2) : String(v)} |`);
  };
  walk('', data);
  return [`## ${title}`, '', '| measure | value |', '|---|---|', ...rows].join('\n');
}
const q = quick ? ['--quick'] : [];

const f = (n, d = 1) => (n >= 100 ? n.toFixed(0) : n.toFixed(d));
const x = (a, b) => `${(a / b).toFixed(1)}×`;
const check = (ok) => (ok ? '✅' : '❌');

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ' (quick run)' : ''}`;

const m = node(['--expose-gc', 'bench/scenarios/metrics.mjs', ...q]);
const cold = node(['bench/coldstart.mjs', ...q]);
const hc = m.hotPath.counter;
const hh = m.hotPath.histogram;
const ex = m.exposition.ms;
const mem = m.memory;

const lines = [];
lines.push('# Performance', '');
lines.push('Produced by `npm run bench` (`node bench/run.mjs --write`). Lookout, prom-client 15 and the raw OpenTelemetry SDK (sdk-metrics 2.12) run side by side in one process, rounds interleaved; numbers are medians. Do not edit by hand: rerun the suite.', '');
lines.push(`Machine: ${machine}`, '');
lines.push('## Recording (ns per operation, 3 labels)', '');
lines.push('| operation | floor | Lookout bound | Lookout unbound | prom-client `labels()` | prom-client unbound | OpenTelemetry |');
lines.push('|---|---|---|---|---|---|---|');
lines.push(`| counter add | ${f(hc.floor, 2)} | ${f(hc.lookoutBound, 2)} | ${f(hc.lookoutUnbound)} | ${f(hc.promBound)} | ${f(hc.promUnbound)} | ${f(hc.otel)} |`);
lines.push(`| histogram record | ${f(hh.floor, 2)} | ${f(hh.lookoutBound, 2)} | ${f(hh.lookoutUnbound)} | ${f(hh.promBound)} | ${f(hh.promUnbound)} | ${f(hh.otel)} |`);
lines.push('', 'The floor does the same work as a bound handle with nothing in the way: it validates the value (a finite number, ≥ 0 for counters) and adds it to a typed-array slot chosen in advance (a histogram also finds the bucket and adds to sum and count). OpenTelemetry has no bound instruments; its column reuses one attributes object per series, its best case.', '');
lines.push('## Exposition, memory, instrument(), cold start', '');
lines.push('| measure | Lookout | prom-client | OpenTelemetry |');
lines.push('|---|---|---|---|');
lines.push(`| Prometheus text, 10,000 counter series (ms) | ${f(ex.lookout, 2)} | ${f(ex.prom, 2)} | ${f(ex.otel, 2)} |`);
lines.push(`| steady memory per counter series (bytes) | ${f(mem.counter.lookout, 0)} | ${f(mem.counter.prom, 0)} | ${f(mem.counter.otel, 0)} |`);
lines.push(`| steady memory per histogram series, 14 buckets (bytes) | ${f(mem.histogram.lookout, 0)} | ${f(mem.histogram.prom, 0)} | ${f(mem.histogram.otel, 0)} |`);
lines.push(`| cold start over \`node -e 0\`: import, init, first record (ms) | ${f(cold.overBaselineMs['lookout-core'])} | ${f(cold.overBaselineMs['prom-client'])} | ${f(cold.overBaselineMs.otel)} |`);
lines.push(`| cold start with the scrape endpoint listening (ms) | ${f(cold.overBaselineMs['lookout-scrape'])} | | |`);
lines.push('', `\`instrument()\` on an async function: ${f(m.instrument.bare)} ns bare, ${f(m.instrument.instrumented)} ns instrumented, **+${f(m.instrument.added)} ns**.`, '');
lines.push(`Memory is the heap growth per series after the series were created and collected once (a scraped process), measured with \`--expose-gc\` over ${quick ? '5,000' : '20,000'} series whose label values already exist. Cold start is the median wall time of whole \`node\` processes (first run discarded) minus that of \`node -e 0\`.`, '');
lines.push('## Targets (foundation issue)', '');
lines.push('| target | measured | met |');
lines.push('|---|---|---|');
const targets = [
  ['bound counter add within 2× of the floor', x(hc.lookoutBound, hc.floor), hc.lookoutBound <= 2 * hc.floor],
  ['bound histogram record within 2× of the floor', x(hh.lookoutBound, hh.floor), hh.lookoutBound <= 2 * hh.floor],
  ['unbound counter, 3 labels: ≥ 3× faster than prom-client', x(hc.promUnbound, hc.lookoutUnbound), hc.promUnbound >= 3 * hc.lookoutUnbound],
  ['unbound counter, 3 labels: ≥ 15× faster than OpenTelemetry', x(hc.otel, hc.lookoutUnbound), hc.otel >= 15 * hc.lookoutUnbound],
  ['unbound histogram, 3 labels: ≥ 3× faster than prom-client', x(hh.promUnbound, hh.lookoutUnbound), hh.promUnbound >= 3 * hh.lookoutUnbound],
  ['unbound histogram, 3 labels: ≥ 15× faster than OpenTelemetry', x(hh.otel, hh.lookoutUnbound), hh.otel >= 15 * hh.lookoutUnbound],
  ['exposition of 10,000 series ≥ 5× faster than prom-client', x(ex.prom, ex.lookout), ex.prom >= 5 * ex.lookout],
  ['memory per counter series ≤ prom-client', `${f(mem.counter.lookout, 0)} B vs ${f(mem.counter.prom, 0)} B`, mem.counter.lookout <= mem.counter.prom],
  ['memory per histogram series ≤ prom-client', `${f(mem.histogram.lookout, 0)} B vs ${f(mem.histogram.prom, 0)} B`, mem.histogram.lookout <= mem.histogram.prom],
  ['instrument() adds ≤ 300 ns to an async call', `+${f(m.instrument.added)} ns`, m.instrument.added <= 300],
  ['cold start ≤ 10 ms over `node -e 0`', `+${f(cold.overBaselineMs['lookout-core'])} ms`, cold.overBaselineMs['lookout-core'] <= 10],
];
for (const [t, v, ok] of targets) lines.push(`| ${t} | ${v} | ${check(ok)} |`);
lines.push('');

// Scenarios of the other packages: every bench/scenarios/*.mjs prints JSON, with a `markdown`
// section of its own or plain figures. Helper processes a scenario starts live elsewhere
// (files starting with `_` are skipped).
for (const file of readdirSync(new URL('./scenarios/', import.meta.url)).sort()) {
  if (file === 'metrics.mjs' || !file.endsWith('.mjs') || file.startsWith('_')) continue;
  try {
    const out = node([`bench/scenarios/${file}`, ...q]);
    const name = file.replace(/\.mjs$/, '');
    if (typeof out.markdown === 'string') lines.push(out.markdown.trim(), '');
    else if (name.endsWith('-reliability')) lines.push(`## ${name}`, '', `Ran. Its fault matrix is in [reliability](reliability.md); \`node bench/scenarios/${file}\` prints every figure.`, '');
    else lines.push(genericTable(name, out), '');
  } catch (error) {
    lines.push(`## ${file}`, '', `Failed to run: ${String(error.message).split('\n')[0]}`, '');
    process.exitCode = 1;
  }
}

const report = `${lines.join('\n').trim()}\n`;
process.stdout.write(report);
if (write) writeFileSync(new URL('../docs/performance.md', import.meta.url), report);
