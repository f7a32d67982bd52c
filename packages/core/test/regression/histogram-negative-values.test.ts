import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createOtelMetricProducer } from '@lookout/core/sdk';
import { PullReader } from '../helpers/pullReader.js';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });
const resource = resourceFromAttributes({ 'service.name': 's' });

/** OTLP/JSON histogram data points as the OTLP exporters send them, without their times. */
function otlpHistogramPoints(rm: ResourceMetrics, name: string): Record<string, unknown>[] {
  const json = JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm))) as {
    resourceMetrics: { scopeMetrics: { metrics: { name: string; histogram?: { dataPoints: Record<string, unknown>[] } }[] }[] }[];
  };
  const metric = json.resourceMetrics[0]!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.name === name)!;
  return metric.histogram!.dataPoints.map(({ startTimeUnixNano: _s, timeUnixNano: _t, ...rest }) => rest);
}

async function lookoutPoints(values: number[]): Promise<Record<string, unknown>[]> {
  const registry = createMetricsRegistry({ diagnostics: quiet() });
  const h = registry.histogram('lat', { unit: 's', buckets: [0.1, 1], labels: ['m'] });
  for (const v of values) h.record(v, { m: 'x' });
  const { resourceMetrics } = await createOtelMetricProducer(registry, resource).collect();
  return otlpHistogramPoints(resourceMetrics, 'lat');
}

describe('histograms', () => {
  describe('OTLP data points', () => {
    it('should carry sum, min and max exactly as the OpenTelemetry SDK does', async () => {
      const reader = new PullReader();
      const provider = new MeterProvider({ resource, readers: [reader] });
      const native = provider.getMeter('m').createHistogram('lat', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } });
      for (const v of [0.05, 0.5, 7]) native.record(v, { m: 'x' });
      const expected = otlpHistogramPoints((await reader.collect()).resourceMetrics, 'lat');
      expect(expected[0]).toMatchObject({ min: 0.05, max: 7 });
      expect(await lookoutPoints([0.05, 0.5, 7])).toEqual(expected);
      await provider.shutdown();
    });

    it('should keep a negative value but leave the sum out from then on', async () => {
      const [point] = await lookoutPoints([0.05, -3, 7]);
      expect(point).toMatchObject({ count: 3, bucketCounts: [2, 0, 1], min: -3, max: 7 });
      expect(point).not.toHaveProperty('sum');
    });
  });

  describe('exposition', () => {
    it('should leave _sum out in OpenMetrics for a series that saw a negative value, or buckets below zero, and keep it in 0.0.4 as prom-client does', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const size = registry.histogram('size', { buckets: [0.5, 1], labels: ['k'] });
      const delta = registry.histogram('delta', { buckets: [-1, 0, 1] });
      size.record(0.2, { k: 'pos' });
      size.record(-5, { k: 'neg' });
      size.record(2, { k: 'neg' });
      delta.record(0.5);

      const om = await renderPrometheus(registry, { openMetrics: true });
      expect(om).toContain('size_sum{k="pos"} 0.2\n');
      expect(om).not.toContain('size_sum{k="neg"}');
      expect(om).toContain('size_count{k="neg"} 2\n');
      expect(om).not.toContain('delta_sum');
      expect(om).toContain('delta_count 1\n');

      const pr = new client.Registry();
      const ph = new client.Histogram({ name: 'size', help: 'size', labelNames: ['k'], buckets: [0.5, 1], registers: [pr] });
      ph.observe({ k: 'pos' }, 0.2);
      ph.observe({ k: 'neg' }, -5);
      ph.observe({ k: 'neg' }, 2);
      const sums = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('size_sum'));
      expect(sums(await renderPrometheus(registry))).toEqual(sums(await pr.metrics()));
      expect(sums(await renderPrometheus(registry))).toEqual(['size_sum{k="pos"} 0.2', 'size_sum{k="neg"} -3']);
    });
  });
});
