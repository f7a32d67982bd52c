import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { readRegistry } from '../../src/metrics/readRegistry.js';
import type { RawSeries } from '../../src/metrics/types.js';

const quiet = () => createDiagnostics({ logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } });

function read(registry: ReturnType<typeof createMetricsRegistry>, source = 'app'): RawSeries[] {
  const out: RawSeries[] = [];
  readRegistry(registry, source, (s) => out.push(s), (error) => {
    throw error;
  });
  return out;
}

describe('readRegistry', () => {
  it('should label series by OpenTelemetry attribute keys, with a key stable across reads and one MetricInfo per metric', () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const requests = registry.counter('http.server.requests', { labels: ['http.request.method', 'http.route'] });
    requests.add(3, { 'http.request.method': 'GET', 'http.route': '/a' });
    requests.add(1, { 'http.request.method': 'GET' });
    const first = read(registry);
    expect(first.map((s) => [s.labels, s.value])).toEqual([
      [{ 'http.request.method': 'GET', 'http.route': '/a' }, 3],
      [{ 'http.request.method': 'GET' }, 1],
    ]);
    expect(first[0]?.metric).toMatchObject({ name: 'http.server.requests', kind: 'counter', source: 'app' });
    requests.add(1, { 'http.request.method': 'GET', 'http.route': '/a' });
    const second = read(registry);
    expect(second.map((s) => s.key)).toEqual(first.map((s) => s.key));
    expect(new Set(first.map((s) => s.key)).size).toBe(2);
    expect(second[0]?.metric).toBe(first[0]?.metric);
    expect(second[0]?.value).toBe(4);
    expect(read(registry, 'other')[0]?.metric.source).toBe('other');
  });

  it('should read histograms as count, sum and bucket counts, and the overflow series with its marker', () => {
    const registry = createMetricsRegistry({ diagnostics: quiet() });
    const duration = registry.histogram('task.duration', { unit: 's', buckets: [1], labels: ['task'] });
    duration.record(0.5, { task: 'a' });
    duration.record(2, { task: 'a' });
    const jobs = registry.counter('jobs', { labels: ['queue'], cardinalityLimit: 1 });
    for (const queue of ['a', 'b', 'c']) jobs.add(1, { queue });
    const series = read(registry);
    const h = series.find((s) => s.metric.name === 'task.duration');
    expect(h).toMatchObject({ labels: { task: 'a' }, value: 2, sum: 2.5, counts: [1, 1] });
    expect(h?.metric.bounds).toEqual([1]);
    const overflow = series.filter((s) => s.metric.name === 'jobs' && s.labels['otel_metric_overflow'] === 'true');
    expect(overflow).toHaveLength(1);
    expect(overflow[0]?.value).toBe(2);
  });
});
