// Lookout's metrics beside prom-client and OpenTelemetry's SDK, in one process, rounds interleaved so
// that machine noise hits every library alike. Run: node --expose-gc bench/scenarios/metrics.mjs [--quick]
import { createMetricsRegistry, instrument, renderPrometheus } from '@lookout/core';
import client from 'prom-client';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { consume, labelSets, median, SECONDS_BUCKETS } from '../lib.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 11;
const gc = globalThis.gc ?? (() => {});

const sets = labelSets(16);
const values = Array.from({ length: 1024 }, (_, i) => ((i * 7919) % 1000) / 1000);
// Counter increments come from an array too, so no library gets a constant the JIT can fold.
const incs = Array.from({ length: 1024 }, (_, i) => 1 + (i % 3));

function otelProvider(cardinalityLimit) {
  // A reader must be attached, or the SDK keeps no metric storage and records nothing.
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
    ...(cardinalityLimit ? { cardinalityLimits: { default: cardinalityLimit } } : {}),
  });
  return { provider: new MeterProvider({ readers: [reader] }), reader };
}

/** Interleaves rounds of several timed loops; returns median ns/op per name. */
function interleaved(cases, iterations) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) fn(Math.min(iterations, 200_000)); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(cases)) {
      const n = Math.max(1, Math.round(iterations * (fn.scale ?? 1)));
      const t0 = process.hrtime.bigint();
      fn(n);
      samples[name].push(Number(process.hrtime.bigint() - t0) / n);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

function scaled(fn, scale) {
  fn.scale = scale;
  return fn;
}

// ---------------------------------------------------------------- hot path
function hotPath() {
  const N = quick ? 200_000 : 2_000_000;
  const lk = createMetricsRegistry();
  const lc = lk.counter('bench.requests', { labels: ['method', 'route', 'status'] });
  const lh = lk.histogram('bench.duration', { unit: 's', labels: ['method', 'route', 'status'] });
  const lbc = sets.map((l) => lc.bind(l));
  const lbh = sets.map((l) => lh.bind(l));

  const pr = new client.Registry();
  const pc = new client.Counter({ name: 'bench_requests_total', help: 'x', labelNames: ['method', 'route', 'status'], registers: [pr] });
  const ph = new client.Histogram({ name: 'bench_duration_seconds', help: 'x', labelNames: ['method', 'route', 'status'], buckets: SECONDS_BUCKETS, registers: [pr] });
  const pbc = sets.map((l) => pc.labels(l));
  const pbh = sets.map((l) => ph.labels(l));

  const { provider } = otelProvider();
  const meter = provider.getMeter('bench');
  const oc = meter.createCounter('bench.requests');
  const oh = meter.createHistogram('bench.duration', { unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });

  // The floor does the same work as a bound handle with no object in the way: take the series'
  // slot chosen in advance, check the value (a finite number, ≥ 0 for counters), store into a typed array.
  const fc = new Float64Array(16);
  const slots = Int32Array.from({ length: 16 }, (_, i) => i);
  const fb = new Float64Array(SECONDS_BUCKETS);
  const fhc = new Float64Array(16 * 16);
  const fsum = new Float64Array(16);
  const fcount = new Float64Array(16);

  const counter = interleaved(
    {
      floor: (n) => {
        for (let i = 0; i < n; i++) {
          const v = incs[i & 1023];
          if (typeof v === 'number' && v >= 0 && v < Infinity) fc[slots[i & 15]] += v;
        }
      },
      lookoutBound: (n) => {
        for (let i = 0; i < n; i++) lbc[i & 15].add(incs[i & 1023]);
      },
      lookoutUnbound: (n) => {
        for (let i = 0; i < n; i++) lc.add(incs[i & 1023], sets[i & 15]);
      },
      promBound: scaled((n) => {
        for (let i = 0; i < n; i++) pbc[i & 15].inc(incs[i & 1023]);
      }, 0.1),
      promUnbound: scaled((n) => {
        for (let i = 0; i < n; i++) pc.inc(sets[i & 15], incs[i & 1023]);
      }, 0.1),
      // OpenTelemetry has no bound instruments; its best case reuses the same attributes object.
      otel: scaled((n) => {
        for (let i = 0; i < n; i++) oc.add(incs[i & 1023], sets[i & 15]);
      }, 0.03),
    },
    N,
  );
  const histogram = interleaved(
    {
      floor: (n) => {
        for (let i = 0; i < n; i++) {
          const v = values[i & 1023];
          if (typeof v !== 'number' || v - v !== 0) continue;
          const s = slots[i & 15];
          let j = 0;
          while (j < fb.length && v > fb[j]) j++;
          fhc[s * 16 + j]++;
          fsum[s] += v;
          fcount[s]++;
        }
      },
      lookoutBound: (n) => {
        for (let i = 0; i < n; i++) lbh[i & 15].record(values[i & 1023]);
      },
      lookoutUnbound: (n) => {
        for (let i = 0; i < n; i++) lh.record(values[i & 1023], sets[i & 15]);
      },
      promBound: scaled((n) => {
        for (let i = 0; i < n; i++) pbh[i & 15].observe(values[i & 1023]);
      }, 0.1),
      promUnbound: scaled((n) => {
        for (let i = 0; i < n; i++) ph.observe(sets[i & 15], values[i & 1023]);
      }, 0.1),
      otel: scaled((n) => {
        for (let i = 0; i < n; i++) oh.record(values[i & 1023], sets[i & 15]);
      }, 0.03),
    },
    N,
  );
  consume(fc[0] + fhc[0] + fsum[0] + fcount[0]);
  return { counter, histogram };
}

// ---------------------------------------------------------------- exposition
async function exposition() {
  const SERIES = 10_000;
  const label = (i) => ({ method: ['GET', 'POST', 'PUT', 'DELETE'][i % 4], route: `/api/r${i % 100}`, status: String(i) });
  const lk = createMetricsRegistry();
  const lc = lk.counter('bench.requests', { labels: ['method', 'route', 'status'], cardinalityLimit: SERIES * 2 });
  const pr = new client.Registry();
  const pc = new client.Counter({ name: 'bench_requests_total', help: 'x', labelNames: ['method', 'route', 'status'], registers: [pr] });
  // OpenTelemetry's default cardinality limit is 2000: raise it so all 10,000 series are kept.
  const { provider, reader } = otelProvider(SERIES * 2);
  const oc = provider.getMeter('bench').createCounter('bench.requests');
  const serializer = new PrometheusSerializer();
  for (let i = 0; i < SERIES; i++) {
    const l = label(i);
    lc.add(1, l);
    pc.inc(l, 1);
    oc.add(1, l);
  }
  const rounds = quick ? 3 : 9;
  const samples = { lookout: [], prom: [], otel: [] };
  let sizes = {};
  for (let r = 0; r < rounds; r++) {
    let t0 = process.hrtime.bigint();
    const a = await renderPrometheus(lk);
    samples.lookout.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    const b = await pr.metrics();
    samples.prom.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    const { resourceMetrics } = await reader.collect();
    const c = serializer.serialize(resourceMetrics);
    samples.otel.push(Number(process.hrtime.bigint() - t0) / 1e6);
    sizes = { lookout: a.split('\n').length, prom: b.split('\n').length, otel: c.split('\n').length };
  }
  return { ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])), lines: sizes };
}

