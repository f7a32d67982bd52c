#!/usr/bin/env node
// A CLI that runs a consensus pipeline: for each input, several models answer one stage at a
// time, then a judge picks the answer. Lookout records startup, stage durations by stage and
// model, memory, errors and command usage, and pushes everything when the process exits through
// whichever push is configured in the environment:
//
//   LOOKOUT_PUSHGATEWAY_URL=http://127.0.0.1:9091 node examples/cli/cli.mjs analyze --files 5
//   LOOKOUT_REMOTE_WRITE_URL=http://127.0.0.1:9090/api/v1/write node examples/cli/cli.mjs analyze
//   OTEL_METRICS_EXPORTER=otlp OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://127.0.0.1:8428/opentelemetry/v1/metrics node examples/cli/cli.mjs analyze
//
// Options: --files N (inputs, default 3), --run-id ID (a label to find this run), --fail-rate R
// (share of model calls that fail, default 0.1), --linger-ms MS (stay alive after the work, to
// test signals), --seed S.
import { initMonitoring } from '@lookout/node';

const args = process.argv.slice(2);
const command = args[0] !== undefined && !args[0].startsWith('--') ? args[0] : 'analyze';
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const files = Number(arg('files', '3'));
const runId = arg('run-id', String(process.pid));
const failRate = Number(arg('fail-rate', '0.1'));
const lingerMs = Number(arg('linger-ms', '0'));
let seed = Number(arg('seed', '42'));
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

// 1. One call: options from code, backends and the service name (LOOKOUT_SERVICE_NAME or
//    OTEL_SERVICE_NAME; default: the script's name) from the environment.
const monitoring = initMonitoring({ namespace: 'cli', errors: { categories: ['pipeline'] } });
const { metrics, standard } = monitoring;
const commands = metrics.counter('cli.commands', { description: 'Commands run, by command and outcome', unit: '{command}', labels: ['command', 'outcome'] });
const runs = metrics.counter('cli.runs', { description: 'Runs of this CLI, by run id', unit: '{run}', labels: ['run_id'] });
const answers = metrics.counter('cli.model.answers', { description: 'Answers per model and outcome', unit: '{answer}', labels: ['model', 'outcome'] });

const MODELS = ['model-a', 'model-b', 'model-c'];
const STAGES = ['parse', 'analyze', 'review'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ask(stage, model) {
  await sleep(2 + random() * 10);
  if (random() < failRate) throw new Error(`${model} did not answer in stage ${stage}`);
  return `${model}:${stage}`;
}

async function runStage(stage, file) {
  // Every model answers the stage; one timer per model, labelled by outcome.
  const results = await Promise.all(
    MODELS.map(async (model) => {
      const end = standard.stageDuration.startTimer({ stage, model });
      try {
        const answer = await ask(stage, model);
        end({ outcome: 'success' });
        answers.add(1, { model, outcome: 'success' });
        return answer;
      } catch (error) {
        end({ outcome: 'error' });
        answers.add(1, { model, outcome: 'error' });
        monitoring.errors.captureError(error, { category: 'pipeline', tags: { stage, model, file } });
        return undefined;
      }
    }),
  );
  const judge = standard.stageDuration.startTimer({ stage: 'consensus', model: 'judge' });
  await sleep(1);
  judge({ outcome: results.some(Boolean) ? 'success' : 'error' });
}

const started = performance.now();
await monitoring.ready(); // records process start → now as cli_startup_duration_seconds
runs.add(1, { run_id: runId });
let ok = true;
try {
  for (let i = 0; i < files; i++) for (const stage of STAGES) await runStage(stage, `file-${i}`);
} catch (error) {
  ok = false;
  monitoring.errors.captureError(error);
}
const memory = process.memoryUsage();
for (const [type, key] of [['rss', 'rss'], ['heap_used', 'heapUsed'], ['heap_total', 'heapTotal'], ['external', 'external']]) standard.memoryUsage.set(memory[key], { type });
commands.add(1, { command, outcome: ok ? 'success' : 'error' });
monitoring.telemetry.trackCommand(command, performance.now() - started, ok, { files });
process.stdout.write(`${command}: ${files} file(s) through ${STAGES.length} stages × ${MODELS.length} models, run ${runId}\n`);
if (lingerMs > 0) {
  process.stdout.write('lingering\n');
  await sleep(lingerMs);
}
// Nothing else to do: Lookout pushes when the event loop empties.
