import { metrics } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, MetricsRegistry } from '@lookout/core';
import { createOtelMetricProducer } from '@lookout/core/sdk';
import { PullReader } from '../helpers/pullReader.js';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });
const resource = resourceFromAttributes({ 'service.name': 's' });

/** Metric name → OTLP/JSON data points without their times, as the OTLP exporters send them. */
function otlp(rm: ResourceMetrics): Record<string, unknown[]> {
  const json = JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm))) as {
    resourceMetrics: { scopeMetrics: { metrics: Record<string, { dataPoints?: Record<string, unknown>[] } | string>[] }[] }[];
  };
  const out: Record<string, unknown[]> = {};
  for (const m of json.resourceMetrics[0]?.scopeMetrics.flatMap((s) => s.metrics) ?? []) {
    const data = (m.sum ?? m.gauge ?? m.histogram) as { dataPoints: Record<string, unknown>[] };
    out[m.name as string] = data.dataPoints.map(({ startTimeUnixNano: _s, timeUnixNano: _t, ...rest }) => rest);
  }
  return out;
}

describe('createOtelMetricProducer', () => {
  afterEach(() => {
    metrics.disable();
  });

  it('should give the same OTLP as the SDK: empty attribute values kept, instruments never recorded into left out', async () => {
    const reader = new PullReader();
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('m');
    meter.createCounter('unused');
    meter.createCounter('used').add(1);
    meter.createGauge('temp').record(21.5, { room: '' });
    const native = otlp((await reader.collect()).resourceMetrics);

    const registry = createMetricsRegistry({ diagnostics: quiet() });
    registry.counter('unused');
    registry.counter('used').add(1);
    registry.gauge('temp', { labels: ['room'] }).set(21.5, { room: '' });
    const ours = otlp((await createOtelMetricProducer(registry, resource).collect()).resourceMetrics);

    expect(native.temp).toEqual([{ attributes: [{ key: 'room', value: { stringValue: '' } }], asDouble: 21.5 }]);
    expect(ours).toEqual(native);
    await provider.shutdown();
  });

  it("should mark the overflow series with the boolean otel.metric.overflow in delegate mode too, as the SDK's own overflow", async () => {
    const reader = new PullReader(3);
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
    const native = provider.getMeter('m').createCounter('native.jobs');
    for (const queue of ['a', 'b', 'c', 'd']) native.add(1, { queue });

    const registry = new MetricsRegistry({ diagnostics: quiet() }, 'delegate');
    const jobs = registry.counter('jobs', { labels: ['queue'], cardinalityLimit: 1 });
    for (const queue of ['a', 'b']) jobs.add(1, { queue });

    const all = otlp((await reader.collect()).resourceMetrics);
    const overflow = { key: 'otel.metric.overflow', value: { boolValue: true } };
    const attributesOf = (points: unknown[] | undefined): unknown[] => (points as { attributes: unknown }[]).map((p) => p.attributes);
    expect(attributesOf(all['native.jobs'])).toContainEqual([overflow]);
    expect(all.jobs).toContainEqual({ attributes: [overflow], asDouble: 1 });
    await provider.shutdown();
  });
});
