import fc from 'fast-check';
import { createDiagnostics, createMetricsRegistry, type Logger, type MetricsRegistry } from '@lookout/core';
import { LOOKOUT_SCOPE, createOtelMetricProducer } from '@lookout/core/sdk';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type HistogramMetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { OTLP_EXIT_SNAPSHOT_FORMAT, parseOtlpExitSnapshot, snapshotToResourceMetrics, takeOtlpExitSnapshot, type OtlpExitSnapshot } from '../../src/exporters/otlpExitSnapshot.js';

const T0 = 1_763_000_000_123;

function collecting(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const push = (m: string): void => void messages.push(m);
  return { logger: { error: push, warn: push, info: () => {}, debug: () => {} }, messages };
}

/** A registry on a settable clock with one instrument of each kind recorded. */
function recorded(): { registry: MetricsRegistry; clock: { ms: number } } {
  const clock = { ms: T0 };
  const registry = createMetricsRegistry({ now: () => clock.ms, diagnostics: createDiagnostics({ level: 'none' }) });
  registry.enable();
  registry.counter('app.jobs', { description: 'Jobs done', unit: '{job}', labels: ['http.route', 'outcome'] }).add(5, { 'http.route': '/a', outcome: 'ok' });
  clock.ms += 250;
  const h = registry.histogram('app.job.duration', { description: 'Job time', unit: 's', labels: ['http.route'], buckets: [0.1, 0.5, 1] });
  for (const v of [0.05, 0.3, 0.7, 2]) h.record(v, { 'http.route': '/a' });
  registry.gauge('app.temperature', { unit: 'Cel' }).set(21.5);
  registry.upDownCounter('app.sessions', { unit: '{session}' }).add(-2);
  registry.observableGauge('app.queue.depth', { unit: '{item}' }, (o) => o.observe(7));
  clock.ms += 1000;
  return { registry, clock };
}

function take(registry: MetricsRegistry, env?: string): OtlpExitSnapshot {
  const text = takeOtlpExitSnapshot(registry, { 'service.name': 'svc' }, env);
  expect(text).toBeTypeOf('string');
  const snapshot = parseOtlpExitSnapshot(text!, createDiagnostics({ level: 'none' }));
  expect(snapshot).toBeDefined();
  return snapshot!;
}

