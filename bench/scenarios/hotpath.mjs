// Hot path: bound handles and unbound records with 3 labels, for Lookout, prom-client, OpenTelemetry and a typed-array floor.
import { createMetricsRegistry } from '@lookout/core';
import client from 'prom-client';
import { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { labelSets, SECONDS_BUCKETS, timeOps, consume } from '../lib.mjs';

const lib = process.argv[2];
const sets = labelSets(16);
const values = Array.from({ length: 1024 }, (_, i) => ((i * 7919) % 1000) / 1000);
// Counter increments come from an array too, so no library gets a constant the JIT can fold.
const incs = Array.from({ length: 1024 }, (_, i) => 1 + (i % 3));
const result = {};

if (lib === 'floor') {
  // The floor does the same work as a bound handle with no object in the way: take the series'
  // slot chosen in advance, check the value (a finite number, ≥ 0 for counters), store into a typed array.
  const counts = new Float64Array(16);
  const slots = Int32Array.from({ length: 16 }, (_, i) => i);
  result.boundCounter = timeOps((n) => {
    for (let i = 0; i < n; i++) {
      const v = incs[i & 1023];
      if (typeof v === 'number' && v >= 0 && v < Infinity) counts[slots[i & 15]] += v;
    }
  });
  const b = new Float64Array(SECONDS_BUCKETS);
  const hc = new Float64Array(16 * 16);
  const sums = new Float64Array(16);
  const totals = new Float64Array(16);
  result.boundHistogram = timeOps((n) => {
    for (let i = 0; i < n; i++) {
      const v = values[i & 1023];
      if (typeof v !== 'number' || v - v !== 0) continue;
      const s = slots[i & 15];
      let j = 0;
      while (j < b.length && v > b[j]) j++;
      hc[s * 16 + j]++;
      sums[s] += v;
      totals[s]++;
    }
  });
  consume(counts[0] + hc[0] + sums[0] + totals[0]);
} else if (lib === 'lookout') {
  const r = createMetricsRegistry();
  const c = r.counter('bench.requests', { labels: ['method', 'route', 'status'] });
  const h = r.histogram('bench.duration', { unit: 's', labels: ['method', 'route', 'status'] });
  const bc = sets.map((l) => c.bind(l));
  const bh = sets.map((l) => h.bind(l));
  result.boundCounter = timeOps((n) => {
    for (let i = 0; i < n; i++) bc[i & 15].add(incs[i & 1023]);
  });
  result.boundHistogram = timeOps((n) => {
    for (let i = 0; i < n; i++) bh[i & 15].record(values[i & 1023]);
  });
  result.unboundCounter = timeOps((n) => {
    for (let i = 0; i < n; i++) c.add(incs[i & 1023], sets[i & 15]);
  });
  result.unboundHistogram = timeOps((n) => {
    for (let i = 0; i < n; i++) h.record(values[i & 1023], sets[i & 15]);
  });
} else if (lib === 'prom-client') {
  const registry = new client.Registry();
  const c = new client.Counter({ name: 'bench_requests_total', help: 'x', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const h = new client.Histogram({ name: 'bench_duration_seconds', help: 'x', labelNames: ['method', 'route', 'status'], buckets: SECONDS_BUCKETS, registers: [registry] });
  const bc = sets.map((l) => c.labels(l));
  const bh = sets.map((l) => h.labels(l));
  result.boundCounter = timeOps((n) => {
    for (let i = 0; i < n; i++) bc[i & 15].inc(incs[i & 1023]);
  }, { iterations: 500_000 });
  result.boundHistogram = timeOps((n) => {
    for (let i = 0; i < n; i++) bh[i & 15].observe(values[i & 1023]);
  }, { iterations: 500_000 });
  result.unboundCounter = timeOps((n) => {
    for (let i = 0; i < n; i++) c.inc(sets[i & 15], incs[i & 1023]);
  }, { iterations: 500_000 });
  result.unboundHistogram = timeOps((n) => {
    for (let i = 0; i < n; i++) h.observe(sets[i & 15], values[i & 1023]);
  }, { iterations: 500_000 });
} else if (lib === 'otel') {
  // A reader must be attached, or the SDK keeps no metric storage and records nothing.
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('bench');
  const c = meter.createCounter('bench.requests');
  const h = meter.createHistogram('bench.duration', { unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
  // OpenTelemetry has no bound instruments: its best case reuses the same attributes object.
  result.boundCounter = timeOps((n) => {
    for (let i = 0; i < n; i++) c.add(incs[i & 1023], sets[i & 15]);
  }, { iterations: 200_000 });
  result.boundHistogram = timeOps((n) => {
    for (let i = 0; i < n; i++) h.record(values[i & 1023], sets[i & 15]);
  }, { iterations: 200_000 });
  result.unboundCounter = result.boundCounter;
  result.unboundHistogram = result.boundHistogram;
}
process.stdout.write(JSON.stringify(result));