// ---------------------------------------------------------------- memory per series
async function memory() {
  const SERIES = quick ? 5_000 : 20_000;
  const labelsFor = Array.from({ length: SERIES }, (_, i) => ({ method: ['GET', 'POST'][i % 2], route: `/r${i % 50}`, status: `s${i}` }));
  // Steady state: after the series exist and have been collected once, as in a scraped process.
  const measure = async (build, collect) => {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const keep = build();
    // Collect in a frame of its own and let a tick pass, so the discarded output is really unreachable.
    await (async () => {
      await collect(keep);
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    gc();
    const after = process.memoryUsage().heapUsed;
    consume(keep ? 1 : 0);
    return (after - before) / SERIES;
  };
  const out = {};
  for (const kind of ['counter', 'histogram']) {
    out[kind] = {
      lookout: await measure(() => {
        const r = createMetricsRegistry();
        const opts = { labels: ['method', 'route', 'status'], cardinalityLimit: SERIES * 2, unit: 's' };
        if (kind === 'counter') {
          const c = r.counter('m.requests', opts);
          for (const l of labelsFor) c.add(1, l);
        } else {
          const h = r.histogram('m.duration', { ...opts, buckets: SECONDS_BUCKETS });
          for (const l of labelsFor) h.record(0.1, l);
        }
        return r;
      }, (r) => renderPrometheus(r)),
      prom: await measure(() => {
        const r = new client.Registry();
        if (kind === 'counter') {
          const c = new client.Counter({ name: 'm_requests_total', help: 'x', labelNames: ['method', 'route', 'status'], registers: [r] });
          for (const l of labelsFor) c.inc(l, 1);
        } else {
          const h = new client.Histogram({ name: 'm_duration_seconds', help: 'x', labelNames: ['method', 'route', 'status'], buckets: SECONDS_BUCKETS, registers: [r] });
          for (const l of labelsFor) h.observe(l, 0.1);
        }
        return r;
      }, (r) => r.metrics()),
      otel: await measure(() => {
        const { provider, reader } = otelProvider(SERIES * 2);
        const meter = provider.getMeter('m');
        if (kind === 'counter') {
          const c = meter.createCounter('m.requests');
          for (const l of labelsFor) c.add(1, l);
        } else {
          const h = meter.createHistogram('m.duration', { advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
          for (const l of labelsFor) h.record(0.1, l);
        }
        return { provider, reader };
      }, ({ reader }) => reader.collect()),
    };
  }
  return out;
}

// ---------------------------------------------------------------- instrument()
async function instrumentOverhead() {
  const r = createMetricsRegistry();
  const bare = async (x) => x + 1;
  const wrapped = instrument('bench.work', bare, { registry: r });
  const N = quick ? 20_000 : 200_000;
  const run = async (fn) => {
    const t0 = process.hrtime.bigint();
    let acc = 0;
    for (let i = 0; i < N; i++) acc += await fn(i);
    consume(acc);
    return Number(process.hrtime.bigint() - t0) / N;
  };
  await run(bare);
  await run(wrapped);
  const b = [];
  const w = [];
  for (let i = 0; i < ROUNDS; i++) {
    b.push(await run(bare));
    w.push(await run(wrapped));
  }
  return { bare: median(b), instrumented: median(w), added: median(w) - median(b) };
}

const result = { hotPath: hotPath(), exposition: await exposition(), memory: await memory(), instrument: await instrumentOverhead() };
process.stdout.write(JSON.stringify(result));
