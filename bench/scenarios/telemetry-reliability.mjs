// Fault matrix: how many of 10,000 events (500 events/s for 20 s) reach a loopback receiver when it
// fails for 8 s (from second 5 to 13), for @lookout/telemetry, OpenTelemetry's logs SDK (batch
// processor + OTLP/HTTP protobuf exporter) and @sentry/node; plus a 1,000-event burst from a process
// that exits without an explicit flush. Each SDK runs in its own process (Sentry instruments http);
// the receivers run here and count distinct event ids and resends. Prints one JSON object.
// Run after `npm run build -w @lookout/core -w @lookout/telemetry`. Takes about a minute.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

const RATE = Number(process.env.RATE ?? 500);
const LOAD_MS = Number(process.env.LOAD_MS ?? 20_000);
const FAULT_FROM_MS = 5000;
const FAULT_MS = Number(process.env.FAULT_MS ?? 8000);
const FLUSH_CAP_MS = 20_000;
const BURST = 1000;
const QUEUE = 10_000;
const SDKS = ['lookout', 'otel', 'sentry'];
const FAULTS = ['down-then-back', 'http-500', 'http-429-retry-after', 'hang-past-timeout', 'hang-forever', 'reset-before-read', 'reset-after-processing', 'exit-without-flush'];
const EVENT_ID = /event\.id\x12&\n\$([0-9a-f-]{36})/g;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const [mode, sdk, port, scenario] = process.argv.slice(2);

