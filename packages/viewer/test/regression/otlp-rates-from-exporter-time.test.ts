import { describe, expect, it } from 'vitest';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { rawRequest, type SseClient } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

type Series = { l: Record<string, string>; v: number; r?: number; q?: number[] };
const seriesOf = (client: SseClient, name: string): Series[] =>
  client.events
    .filter((e) => e.event === 'metrics')
    .map((e) => (e.data as { metrics: { name: string; series: Series[] }[] }).metrics.find((m) => m.name === name)?.series[0])
    .filter((s): s is Series => s !== undefined);

const nano = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;
const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] };

describe('ExternalMetrics', () => {
  describe('rates of pushed series', () => {
    it('should chart a counter growing 10/s as 10/s on every read between posts, from the exporter timestamps', async () => {
      // Reads every 100 ms, posts about every 400 ms: the old read-to-read rate was 0 on most reads and a spike after a post.
      const viewer = await start({ metricsIntervalMs: 100 });
      const client = await stream(viewer, '&signals=metric&source=shop');
      const t0 = Date.now() - 10_000;
      const start0 = t0 - 60_000;
      for (let i = 0; i <= 6; i++) {
        const t = t0 + i * 1000;
        const body = { resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [
          { name: 'orders', sum: { isMonotonic: true, aggregationTemporality: 2, dataPoints: [{ asInt: String(500 + i * 10), startTimeUnixNano: nano(start0), timeUnixNano: nano(t) }] } },
          { name: 'latency', histogram: { aggregationTemporality: 2, dataPoints: [{ count: String(i * 10), sum: i * 3, bucketCounts: [String(i * 5), String(i * 5), '0'], explicitBounds: [0.1, 0.5], startTimeUnixNano: nano(start0), timeUnixNano: nano(t) }] } },
          { name: 'jobs', sum: { isMonotonic: true, aggregationTemporality: 1, dataPoints: [{ asInt: '4', startTimeUnixNano: nano(t - 2000), timeUnixNano: nano(t) }] } },
        ] }] }] };
        expect((await rawRequest(viewer.port, `/v1/metrics?token=${viewer.token}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).status).toBe(200);
        await new Promise((r) => setTimeout(r, 400));
      }
      const rates = seriesOf(client, 'orders').map((s) => s.r).filter((r): r is number => r !== undefined);
      expect(rates.length).toBeGreaterThan(12);
      for (const r of rates) expect(r).toBeCloseTo(10, 5);
      // Histograms: p50/p95/p99 of what arrived between the exporter's last two points, on every read.
      const latency = seriesOf(client, 'latency');
      const withQ = latency.slice(latency.findIndex((s) => s.q !== undefined));
      expect(withQ.length).toBeGreaterThan(12);
      for (const s of withQ) {
        expect(s.q).toBeDefined();
        expect(s.r).toBeCloseTo(10, 5);
      }
      // Delta points: the increase over their own start..time window (4 per 2 s).
      const jobs = seriesOf(client, 'jobs');
      expect(jobs.at(-1)!.v).toBe(28);
      for (const s of jobs) expect(s.r).toBeCloseTo(2, 5);
    });

    it('should read the timestamps of protobuf points from the OpenTelemetry SDK', async () => {
      const viewer = await start({ metricsIntervalMs: 50 });
      const client = await stream(viewer, '&signals=metric&source=proto-worker');
      const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: viewer.endpoints.otlpMetrics }), exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'proto-worker' }), readers: [reader] });
      const counter = provider.getMeter('test').createCounter('proto.jobs');
      try {
        counter.add(10);
        const before1 = Date.now();
        await provider.forceFlush();
        const after1 = Date.now();
        await new Promise((r) => setTimeout(r, 500));
        counter.add(10);
        const before2 = Date.now();
        await provider.forceFlush();
        const after2 = Date.now();
        await client.waitFor(() => seriesOf(client, 'proto.jobs').some((s) => s.r !== undefined));
        await new Promise((r) => setTimeout(r, 200));
        const rates = seriesOf(client, 'proto.jobs').map((s) => s.r).filter((r): r is number => r !== undefined);
        // 10 over the time between the two collections (each made inside its forceFlush), on every read after the second post.
        expect(rates.length).toBeGreaterThan(0);
        for (const r of rates) {
          expect(r).toBeGreaterThanOrEqual((10_000 / (after2 - before1)) * 0.99);
          expect(r).toBeLessThanOrEqual((10_000 / (before2 - after1)) * 1.01);
        }
      } finally {
        await provider.shutdown();
      }
    });
  });
});
