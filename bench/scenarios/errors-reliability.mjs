// Error delivery under receiver faults: @lookout/errors (Sentry sink on Lookout's transport) beside
// plain @sentry/node (its own transport). 500 errors/s for 20 s (10,000 errors); from 5 s to 13 s the
// receiver is down, answers 500, answers 429 (X-Sentry-Rate-Limits 8 s), hangs, or resets
// connections. Then a burst of 1,000 errors captured at once with a healthy receiver.
// Each SDK runs in its own process; the receiver runs in a third one.
// Usage: node bench/scenarios/errors-reliability.mjs [fault...]   (prints a JSON summary)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RATE = 500;
const TOTAL = 10_000;
const FAULT_AT_MS = 5_000;
const FAULT_MS = 8_000;
const BURST = 1_000;
const FLUSH_DEADLINE_MS = 60_000;
const self = fileURLToPath(import.meta.url);
const receiverScript = fileURLToPath(new URL('./_errors-receiver.mjs', import.meta.url));

const FAULTS = {
  down: 'down',
  500: { status: 500 },
  429: { status: 429, retryAfter: '8', rateLimits: '8:error:organization' },
  hang: 'hang',
  reset: 'reset',
};

async function load(sdk, dsn, scenario) {
  const makeError = (n) => new Error(`job ${n} failed`);
  let capture;
  let flush;
  let stats = () => undefined;
  if (sdk === 'lookout') {
    const { createErrorTracker } = await import('@lookout/errors');
    const { createSentryNodeSink } = await import('@lookout/errors/sentry-node');
    const { createDiagnostics } = await import('@lookout/core');
    const sink = createSentryNodeSink({ dsn, transport: { maxQueueItems: 10_000, maxQueueBytes: 64 * 1024 * 1024 }, diagnostics: createDiagnostics({ level: 'none' }) });
    await sink.ready;
    const tracker = createErrorTracker({ sinks: [sink], rateLimit: false, diagnostics: createDiagnostics({ level: 'none' }) });
    capture = (n) => tracker.captureError(makeError(n));
    flush = (ms) => tracker.flush(ms);
    stats = () => {
      const s = sink.getTransport()?.stats;
      return s && { sent: s.sent, retried: s.retried, dropped: s.dropped };
    };
  } else {
    const Sentry = await import('@sentry/node');
    Sentry.init({ dsn, tracesSampleRate: 0 });
    capture = (n) => Sentry.captureException(makeError(n));
    flush = (ms) => Sentry.flush(ms);
  }
  const started = Date.now();
  let captured = 0;
  if (scenario === 'burst') {
    for (let n = 0; n < BURST; n++) if (capture(n)) captured++;
  } else {
    process.send({ phase: 'started' });
    let n = 0;
    while (n < TOTAL) {
      const due = Math.min(TOTAL, Math.floor(((Date.now() - started) * RATE) / 1000));
      for (; n < due; n++) if (capture(n)) captured++;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const flushStart = Date.now();
  await flush(FLUSH_DEADLINE_MS);
  process.send({ done: true, captured, flushMs: Date.now() - flushStart, stats: stats() });
  setTimeout(() => process.exit(0), 200);
}

function once(child, predicate) {
  return new Promise((resolve) => {
    const on = (msg) => {
      if (predicate(msg)) {
        child.off('message', on);
        resolve(msg);
      }
    };
    child.on('message', on);
  });
}

async function runOne(sdk, scenario) {
  const receiver = fork(receiverScript, [], { stdio: 'ignore' });
  const { port } = await once(receiver, (m) => m.port);
  const loader = fork(self, ['--load', sdk, `http://benchkey@127.0.0.1:${port}/1`, scenario], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (scenario !== 'burst') {
    await once(loader, (m) => m.phase === 'started');
    const timers = [
      setTimeout(() => receiver.send({ fault: FAULTS[scenario] }), FAULT_AT_MS),
      setTimeout(() => receiver.send({ fault: scenario === 'down' ? 'up' : 'ok' }), FAULT_AT_MS + FAULT_MS),
    ];
    loader.once('exit', () => timers.forEach(clearTimeout));
  }
  const done = await once(loader, (m) => m.done);
  receiver.send({ report: true });
  const report = await once(receiver, (m) => m.eventIds !== undefined);
  receiver.kill();
  return { sdk, scenario, captured: done.captured, delivered: report.eventIds, lost: done.captured - report.eventIds, flushMs: done.flushMs, stats: done.stats };
}

if (process.argv[2] === '--load') {
  await load(process.argv[3], process.argv[4], process.argv[5]);
} else {
  const scenarios = process.argv.length > 2 ? process.argv.slice(2) : ['down', '500', '429', 'hang', 'reset', 'burst'];
  const results = [];
  for (const scenario of scenarios) {
    for (const sdk of ['lookout', 'sentry']) {
      const r = await runOne(sdk, scenario);
      results.push(r);
      process.stderr.write(`${scenario.padEnd(6)} ${sdk.padEnd(8)} captured ${r.captured} delivered ${r.delivered} lost ${r.lost} (flush ${r.flushMs} ms)\n`);
    }
  }
  console.log(JSON.stringify({ scenario: 'errors-reliability', rate: RATE, total: TOTAL, faultMs: FAULT_MS, burst: BURST, results }, null, 2));
}
