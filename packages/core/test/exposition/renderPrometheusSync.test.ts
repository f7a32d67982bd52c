import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, renderPrometheus, renderPrometheusSync } from '@lookout/core';

describe('renderPrometheusSync', () => {
  it('should render recorded series and synchronous observables without awaiting', async () => {
    const registry = createMetricsRegistry();
    registry.counter('jobs.done', { labels: ['kind'] }).add(3, { kind: 'a' });
    let reads = 0;
    registry.observableGauge('queue.depth', { unit: '{item}' }, (o) => o.observe(++reads * 10));
    const text = renderPrometheusSync(registry);
    expect(text).toContain('jobs_done_total{kind="a"} 3');
    expect(text).toContain('queue_depth 10');
    // The same text as the asynchronous render (callbacks run again: 20).
    expect(await renderPrometheus(registry)).toBe(text.replace('queue_depth 10', 'queue_depth 20'));
  });

  it('should leave out series of asynchronous callbacks, and have them at the next render', async () => {
    const registry = createMetricsRegistry();
    registry.observableGauge('disk.free', { unit: 'By' }, async (o) => {
      await Promise.resolve();
      o.observe(5);
    });
    expect(renderPrometheusSync(registry)).not.toContain('disk_free_bytes 5');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await renderPrometheus(registry)).toContain('disk_free_bytes 5');
  });

  it('should render OpenMetrics when asked', () => {
    const registry = createMetricsRegistry();
    registry.counter('x').add(1);
    expect(renderPrometheusSync(registry, { openMetrics: true }).endsWith('# EOF\n')).toBe(true);
  });

  it('should not throw when a callback throws', () => {
    const registry = createMetricsRegistry();
    registry.observableGauge('bad.gauge', {}, () => {
      throw new Error('boom');
    });
    registry.counter('ok').add(1);
    expect(() => renderPrometheusSync(registry)).not.toThrow();
    expect(renderPrometheusSync(registry)).toContain('ok_total 1');
  });
});