if (mode === 'child') {
  const url = `http://127.0.0.1:${port}`;
  let emit;
  let flush;
  let counted = () => undefined;
  if (sdk === 'lookout') {
    const { createNodeTelemetryClient } = await import('@lookout/telemetry/node');
    const { createDiagnostics } = await import('@lookout/core');
    const client = createNodeTelemetryClient({ endpoint: `${url}/v1/logs`, maxQueueEvents: QUEUE, maxQueueBytes: 32 * 1024 * 1024, diagnostics: createDiagnostics({ level: 'none' }) });
    emit = (n) => client.track('item', { n });
    flush = () => client.flush(FLUSH_CAP_MS);
    // What Lookout itself reports as not delivered: drops by reason plus what it still holds.
    counted = () => Object.values(client.stats.dropped).reduce((a, b) => a + b, 0) + client.stats.queuedItems;
  } else if (sdk === 'otel') {
    const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
    const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-proto');
    const provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }), maxQueueSize: QUEUE })] });
    const logger = provider.getLogger('bench');
    emit = (n) => logger.emit({ eventName: 'item', attributes: { 'event.id': randomUUID(), n } });
    flush = () => provider.forceFlush();
  } else {
    const Sentry = await import('@sentry/node');
    Sentry.init({ dsn: `http://key@127.0.0.1:${port}/1`, tracesSampleRate: 0, defaultIntegrations: false, transportOptions: { bufferSize: QUEUE } });
    emit = (n) => Sentry.captureMessage(`item ${n}`, 'info');
    flush = () => Sentry.flush(FLUSH_CAP_MS);
  }
  process.send({ ready: true });
  if (scenario === 'exit-without-flush') {
    for (let n = 0; n < BURST; n++) emit(n);
    process.send({ tracked: BURST });
    // No flush, no exit call: the process ends when its event loop is empty.
  } else {
    const started = Date.now();
    let tracked = 0;
    while (Date.now() - started < LOAD_MS) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE);
      while (tracked < due) emit(tracked++);
      await sleep(10);
    }
    await Promise.race([flush(), sleep(FLUSH_CAP_MS)]).catch(() => undefined);
    process.send({ tracked, counted: counted() });
    await sleep(50);
    process.exit(0);
  }
} else {
  const runs = [];
  for (const fault of FAULTS) for (const s of SDKS) runs.push(runOne(s, fault));
  const results = await Promise.all(runs);
  const matrix = {};
  for (const r of results) {
    const row = { tracked: r.tracked, lost: r.lost, resent: r.resent };
    if (r.counted !== undefined) row.countedUndelivered = r.counted;
    (matrix[r.fault] ??= {})[r.sdk] = row;
  }
  console.log(
    JSON.stringify(
      {
        scenario: 'telemetry-reliability',
        node: process.version,
        load: `${RATE} events/s for ${LOAD_MS / 1000} s; fault from ${FAULT_FROM_MS / 1000} s for ${FAULT_MS / 1000} s; explicit flush capped at ${FLUSH_CAP_MS / 1000} s; exit burst ${BURST} events`,
        config: {
          lookout: `createNodeTelemetryClient, maxQueueEvents ${QUEUE}, other options default (otlp-proto, gzip, 8 attempts, 10 s timeout)`,
          otel: `LoggerProvider + BatchLogRecordProcessor({ maxQueueSize: ${QUEUE} }) + OTLPLogExporter (proto), other options default`,
          sentry: `Sentry.init(transportOptions.bufferSize ${QUEUE}, defaultIntegrations false, tracesSampleRate 0); captureMessage per event`,
        },
        matrix,
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

/** Starts a receiver playing `fault`, runs one SDK against it, and counts what arrived. */
async function runOne(sdkName, fault) {
  const seen = new Map();
  const sockets = new Set();
  let faultStart = Infinity;
  let server;
  const faultNow = () => {
    const t = Date.now();
    if (fault === 'hang-forever') return t >= faultStart ? 'hang' : 'ok';
    if (t < faultStart || t >= faultStart + FAULT_MS) return 'ok';
    return { 'http-500': 500, 'http-429-retry-after': 429, 'hang-past-timeout': 'hang', 'reset-before-read': 'reset-before', 'reset-after-processing': 'reset-after' }[fault] ?? 'ok';
  };
  const record = (ids) => {
    for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  };
  const handler = (req, res) => {
    const f = faultNow();
    if (f === 'hang') return;
    if (f === 'reset-before') {
      req.socket.destroy();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (f === 500 || f === 429) {
        res.writeHead(f, f === 429 ? { 'retry-after': '5' } : {}).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      record(req.url.includes('/envelope/') ? sentryEventIds(body.toString('utf8')) : [...body.toString('latin1').matchAll(EVENT_ID)].map((m) => m[1]));
      if (f === 'reset-after') {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  };
  const listen = (p) =>
    new Promise((resolve) => {
      server = createServer(handler);
      server.keepAliveTimeout = 5000;
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.listen(p, '127.0.0.1', () => resolve(server.address().port));
    });
  const stop = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  const boundPort = await listen(0);
  const child = fork(new URL(import.meta.url).pathname, ['child', sdkName, String(boundPort), fault], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  let tracked = 0;
  let counted;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (m) => {
    if (m.ready) {
      faultStart = Date.now() + FAULT_FROM_MS;
      if (fault === 'down-then-back') {
        void sleep(FAULT_FROM_MS).then(async () => {
          await stop();
          await sleep(FAULT_MS);
          await listen(boundPort);
        });
      }
      if (fault === 'exit-without-flush') faultStart = Infinity;
    }
    if (m.tracked !== undefined) tracked = m.tracked;
    if (m.counted !== undefined) counted = m.counted;
  });
  await Promise.race([exited, sleep(LOAD_MS + 2 * FLUSH_CAP_MS + 10_000)]);
  child.kill('SIGKILL');
  await sleep(500);
  await stop();
  let resent = 0;
  for (const n of seen.values()) resent += n - 1;
  return { sdk: sdkName, fault, tracked, lost: tracked - seen.size, resent, counted };
}

/** Event ids in a Sentry envelope: the payload after each `{"type":"event"}` item header. */
function sentryEventIds(text) {
  const ids = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length - 1; i++) {
    try {
      const header = JSON.parse(lines[i]);
      if (header.type !== 'event') continue;
      const payload = JSON.parse(lines[i + 1]);
      if (typeof payload.event_id === 'string') ids.push(payload.event_id);
      i++;
    } catch {
      // Not a header line.
    }
  }
  return ids;
}
