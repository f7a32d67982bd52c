#!/usr/bin/env node
// The Lookout demo. Runs a small multi-model processing pipeline (several models answer each
// request, one stage at a time, then a consensus step), instrumented with @lookout/core, and
// serves its metrics at http://127.0.0.1:9464/metrics. No external service is needed.
//
//   npm run demo                  keep serving until Ctrl-C
//   npm run demo -- --duration 5  stop after 5 seconds
//   npm run demo -- --port 9465   another port
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

// 1. Metrics: the default registry starts aggregating once a reader (the scrape server) is attached.
const registry = getDefaultRegistry();
const server = startPrometheusServer({ port, registry });
const std = createStandardMetrics({ namespace: 'demo' });
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
const stop = async () => {
  clearInterval(timer);
  await summary();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
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
