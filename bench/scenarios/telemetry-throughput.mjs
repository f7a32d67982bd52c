// @lookout/telemetry throughput and memory: events per second through createNodeTelemetryClient
// (OTLP protobuf, gzip, keep-alive) to a receiver in another process, with zero loss; and the
// memory used while 1,000,000 events go through the client. Prints one JSON object.
// Run after `npm run build -w @lookout/core -w @lookout/telemetry`.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

const mode = process.argv[2] ?? 'main';
// Each OTLP log record carries `event.id` as its key, then the AnyValue of a 36-character UUID.
const EVENT_ID = /event\.id\x12&\n\$[0-9a-f-]{36}/g;

if (mode === 'receiver') {
  // Counts events and answers 200: decodes by scanning the gunzipped protobuf for event ids.
  let events = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      bytes += raw.byteLength;
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      events += body.toString('latin1').match(EVENT_ID)?.length ?? 0;
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', (m) => {
    if (m === 'count') process.send({ events, bytes });
  });
} else if (mode === 'client') {
  const [port, total, sampleMemory] = [Number(process.argv[3]), Number(process.argv[4]), process.argv[5] === 'memory'];
  const { createNodeTelemetryClient } = await import('@lookout/telemetry/node');
  const { createMetricsRegistry, createDiagnostics } = await import('@lookout/core');
  global.gc?.();
  const base = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed - base.heapUsed);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  };
  const sampler = sampleMemory ? setInterval(sample, 20) : undefined;
  // Throughput: a queue deep enough to keep the pipe full. Memory: the defaults (1000 events, batches of 200).
  const sizing = sampleMemory ? {} : { maxQueueEvents: 20_000, maxQueueBytes: 16 * 1024 * 1024, maxBatchEvents: 2000, maxBatchBytes: 1024 * 1024 };
  const highWater = sampleMemory ? 800 : 16_000;
  const client = createNodeTelemetryClient({
    endpoint: `http://127.0.0.1:${port}/v1/logs`,
    ...sizing,
    flushIntervalMs: 50,
    exitHandling: false,
    registry: createMetricsRegistry(),
    diagnostics: createDiagnostics({ level: 'none' }),
  });
  const props = { command: 'build', durationMs: 0, success: true, target: 'prod' };
  const started = process.hrtime.bigint();
  let tracked = 0;
  while (tracked < total) {
    // Backpressure: a producer that stays under the queue bound loses nothing.
    if (client.stats.queuedItems > highWater) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    for (let i = 0; i < 200 && tracked < total; i++, tracked++) {
      props.durationMs = tracked;
      client.track('command', props);
    }
    if (sampleMemory && tracked % 10_000 === 0) sample();
  }
  const result = await client.flush(60_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sampler) clearInterval(sampler);
  sample();
  const dropped = Object.values(client.stats.dropped).reduce((a, b) => a + b, 0);
  process.send({ tracked, sent: client.stats.sent, dropped, complete: result.complete, seconds, peakHeapMiB: peakHeap / 2 ** 20, peakRssMiB: peakRss / 2 ** 20 });
  await client.shutdown(1000);
  process.exit(0);
} else {
  const self = new URL(import.meta.url).pathname;
  const run = async (total, memory) => {
    const receiver = fork(self, ['receiver']);
    const { port } = await new Promise((r) => receiver.once('message', r));
    const client = fork(self, ['client', String(port), String(total), memory ? 'memory' : ''], { execArgv: ['--expose-gc'] });
    const out = await new Promise((r) => client.once('message', r));
    await new Promise((r) => client.once('exit', r));
    receiver.send('count');
    const got = await new Promise((r) => receiver.once('message', r));
    receiver.kill();
    return { ...out, received: got.events, wireMiB: got.bytes / 2 ** 20 };
  };
  const throughput = await run(300_000, false);
  const memory = await run(1_000_000, true);
  const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
  const targets = { eventsPerSecond: 100_000, memoryMiB: 64 };
  const eventsPerSecond = Math.round(throughput.tracked / throughput.seconds);
  const heapMiB = round(memory.peakHeapMiB);
  const ok = (b) => (b ? '✅' : '❌');
  const n = (x) => x.toLocaleString('en-US');
  const markdown = [
    '## @lookout/telemetry: throughput and memory',
    '',
    'createNodeTelemetryClient, OTLP protobuf + gzip, keep-alive, to a receiver in its own process on loopback; loss checked by counting event ids at the receiver.',
    '',
    '| measure | result | target | met |',
    '|---|---:|---:|---|',
    `| events/s, ${n(throughput.tracked)} events in batches of 2,000 (queue 20,000), ${n(throughput.tracked - throughput.received)} lost | ${n(eventsPerSecond)} | ≥ ${n(targets.eventsPerSecond)} | ${ok(eventsPerSecond >= targets.eventsPerSecond && throughput.received === throughput.tracked)} |`,
    `| ${n(memory.tracked)} events through the client, default bounds: peak heap above baseline (MiB), ${n(memory.tracked - memory.received)} lost | ${heapMiB} | < ${targets.memoryMiB} | ${ok(heapMiB < targets.memoryMiB && memory.received === memory.tracked)} |`,
    `| same run: peak RSS above baseline (MiB) | ${round(memory.peakRssMiB)} | | |`,
    `| same run: events/s | ${n(Math.round(memory.tracked / memory.seconds))} | | |`,
  ].join('\n');
  console.log(
    JSON.stringify(
      {
        scenario: 'telemetry-throughput',
        node: process.version,
        config: 'createNodeTelemetryClient, otlp-proto + gzip, keep-alive; throughput: batches of 2000, queue 20000; memory: default bounds (queue 1000, batches of 200); receiver in its own process',
        throughput: {
          events: throughput.tracked,
          received: throughput.received,
          lost: throughput.tracked - throughput.received,
          dropped: throughput.dropped,
          seconds: round(throughput.seconds, 2),
          eventsPerSecond,
          wireMiB: round(throughput.wireMiB),
        },
        memory: {
          events: memory.tracked,
          received: memory.received,
          lost: memory.tracked - memory.received,
          eventsPerSecond: Math.round(memory.tracked / memory.seconds),
          peakHeapMiB: round(memory.peakHeapMiB),
          peakRssMiB: round(memory.peakRssMiB),
        },
        targets,
        markdown,
      },
      null,
      2,
    ),
  );
}
