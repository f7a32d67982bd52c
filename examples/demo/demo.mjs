#!/usr/bin/env node
// The Lookout demo, on embedded defaults (no external service):
//  1. a multi-model processing pipeline (several models answer each request, one stage at a time,
//     then a consensus step), instrumented with @lookout/core, metrics at http://127.0.0.1:9464/metrics;
//  2. examples/server: an HTTP server with @lookout/node (failed logins trip the brute-force
//     detector, an error is reported), its metrics on their own port;
//  3. examples/cli: a CLI run that records stages, errors and usage and flushes on exit;
//  4. examples/library: a library that only uses instrument(), without and with an SDK.
//
//   npm run demo                  keep serving until Ctrl-C
//   npm run demo -- --duration 5  stop after 5 seconds
//   npm run demo -- --port 9465   another port for the pipeline (the server example uses the next two)
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createStandardMetrics, getDefaultRegistry, instrument, renderPrometheus } from '@lookout/core';
import { startPrometheusServer } from '@lookout/core/prometheus';

const processStart = performance.timeOrigin;
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(arg('port', '9464'));
const durationS = Number(arg('duration', '0'));
const serverPort = Number(arg('server-port', String(port + 1)));
const serverMetricsPort = Number(arg('server-metrics-port', String(port + 2)));
const examples = fileURLToPath(new URL('..', import.meta.url));

// 1. Metrics: the default registry starts aggregating once a reader (the scrape server) is attached.
const registry = getDefaultRegistry();
const server = startPrometheusServer({ port, registry });
const std = createStandardMetrics({ namespace: 'demo', registry });
const filesAnalyzed = registry.counter('demo.files.analyzed', { unit: '{file}', description: 'Files analysed', labels: ['language'] });
const cacheHitRatio = registry.gauge('demo.cache.hit_ratio', { unit: '1', description: 'Share of lookups answered from the cache' });
const commands = registry.counter('demo.commands', { unit: '{command}', description: 'Commands run, by command and outcome', labels: ['command', 'outcome'] });
const commandDuration = registry.histogram('demo.command.duration', { unit: 's', description: 'Duration of a command', labels: ['command'] });

