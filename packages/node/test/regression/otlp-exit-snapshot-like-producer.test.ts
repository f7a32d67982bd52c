import { createDiagnostics, createMetricsRegistry, type MetricsRegistry } from '@lookout/core';
import { LOOKOUT_SCOPE, createOtelMetricProducer } from '@lookout/core/sdk';
import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { HistogramMetricData, MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { parseOtlpExitSnapshot, snapshotToResourceMetrics, takeOtlpExitSnapshot } from '../../src/exporters/otlpExitSnapshot.js';

const T0 = 1_763_000_000_000;
const quiet = createDiagnostics({ level: 'none' });
const resource = resourceFromAttributes({ 'service.name': 'svc' });

function clocked(options: { seriesTtlMs?: number } = {}): { registry: MetricsRegistry; clock: { ms: number } } {
  const clock = { ms: T0 };
  const registry = createMetricsRegistry({ now: () => clock.ms, diagnostics: quiet, ...options });
  registry.enable();
  return { registry, clock };
}

/** What the exit spool sends for the registry now, and what core's producer collects from it right after. */
async function spooledAndLive(registry: MetricsRegistry): Promise<{ spooled: MetricData[]; live: MetricData[] }> {
  const snapshot = parseOtlpExitSnapshot(takeOtlpExitSnapshot(registry, { 'service.name': 'svc' }, undefined) ?? '', quiet);
  expect(snapshot).toBeDefined();
  const spooled = snapshotToResourceMetrics(snapshot!, resource, LOOKOUT_SCOPE).scopeMetrics[0]!.metrics;
  const live = (await createOtelMetricProducer(registry, resource).collect()).resourceMetrics.scopeMetrics[0]!.metrics;
  expect(spooled).toEqual(live);
  return { spooled, live };
}

const named = (metrics: MetricData[], name: string): MetricData | undefined => metrics.find((m) => m.descriptor.name === name);

describe('otlpExitSnapshot', () => {
  describe('snapshotToResourceMetrics', () => {
    it("should give each point its series' start time, not the instrument's", async () => {
      const { registry, clock } = clocked({ seriesTtlMs: 5000 });
      const jobs = registry.counter('jobs', { labels: ['queue'] });
      jobs.add(10, { queue: 'a' });
      clock.ms += 20_000;
      await registry.prepareCollection();
      clock.ms += 20_000;
      await registry.prepareCollection(); // dropped after its TTL
      jobs.add(1, { queue: 'a' });
      clock.ms += 1000;
      const { spooled } = await spooledAndLive(registry);
      const start: HrTime = [T0 / 1000 + 40, 0];
      expect(named(spooled, 'jobs')!.dataPoints).toMatchObject([{ startTime: start, value: 1 }]);
    });

    it('should carry min and max of a histogram series', async () => {
      const { registry } = clocked();
      const h = registry.histogram('latency', { unit: 's', buckets: [0.1, 1] });
      for (const v of [0.05, 0.4, 3]) h.record(v);
      const { spooled } = await spooledAndLive(registry);
      expect((named(spooled, 'latency') as HistogramMetricData).dataPoints[0]!.value).toMatchObject({ min: 0.05, max: 3, count: 3 });
    });

    it('should leave out the sum of a histogram series that saw a negative value', async () => {
      const { registry } = clocked();
      const h = registry.histogram('delta', { labels: ['k'], buckets: [0, 10] });
      h.record(-2, { k: 'neg' });
      h.record(5, { k: 'neg' });
      h.record(5, { k: 'pos' });
      const { spooled } = await spooledAndLive(registry);
      const byKey = Object.fromEntries((named(spooled, 'delta') as HistogramMetricData).dataPoints.map((p) => [p.attributes['k'], p.value]));
      expect(byKey['neg']).not.toHaveProperty('sum');
      expect(byKey['neg']).toMatchObject({ min: -2, max: 5, count: 2 });
      expect(byKey['pos']).toMatchObject({ sum: 5, count: 1 });
    });

    it('should leave out metrics without series', async () => {
      const { registry } = clocked();
      registry.counter('never.recorded');
      registry.histogram('never.observed', { buckets: [1] });
      registry.gauge('recorded').set(1);
      const { spooled } = await spooledAndLive(registry);
      expect(spooled.map((m) => m.descriptor.name)).not.toContain('never.recorded');
      expect(spooled.map((m) => m.descriptor.name)).not.toContain('never.observed');
      expect(named(spooled, 'recorded')).toBeDefined();
    });

    it('should keep attributes whose value is the empty string', async () => {
      const { registry } = clocked();
      registry.counter('visits', { labels: ['room', 'floor'] }).add(1, { room: '', floor: '2' });
      const { spooled } = await spooledAndLive(registry);
      expect(named(spooled, 'visits')!.dataPoints[0]!.attributes).toEqual({ room: '', floor: '2' });
    });
  });
});
