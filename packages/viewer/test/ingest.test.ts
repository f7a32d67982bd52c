import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createMetricsRegistry } from '@lookout/core';
import { createNodeTelemetryClient } from '@lookout/telemetry/node';
import { startViewer, type Viewer } from '@lookout/viewer';
import { openSse, rawRequest, type SseClient } from './helpers/sse.js';

let viewer: Viewer;
let client: SseClient;
beforeAll(async () => {
  viewer = startViewer({ port: 0, registry: createMetricsRegistry(), metricsIntervalMs: 100, flushIntervalMs: 20 });
  expect(await viewer.ready).toBe(true);
  client = await openSse(`${viewer.origin}/stream?token=${viewer.token}`);
});
afterAll(async () => {
  client.close();
  await viewer.close();
});

type MetricsData = { metrics: { name: string; kind: string; source: string; series: { l: Record<string, string>; v: number; r?: number; q?: number[] }[] }[] };
const lastMetrics = (): MetricsData | undefined => client.events.filter((e) => e.event === 'metrics').at(-1)?.data as MetricsData | undefined;
const recordNamed = (name: string) => () => client.records().find((r) => r.name === name);

describe('viewer ingest', () => {
  describe('OTLP/HTTP logs from the OpenTelemetry SDK', () => {
    for (const [format, Exporter] of [
      ['protobuf', ProtoLogExporter],
      ['JSON', JsonLogExporter],
    ] as const) {
      it(`should show ${format} log records with an event name as events and others as logs`, async () => {
        const exporter = new Exporter({ url: viewer.endpoints.otlpLogs });
        const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': `billing-${format}` }), processors: [new SimpleLogRecordProcessor({ exporter })] });
        const logger = provider.getLogger('test');
        logger.emit({ eventName: `invoice.paid.${format}`, attributes: { amount: 42, currency: 'EUR' } });
        logger.emit({ body: `plain line ${format}`, severityText: 'WARN', severityNumber: 13 });
        logger.emit({ body: 'failed', attributes: { 'exception.type': `PaymentError${format}`, 'exception.message': 'card declined' }, severityNumber: 17 });
        await provider.forceFlush();
        const event = await client.waitFor(recordNamed(`invoice.paid.${format}`));
        expect(event).toMatchObject({ type: 'event', source: `billing-${format}`, attributes: { amount: 42, currency: 'EUR' } });
        const log = await client.waitFor(() => client.records().find((r) => r.message === `plain line ${format}`));
        expect(log).toMatchObject({ type: 'log', level: 'WARN' });
        const error = await client.waitFor(recordNamed(`PaymentError${format}`));
        expect(error).toMatchObject({ type: 'error', message: 'card declined', level: 'high' });
        await provider.shutdown();
      });
    }
  });

  describe('OTLP/HTTP metrics from the OpenTelemetry SDK', () => {
    for (const [format, Exporter] of [
      ['protobuf', ProtoMetricExporter],
      ['JSON', JsonMetricExporter],
    ] as const) {
      it(`should chart ${format} counters, gauges and histograms posted by another process`, async () => {
        const exporter = new Exporter({ url: viewer.endpoints.otlpMetrics, temporalityPreference: format === 'JSON' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE });
        const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
        const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': `worker-${format}` }), readers: [reader] });
        const meter = provider.getMeter('test');
        const jobs = meter.createCounter('jobs.done');
        const depth = meter.createGauge('queue.depth');
        const duration = meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1, 10] } });
        jobs.add(3, { queue: 'mail' });
        depth.record(17);
        for (let i = 0; i < 10; i++) duration.record(i < 5 ? 0.05 : 5);
        await provider.forceFlush();
        jobs.add(2, { queue: 'mail' });
        await provider.forceFlush();
        const frame = await client.waitFor(() => {
          const m = lastMetrics();
          return m?.metrics.some((x) => x.source === `worker-${format}` && x.name === 'job.duration') ? m : undefined;
        });
        const of = (name: string) => frame.metrics.find((x) => x.source === `worker-${format}` && x.name === name)!;
        expect(of('jobs.done')).toMatchObject({ kind: 'counter', series: [expect.objectContaining({ l: { queue: 'mail' }, v: 5 })] });
        expect(of('queue.depth').series[0]!.v).toBe(17);
        expect(of('job.duration').kind).toBe('histogram');
        expect(of('job.duration').series[0]!.v).toBe(10);
        await provider.shutdown();
      });
    }
  });

  describe('@lookout/telemetry', () => {
    for (const format of ['otlp-proto', 'otlp-json', 'json'] as const) {
      it(`should show events the telemetry client sends as ${format}`, async () => {
        const endpoint = format === 'json' ? `${viewer.endpoints.ingest}&source=cli` : viewer.endpoints.otlpLogs;
        const telemetry = createNodeTelemetryClient({ endpoint, format, app: { name: 'shop-cli', version: '1.0.0' }, spool: false, exitHandling: false, respectDoNotTrack: false });
        telemetry.track(`command.run.${format}`, { command: 'deploy' });
        await telemetry.flush(5000);
        const event = await client.waitFor(recordNamed(`command.run.${format}`));
        expect(event).toMatchObject({ type: 'event', source: format === 'json' ? 'cli' : 'shop-cli', attributes: { command: 'deploy' } });
        await telemetry.shutdown(1000);
      });
    }
  });

  describe('beacons', () => {
    it('should accept text/plain JSON records, gzip-encoded or not', async () => {
      const body = JSON.stringify({ records: [{ type: 'vital', name: 'INP', value: 180, rating: 'good', page: '/cart' }] });
      const res = await rawRequest(viewer.port, `/ingest?token=${viewer.token}&source=shop-web`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ accepted: 1, invalid: 0 });
      const gz = gzipSync(JSON.stringify([{ type: 'vital', name: 'CLS', value: 0.02 }]));
      const res2 = await rawRequest(viewer.port, `/ingest?token=${viewer.token}&source=shop-web`, { method: 'POST', body: gz, headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' } });
      expect(res2.status).toBe(200);
      expect(await client.waitFor(recordNamed('INP'))).toMatchObject({ type: 'vital', value: 180, level: 'good', source: 'shop-web', attributes: { page: '/cart' } });
      expect(await client.waitFor(recordNamed('CLS'))).toMatchObject({ value: 0.02 });
    });

    it('should answer 400 to malformed bodies, 413 to huge ones and keep running', async () => {
      const post = (body: string | Uint8Array, headers: Record<string, string> = {}) => rawRequest(viewer.port, `/v1/logs?token=${viewer.token}`, { method: 'POST', body, headers });
      expect((await post('{not json', { 'content-type': 'application/json' })).status).toBe(400);
      expect((await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' })).status).toBe(400);
      expect((await post('{"something":1}', { 'content-type': 'application/json' })).status).toBe(400);
      expect((await post('x'.repeat(5 * 1024 * 1024), { 'content-type': 'application/json' })).status).toBe(413);
      expect((await post(gzipSync(Buffer.alloc(8 * 1024 * 1024)), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(413);
      expect((await rawRequest(viewer.port, `/api/snapshot?token=${viewer.token}`)).status).toBe(200);
    });
  });

  describe('Sentry envelopes', () => {
    it('should show error events posted to the viewer as a DSN, grouped by fingerprint', async () => {
      const envelope = [
        JSON.stringify({ event_id: 'a'.repeat(32), dsn: viewer.endpoints.sentryDsn }),
        JSON.stringify({ type: 'event' }),
        JSON.stringify({ exception: { values: [{ type: 'RangeError', value: 'index out of range' }] }, level: 'error', fingerprint: ['cart', 'index'], release: 'shop-web@2', timestamp: Date.now() / 1000 }),
        JSON.stringify({ type: 'session' }),
        JSON.stringify({ status: 'ok' }),
      ].join('\n');
      const res = await rawRequest(viewer.port, `/api/1/envelope/?sentry_key=${viewer.token}&sentry_version=7`, { method: 'POST', body: envelope, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      expect(res.status).toBe(200);
      expect(await client.waitFor(recordNamed('RangeError'))).toMatchObject({ type: 'error', group: 'cart index', message: 'index out of range', source: 'shop-web@2', level: 'high' });
    });
  });
});