// 2. A pipeline: each stage asks every model, timed per stage and model.
const MODELS = ['model-a', 'model-b', 'model-c'];
const STAGES = ['parse', 'analyze', 'review', 'consensus'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const askModel = instrument('askModel', async (stage, model) => {
  const ms = 5 + Math.random() * (stage === 'review' ? 60 : 20) + (model === 'model-c' ? 15 : 0);
  await sleep(ms);
  if (stage === 'review' && model === 'model-b' && Math.random() < 0.15) throw new Error('model-b timed out');
  return `${model}:${stage}`;
}, { namespace: 'demo' });

async function runPipeline(file) {
  for (const stage of STAGES) {
    const models = stage === 'consensus' ? ['judge'] : MODELS;
    await Promise.all(
      models.map(async (model) => {
        const end = std.stageDuration.startTimer({ stage, model });
        try {
          await askModel(stage, model);
          end({ outcome: 'success' });
        } catch {
          end({ outcome: 'error' });
          std.errors.add(1, { category: 'api', severity: 'medium' });
        }
      }),
    );
  }
  filesAnalyzed.add(1, { language: file.endsWith('.ts') ? 'typescript' : 'python' });
}

const memory = () => {
  const m = process.memoryUsage();
  std.memoryUsage.set(m.rss, { type: 'rss' });
  std.memoryUsage.set(m.heapUsed, { type: 'heap_used' });
};

// 3. Startup is "ready" once the endpoint listens.
const listening = await server.ready;
std.startupDuration.record((Date.now() - processStart) / 1000);
memory();
if (!listening) {
  console.error(`Port ${port} is busy: run with --port <another port>.`);
  process.exit(1);
}

console.log('Lookout demo: an instrumented multi-model pipeline.');
console.log(`Metrics: ${server.url}   (Prometheus text; OpenMetrics with Accept: application/openmetrics-text)`);
console.log('');

let runs = 0;
const session = std.activeSessions;
async function tick() {
  session.add(1);
  const files = ['src/app.ts', 'lib/util.py', 'src/cli.ts'];
  const end = commandDuration.startTimer({ command: 'review' });
  try {
    await Promise.all(files.map(runPipeline));
    commands.add(1, { command: 'review', outcome: 'success' });
  } finally {
    end();
    session.add(-1);
  }
  cacheHitRatio.set(Math.round(Math.random() * 100) / 100);
  memory();
  runs++;
}

await tick();
await summary();
const timer = setInterval(() => void tick(), 1000);
const serverExample = await startServerExample();
runCliExample();
runLibraryExample();
const stop = async () => {
  clearInterval(timer);
  await summary();
  serverExample?.kill('SIGTERM');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
// However the demo ends, the server example ends with it.
process.on('exit', () => serverExample?.kill('SIGTERM'));
if (durationS > 0) setTimeout(() => void stop(), durationS * 1000);
else console.log('Serving until Ctrl-C.');

async function summary() {
  const text = await renderPrometheus(registry);
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const families = new Set(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
  const pick = (prefix) => series.filter((l) => l.startsWith(prefix));
  console.log(`After ${runs} pipeline run(s): ${families.size} metric families, ${series.length} samples.`);
  for (const line of [
    ...pick('demo_files_analyzed_total'),
    ...pick('demo_pipeline_stage_duration_seconds_count{stage="review"'),
    ...pick('demo_errors_total'),
    ...pick('demo_function_calls_total'),
    ...pick('demo_startup_duration_seconds_sum'),
  ]) {
    console.log(`  ${line}`);
  }
  console.log('');
  console.log('Where to look:');
  console.log(`  curl ${server.url}`);
  console.log('  PromQL, once Prometheus scrapes it:');
  console.log('    histogram_quantile(0.95, sum by (le, stage) (rate(demo_pipeline_stage_duration_seconds_bucket[5m])))');
  console.log('    sum by (category, severity) (rate(demo_errors_total[5m]))');
  console.log('');
}

/** 2. The server example: a few logins (the sixth is blocked), an error, then where its metrics are. */
async function startServerExample() {
  const child = spawn(process.execPath, [`${examples}server/server.mjs`, '--port', String(serverPort), '--metrics-port', String(serverMetricsPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.on('data', (d) => process.stdout.write(`  [server] ${d}`));
  const base = `http://127.0.0.1:${serverPort}`;
  // Wait for the server to answer (a cold start under load can take a few seconds).
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${base}/`).then(() => true, () => false)) break;
    await sleep(100);
  }
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await fetch(`${base}/login?user=alice&password=wrong`, { method: 'POST' }).catch(() => undefined))?.status);
  const boom = (await fetch(`${base}/boom`).catch(() => undefined))?.status;
  console.log('Server example (examples/server, @lookout/node):');
  console.log(`  6 failed logins for alice answered ${statuses.join(', ')} (the detector blocks after 5); /boom answered ${boom}`);
  console.log(`  its metrics: http://127.0.0.1:${serverMetricsPort}/metrics   (server_errors_total, lookout_security_events_total, process_*, nodejs_*)`);
  console.log('');
  return child;
}

/** 3. The CLI example: one run, metrics and events flushed as it exits. */
function runCliExample() {
  const run = spawnSync(process.execPath, [`${examples}cli/cli.mjs`, 'analyze', '--files', '2'], { encoding: 'utf8', env: { ...process.env, LOOKOUT_PROMETHEUS_PORT: '0' }, timeout: 30_000 });
  console.log('CLI example (examples/cli): `node examples/cli/cli.mjs analyze`');
  for (const line of `${run.stdout}`.trim().split('\n').slice(0, 8)) console.log(`  ${line}`);
  console.log('  (push it for real with LOOKOUT_PUSHGATEWAY_URL, LOOKOUT_REMOTE_WRITE_URL or OTEL_EXPORTER_OTLP_ENDPOINT)');
  console.log('');
}

/** 4. The library example, without and with an SDK. */
function runLibraryExample() {
  console.log('Library example (examples/library): instrument() only');
  for (const flags of [[], ['--with-sdk']]) {
    const run = spawnSync(process.execPath, [`${examples}library/app.mjs`, ...flags], { encoding: 'utf8', timeout: 30_000 });
    const lines = `${run.stdout}`.trim().split('\n');
    // Without an SDK, one line says nothing was recorded; with one, a header line and the series under it.
    const at = lines.findIndex((l) => l.includes('calls'));
    const shown = at === -1 ? lines.slice(-1) : lines.slice(at, at + 5);
    console.log(`  ${flags.length === 0 ? 'without an SDK' : 'with initMonitoring()'}: ${shown.join('\n    ')}`);
  }
  console.log('');
}
