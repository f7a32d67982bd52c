import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, snapshotMetric, snapshotRegistry } from '@lookout/core';

const quiet = () => createDiagnostics({ logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } });

describe('snapshotMetric / snapshotRegistry', () => {
  it('should copy each series with its Prometheus labels and its OpenTelemetry attributes', () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const requests = registry.counter('http.server.requests', { unit: '{request}', labels: ['http.request.method', 'http.response.status_code'] });
    requests.add(2, { 'http.request.method': 'GET', 'http.response.status_code': '200' });
    requests.add(1, { 'http.request.method': 'POST' });

    const snap = snapshotMetric(registry, 'http_server_requests_total');
    expect(snap).toMatchObject({
      name: 'http.server.requests',
      promName: 'http_server_requests_total',
      kind: 'counter',
      labelNames: ['http_request_method', 'http_response_status_code'],
      attributeKeys: ['http.request.method', 'http.response.status_code'],
    });
    expect(snap?.series).toEqual([
      { labels: { http_request_method: 'GET', http_response_status_code: '200' }, attributes: { 'http.request.method': 'GET', 'http.response.status_code': '200' }, startTime: snap!.startTime, value: 2 },
      { labels: { http_request_method: 'POST' }, attributes: { 'http.request.method': 'POST' }, startTime: snap!.startTime, value: 1 },
    ]);
    // Found by either name; matchers use Prometheus label names.
    expect(snapshotMetric(registry, 'http.server.requests', { matchers: { http_request_method: 'POST' } })?.series.map((s) => s.value)).toEqual([1]);
  });

  it('should give each series its own start time, from its creation to the second', () => {
    let now = 1_700_000_000_250;
    const registry = createMetricsRegistry({ diagnostics: quiet(), now: () => now });
    const jobs = registry.counter('jobs', { labels: ['queue'] });
    jobs.add(1, { queue: 'a' });
    now += 5_500;
    jobs.add(1, { queue: 'b' });
    expect(snapshotMetric(registry, 'jobs')?.series.map((s) => [s.attributes.queue, s.startTime])).toEqual([
      ['a', 1_700_000_000_250],
      ['b', 1_700_000_005_250],
    ]);
  });

  it('should mark the overflow series, which carries no attributes', () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const jobs = registry.counter('jobs', { labels: ['queue'], cardinalityLimit: 2 });
    for (const queue of ['a', 'b', 'c', 'd']) jobs.add(1, { queue });

    const overflow = snapshotMetric(registry, 'jobs')?.series.filter((s) => s.overflow === true);
    expect(overflow).toHaveLength(1);
    expect(overflow?.[0]?.labels).toEqual({ otel_metric_overflow: 'true' });
    expect(overflow?.[0]?.attributes).toEqual({});
    expect(snapshotMetric(registry, 'jobs')?.series.filter((s) => s.overflow === undefined).map((s) => s.attributes)).toEqual([{ queue: 'a' }, { queue: 'b' }]);
  });

  it('should copy histogram buckets, sum, count, min and max, detached from the registry', () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const duration = registry.histogram('task.duration', { unit: 's', buckets: [0.1, 1], labels: ['task'] });
    for (const v of [0.05, 0.5, 0.5, 5]) duration.record(v, { task: 'build' });
    const snap = snapshotRegistry(registry).find((m) => m.name === 'task.duration');
    expect(snap?.bounds).toEqual([0.1, 1]);
    expect(snap?.series).toEqual([{ labels: { task: 'build' }, attributes: { task: 'build' }, startTime: snap!.startTime, value: 0, counts: [1, 2, 1], sum: 6.05, count: 4, min: 0.05, max: 5 }]);
    duration.record(0.5, { task: 'build' });
    expect(snap?.series[0]?.counts).toEqual([1, 2, 1]);
  });

  it('should give undefined for an unknown name and nothing for a matcher that is not text', () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    registry.counter('seen', { labels: ['k'] }).add(1, { k: 'v' });
    expect(snapshotMetric(registry, 'missing')).toBeUndefined();
    expect(snapshotMetric(registry, 'seen', { matchers: { k: 1 as unknown as string } })?.series).toEqual([]);
    // A matcher on a label the instrument lacks matches only the empty value, as in PromQL.
    expect(snapshotMetric(registry, 'seen', { matchers: { other: '' } })?.series).toHaveLength(1);
    expect(snapshotMetric(registry, 'seen', { matchers: { other: 'x' } })?.series).toHaveLength(0);
  });
});
