import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { startMetricsSdk } from '@lookout/core/sdk';
import { startHttpReceiver, startVictoriaMetrics, type HttpReceiverHandle, type VictoriaMetricsHandle } from '../../../../testing/backends.js';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ level: 'none' });

describe('OTLP push (real backend)', () => {
  let vm: VictoriaMetricsHandle;
  let receiver: HttpReceiverHandle;

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    receiver = await startHttpReceiver();
  }, 60_000);

  afterAll(async () => {
    await vm?.stop();
    await receiver?.stop();
  });

  it('should push OTLP protobuf that VictoriaMetrics stores and returns with the same values', async () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const sdk = startMetricsSdk({ registry, serviceName: 'otlp-test', otlp: { endpoint: vm.otlpMetricsUrl, protocol: 'http/protobuf', intervalMs: 60_000 }, env: {} });
    expect(await sdk.ready).toBe(true);
    registry.counter('pipeline.runs', { labels: ['stage', 'model'] }).add(5, { stage: 'review', model: 'm1' });
    registry.gauge('queue.size').set(12.5);
    const h = registry.histogram('stage.duration', { unit: 's', buckets: [0.5, 1, 2] });
    h.record(0.25);
    h.record(1.5);
    h.record(1.75);
    expect(await sdk.forceFlush()).toBe(true);

    const runs = await vm.waitFor('pipeline_runs_total', (s) => s.length === 1);
    expect(runs[0]!.value).toBe(5);
    expect(runs[0]!.metric).toMatchObject({ stage: 'review', model: 'm1', service_name: 'otlp-test' });
    expect((await vm.query('queue_size'))[0]?.value).toBe(12.5);
    expect((await vm.query('stage_duration_seconds_count'))[0]?.value).toBe(3);
    expect((await vm.query('stage_duration_seconds_sum'))[0]?.value).toBeCloseTo(3.5, 9);
    const le2 = await vm.query('stage_duration_seconds_bucket{le="2"}');
    expect(le2[0]?.value).toBe(3);
    const le1 = await vm.query('stage_duration_seconds_bucket{le="1"}');
    expect(le1[0]?.value).toBe(1);
    await sdk.shutdown();
  }, 60_000);

  it('should push OTLP JSON with the resource, scope and data points as the OTLP JSON mapping defines', async () => {
    receiver.clear();
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const sdk = startMetricsSdk({
      registry,
      serviceName: 'json-test',
      otlp: { endpoint: `${receiver.url}/v1/metrics`, protocol: 'http/json', headers: { authorization: 'Bearer t0ken' } },
      env: {},
    });
    registry.counter('events.seen', { labels: ['kind'] }).add(2, { kind: 'a' });
    expect(await sdk.forceFlush()).toBe(true);
    const req = await receiver.waitFor((r) => r.url === '/v1/metrics', 10_000);
    expect(req.headers['content-type']).toContain('application/json');
    expect(req.headers.authorization).toBe('Bearer t0ken');
    const body = JSON.parse(req.body.toString('utf8'));
    const rm = body.resourceMetrics[0];
    expect(rm.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'json-test' } });
    const sm = rm.scopeMetrics.find((s: { scope: { name: string } }) => s.scope.name === '@lookout/core');
    const metric = sm.metrics.find((m: { name: string }) => m.name === 'events.seen');
    expect(metric.sum.isMonotonic).toBe(true);
    expect(metric.sum.aggregationTemporality).toBe(2);
    expect(metric.sum.dataPoints[0].asDouble).toBe(2);
    expect(metric.sum.dataPoints[0].attributes).toEqual([{ key: 'kind', value: { stringValue: 'a' } }]);
    await sdk.shutdown();
  }, 30_000);
});
