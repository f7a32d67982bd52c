import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, observeDeliveryStats, type DeliveryStatsSource } from '@lookout/core';
import { createOtelMetricProducer } from '@lookout/core/sdk';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });
const T0 = 1_700_000_000_000;

async function points(producer: MetricProducer, name: string): Promise<{ start: HrTime; value: unknown }[]> {
  const { resourceMetrics } = await producer.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((d) => ({ start: d.startTime, value: d.value }));
}

function queue(sent: number): DeliveryStatsSource {
  return { stats: { sent, retried: 0, circuitOpened: 0, queuedItems: 0, dropped: {} } };
}

describe('OTLP start time', () => {
  it('should give a series created again after its TTL a new start time', async () => {
    let now = T0;
    const registry = createMetricsRegistry({ seriesTtlMs: 5000, now: () => now, diagnostics: quiet() });
    const jobs = registry.counter('jobs', { labels: ['queue'] });
    const producer = createOtelMetricProducer(registry, resourceFromAttributes({}));
    jobs.add(10, { queue: 'a' });
    now += 1000;
    const [first] = await points(producer, 'jobs');
    expect(first).toEqual({ start: [T0 / 1000, 0], value: 10 });
    now += 20_000;
    await points(producer, 'jobs');
    now += 20_000;
    expect(await points(producer, 'jobs')).toEqual([]); // dropped after its TTL
    jobs.add(1, { queue: 'a' });
    now += 1000;
    const [again] = await points(producer, 'jobs');
    expect(again!.value).toBe(1);
    expect(again!.start).toEqual([T0 / 1000 + 41, 0]);
  });

  it('should keep an observable series its start time across collections, and restart it when observeDeliveryStats replaces its queue', async () => {
    let now = T0;
    const registry = createMetricsRegistry({ now: () => now, diagnostics: quiet() });
    const producer = createOtelMetricProducer(registry, resourceFromAttributes({}));
    observeDeliveryStats(queue(5), 'events', registry);
    now += 3000;
    const first = await points(producer, 'lookout.delivery.items.sent');
    now += 3000;
    expect(await points(producer, 'lookout.delivery.items.sent')).toEqual(first);
    // Created at its first collection, as the OpenTelemetry SDK starts an asynchronous series.
    expect(first).toEqual([{ start: [T0 / 1000 + 3, 0], value: 5 }]);

    now += 4000;
    observeDeliveryStats(queue(7), 'events', registry); // a new queue: its total starts again from 0
    now += 1000;
    expect(await points(producer, 'lookout.delivery.items.sent')).toEqual([{ start: [T0 / 1000 + 10, 0], value: 7 }]);
  });
});