describe('otlpExitSnapshot', () => {
  describe('snapshotToResourceMetrics', () => {
    it('should give cumulative sums, gauges and explicit-bucket histograms with their start times', () => {
      const { registry } = recorded();
      const rm = snapshotToResourceMetrics(take(registry), resourceFromAttributes({ 'service.name': 'svc' }), LOOKOUT_SCOPE);
      const metrics = rm.scopeMetrics[0]!.metrics;
      const byName = Object.fromEntries(metrics.map((m) => [m.descriptor.name, m]));

      const jobs = byName['app.jobs'] as SumMetricData;
      expect(jobs.dataPointType).toBe(DataPointType.SUM);
      expect(jobs.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
      expect(jobs.isMonotonic).toBe(true);
      expect(jobs.dataPoints).toHaveLength(1);
      // Attribute keys as declared (not their Prometheus names).
      expect(jobs.dataPoints[0]!.attributes).toEqual({ 'http.route': '/a', outcome: 'ok' });
      expect(jobs.dataPoints[0]!.value).toBe(5);
      expect(jobs.dataPoints[0]!.startTime).toEqual([Math.floor(T0 / 1000), 123_000_000]);
      expect(jobs.dataPoints[0]!.endTime).toEqual([Math.floor((T0 + 1250) / 1000), 373_000_000]);

      const duration = byName['app.job.duration'] as HistogramMetricData;
      expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
      expect(duration.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
      expect(duration.descriptor.unit).toBe('s');
      const point = duration.dataPoints[0]!;
      expect(point.value.buckets).toEqual({ boundaries: [0.1, 0.5, 1], counts: [1, 1, 1, 1] });
      expect(point.value.count).toBe(4);
      expect(point.value.sum).toBeCloseTo(3.05, 12);
      expect(point.startTime).toEqual([Math.floor((T0 + 250) / 1000), 373_000_000]);

      expect(byName['app.temperature']!.dataPointType).toBe(DataPointType.GAUGE);
      expect(byName['app.temperature']!.dataPoints[0]!.value).toBe(21.5);
      const sessions = byName['app.sessions'] as SumMetricData;
      expect([sessions.dataPointType, sessions.isMonotonic, sessions.dataPoints[0]!.value]).toEqual([DataPointType.SUM, false, -2]);
      // A synchronous observable callback ran at the snapshot.
      expect(byName['app.queue.depth']!.dataPoints[0]!.value).toBe(7);
    });

    it("should match what core's SDK producer collects from the same registry", async () => {
      const { registry } = recorded();
      const resource = resourceFromAttributes({ 'service.name': 'svc' });
      const ours = snapshotToResourceMetrics(take(registry), resource, LOOKOUT_SCOPE);
      const live = (await createOtelMetricProducer(registry, resource).collect()).resourceMetrics;
      expect(ours.scopeMetrics).toEqual(live.scopeMetrics);
    });

    it('should serialize into an OTLP request: cumulative temporality, monotonic sum, explicit bounds', () => {
      const { registry } = recorded();
      const rm = snapshotToResourceMetrics(take(registry), resourceFromAttributes({ 'service.name': 'svc', 'deployment.region': 'eu' }), LOOKOUT_SCOPE);
      const json = JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm))) as {
        resourceMetrics: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeMetrics: { scope: { name: string }; metrics: Record<string, any>[] }[] }[];
      };
      const [r] = json.resourceMetrics;
      expect(r!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'svc' } });
      expect(r!.resource.attributes).toContainEqual({ key: 'deployment.region', value: { stringValue: 'eu' } });
      expect(r!.scopeMetrics[0]!.scope.name).toBe(LOOKOUT_SCOPE.name);
      const byName = Object.fromEntries(r!.scopeMetrics[0]!.metrics.map((m) => [m.name, m]));
      // OTLP's AGGREGATION_TEMPORALITY_CUMULATIVE is 2.
      expect(byName['app.jobs']!.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
      expect(byName['app.jobs']!.sum.dataPoints[0].asDouble).toBe(5);
      expect(byName['app.job.duration']!.histogram.aggregationTemporality).toBe(2);
      expect(byName['app.job.duration']!.histogram.dataPoints[0]).toMatchObject({ explicitBounds: [0.1, 0.5, 1], bucketCounts: [1, 1, 1, 1], count: 4 });
      expect(byName['app.temperature']!.gauge.dataPoints[0].asDouble).toBe(21.5);
      expect(ProtobufMetricsSerializer.serializeRequest(rm)!.byteLength).toBeGreaterThan(100);
    });

    it('should carry the overflow series and non-finite values through the JSON spool', () => {
      const snapshot = parseOtlpExitSnapshot(
        JSON.stringify({
          format: OTLP_EXIT_SNAPSHOT_FORMAT,
          timeMs: T0,
          resource: {},
          metrics: [
            { name: 'g', kind: 'gauge', unit: '', description: '', startTimeMs: T0, series: [{ attributes: {}, value: 'NaN' }, { attributes: {}, overflow: true, value: 1 }] },
            { name: 'h', kind: 'histogram', unit: 's', description: '', startTimeMs: T0, bounds: [1], series: [{ attributes: {}, counts: [0, 1], sum: 'Infinity', count: 1 }, { attributes: {}, counts: [1], sum: 1, count: 1 }] },
          ],
        }),
        createDiagnostics({ level: 'none' }),
      )!;
      const [g, h] = snapshotToResourceMetrics(snapshot, resourceFromAttributes({}), LOOKOUT_SCOPE).scopeMetrics[0]!.metrics;
      expect(Number.isNaN(g!.dataPoints[0]!.value)).toBe(true);
      expect(g!.dataPoints[1]!.attributes).toEqual({ 'otel.metric.overflow': true });
      // The second histogram point's counts do not fit its bounds: skipped.
      expect(h!.dataPoints).toHaveLength(1);
      expect((h as HistogramMetricData).dataPoints[0]!.value.sum).toBe(Infinity);
    });
  });

  describe('takeOtlpExitSnapshot', () => {
    it('should keep the resource and the raw OTEL_RESOURCE_ATTRIBUTES of the run', () => {
      const { registry } = recorded();
      const snapshot = take(registry, 'team=core,deployment.region=eu');
      expect(snapshot.resource).toEqual({ 'service.name': 'svc' });
      expect(snapshot.resourceEnv).toBe('team=core,deployment.region=eu');
      expect(snapshot.timeMs).toBe(T0 + 1250);
    });

    it('should not throw when the registry cannot be read, and report it once', () => {
      const { logger, messages } = collecting();
      const broken = { diag: createDiagnostics({ logger }), prepareCollection: () => Promise.resolve(), now: () => 0, instruments: () => { throw new Error('boom'); } };
      expect(takeOtlpExitSnapshot(broken as unknown as MetricsRegistry, {}, undefined)).toBeUndefined();
      expect(messages).toHaveLength(1);
    });
  });

  describe('parseOtlpExitSnapshot', () => {
    it('should never throw on garbage, and report one diagnostic for each', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array()), (body) => {
          const { logger, messages } = collecting();
          expect(parseOtlpExitSnapshot(body, createDiagnostics({ logger }))).toBeUndefined();
          expect(messages).toHaveLength(1);
        }),
        { numRuns: 200 },
      );
    });

    it('should convert any snapshot-shaped input without throwing', () => {
      fc.assert(
        fc.property(fc.array(fc.anything(), { maxLength: 5 }), (metrics) => {
          const snapshot = { format: OTLP_EXIT_SNAPSHOT_FORMAT, timeMs: T0, resource: {}, metrics } as unknown as OtlpExitSnapshot;
          expect(() => snapshotToResourceMetrics(snapshot, resourceFromAttributes({}), LOOKOUT_SCOPE)).not.toThrow();
        }),
        { numRuns: 200 },
      );
    });
  });
});
