import { metrics } from '@opentelemetry/api';
import { defaultResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
  type MetricData,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, instrument, MetricsRegistry } from '@lookout/core';
import { startMetricsSdk } from '@lookout/core/sdk';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

function find(all: MetricData[], name: string): MetricData {
  const m = all.find((x) => x.descriptor.name === name);
  if (m === undefined) throw new Error(`no metric ${name} in ${all.map((x) => x.descriptor.name).join(', ')}`);
  return m;
}

describe('OpenTelemetry interop', () => {
  afterEach(() => {
    metrics.disable();
  });

  describe('host MeterProvider', () => {
    it('should report through a MeterProvider the host registered instead of aggregating itself', async () => {
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
      const provider = new MeterProvider({ readers: [reader] });
      expect(metrics.setGlobalMeterProvider(provider)).toBe(true);

      const registry = new MetricsRegistry({ diagnostics: quiet() }, 'off');
      const requests = registry.counter('lib.requests', { labels: ['route'], unit: '{request}' });
      const latency = registry.histogram('lib.latency', { unit: 's', labels: ['route'] });
      requests.add(2, { route: '/a' });
      requests.bind({ route: '/b' }).add(5);
      latency.record(0.2, { route: '/a' });
      const wrapped = instrument('lib.work', () => 1, { registry });
      wrapped();
      expect(registry.currentMode).toBe('delegate');

      await reader.forceFlush();
      const all = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics));
      const req = find(all, 'lib.requests') as SumMetricData;
      expect(req.dataPoints.map((p) => [p.attributes.route, p.value]).sort()).toEqual([
        ['/a', 2],
        ['/b', 5],
      ]);
      const lat = find(all, 'lib.latency') as HistogramMetricData;
      expect(lat.dataPoints[0]!.value.count).toBe(1);
      expect(lat.dataPoints[0]!.value.buckets.boundaries).toContain(0.25);
      const calls = find(all, 'app.function.calls') as SumMetricData;
      expect(calls.dataPoints.find((p) => p.attributes.outcome === 'success')?.value).toBe(1);
      await provider.shutdown();
    });
  });

  describe('startMetricsSdk', () => {
    it('should hand the registry to OpenTelemetry readers with resource, units and cumulative data', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const sdk = startMetricsSdk({ registry, memory: true, serviceName: 'svc', serviceVersion: '1.2.3', environment: 'test', env: {} });
      expect(await sdk.ready).toBe(true);
      registry.counter('jobs.done', { labels: ['queue'] }).add(3, { queue: 'q1' });
      registry.upDownCounter('sessions.active').add(-2);
      registry.gauge('temp', { unit: '1' }).set(0.5);
      const h = registry.histogram('job.duration', { unit: 's', buckets: [0.1, 1] });
      h.record(0.05);
      h.record(0.5);
      h.record(5);
      expect(await sdk.forceFlush()).toBe(true);
      const rms = await sdk.memoryMetrics();
      const last = rms[rms.length - 1]!;
      expect(last.resource.attributes['service.name']).toBe('svc');
      expect(last.resource.attributes['service.version']).toBe('1.2.3');
      expect(last.resource.attributes['deployment.environment.name']).toBe('test');
      const all = last.scopeMetrics.flatMap((s) => s.metrics);
      const jobs = find(all, 'jobs.done') as SumMetricData;
      expect(jobs.isMonotonic).toBe(true);
      expect(jobs.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
      expect(jobs.dataPoints[0]!.attributes).toEqual({ queue: 'q1' });
      expect(jobs.dataPoints[0]!.value).toBe(3);
      const sessions = find(all, 'sessions.active') as SumMetricData;
      expect(sessions.isMonotonic).toBe(false);
      expect(sessions.dataPoints[0]!.value).toBe(-2);
      expect(find(all, 'temp').dataPointType).toBe(DataPointType.GAUGE);
      const dur = find(all, 'job.duration') as HistogramMetricData;
      expect(dur.descriptor.unit).toBe('s');
      expect(dur.dataPoints[0]!.value).toMatchObject({ count: 3, buckets: { boundaries: [0.1, 1], counts: [1, 1, 1] } });
      expect(dur.dataPoints[0]!.value.sum).toBeCloseTo(5.55, 10);
      const first = sdk.shutdown();
      expect(sdk.shutdown()).toBe(first);
      expect(await first).toBe(true);
    });

    it('should take OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES from the environment, explicit options first', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const sdk = startMetricsSdk({
        registry,
        memory: true,
        env: { OTEL_SERVICE_NAME: 'from-env', OTEL_RESOURCE_ATTRIBUTES: 'team=core,region=eu%2Dwest,service.name=ignored' },
      });
      registry.counter('x').add(1);
      await sdk.forceFlush();
      const rm = (await sdk.memoryMetrics()).at(-1)!;
      expect(rm.resource.attributes).toMatchObject({ 'service.name': 'from-env', team: 'core', region: 'eu-west' });
      await sdk.shutdown();
    });

    it('should let code beat the environment for service.name and build on the SDK default resource', async () => {
      const resourceOf = async (options: Parameters<typeof startMetricsSdk>[0]): Promise<Record<string, unknown>> => {
        const registry = createMetricsRegistry({ diagnostics: quiet() });
        const sdk = startMetricsSdk({ registry, memory: true, ...options });
        registry.counter('x').add(1);
        await sdk.forceFlush();
        const rm = (await sdk.memoryMetrics()).at(-1)!;
        await sdk.shutdown();
        return { ...rm.resource.attributes };
      };
      const defaults = defaultResource().attributes;
      expect(defaults['telemetry.sdk.language']).toBe('nodejs');
      expect(await resourceOf({ env: {} })).toEqual(defaults);
      expect(await resourceOf({ serviceName: 'svc', env: {} })).toEqual({ ...defaults, 'service.name': 'svc' });
      const env = { OTEL_SERVICE_NAME: 'from-env', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-env-attrs' };
      expect((await resourceOf({ resourceAttributes: { 'service.name': 'from-code' }, env }))['service.name']).toBe('from-code');
      expect((await resourceOf({ serviceName: 'option', resourceAttributes: { 'service.name': 'from-code' }, env }))['service.name']).toBe('option');
      expect((await resourceOf({ env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-env-attrs' } }))['service.name']).toBe('from-env-attrs');
    });

    it('should leave a delegating registry delegating under OTEL_SDK_DISABLED, so the host provider still gets histogram records', async () => {
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
      const provider = new MeterProvider({ readers: [reader] });
      metrics.setGlobalMeterProvider(provider);
      const registry = new MetricsRegistry({ diagnostics: quiet() }, 'delegate');
      expect(registry.currentMode).toBe('delegate');
      const sdk = startMetricsSdk({ registry, env: { OTEL_SDK_DISABLED: 'true' } });
      expect(await sdk.ready).toBe(false);
      expect(registry.currentMode).toBe('delegate');
      registry.histogram('latency', { unit: 's' }).record(0.3);
      await reader.forceFlush();
      expect(exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)))).toContain('latency');
      await provider.shutdown();

      const off = new MetricsRegistry({ diagnostics: quiet() }, 'off');
      expect(await startMetricsSdk({ registry: off, env: { OTEL_SDK_DISABLED: 'true' } }).ready).toBe(false);
      expect(off.currentMode).toBe('off');
    });

    it('should resolve forceFlush and shutdown by their deadline even when the exporter hangs', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      // A port nobody answers on in time: an address in TEST-NET would leave the machine, so use a
      // local listener that accepts and never answers.
      const net = await import('node:net');
      const server = net.createServer(() => {});
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      const sdk = startMetricsSdk({ registry, otlp: { endpoint: `http://127.0.0.1:${port}/v1/metrics`, timeoutMs: 10_000 }, env: {} });
      registry.counter('y').add(1);
      const t0 = Date.now();
      expect(await sdk.forceFlush(300)).toBe(false);
      expect(await sdk.shutdown(300)).toBe(false);
      expect(Date.now() - t0).toBeLessThan(2_000);
      server.close();
    });
  });
});
