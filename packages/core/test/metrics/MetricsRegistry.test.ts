import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus, type Diagnostics, type Logger } from '@lookout/core';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push = (m: string): void => {
    lines.push(m);
  };
  return { lines, logger: { error: push, warn: push, info: push, debug: push } };
}

function setup(): { registry: ReturnType<typeof createMetricsRegistry>; lines: string[]; diag: Diagnostics } {
  const { logger, lines } = capture();
  const diag = createDiagnostics({ logger, maxPerMinute: 10_000 });
  return { registry: createMetricsRegistry({ diagnostics: diag }), lines, diag };
}

/** Parses a Prometheus text exposition into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('MetricsRegistry', () => {
  afterEach(() => {});

  describe('counter', () => {
    it('should sum adds per label set and export with _total and unit suffix', async () => {
      const { registry } = setup();
      const c = registry.counter('http.requests', { description: 'Requests', unit: '{request}', labels: ['method', 'status'] });
      c.add(1, { method: 'GET', status: '200' });
      c.add(2, { method: 'GET', status: '200' });
      c.add(1, { method: 'POST', status: 500 });
      const text = await renderPrometheus(registry);
      const s = samples(text);
      expect(s.get('http_requests_total{method="GET",status="200"}')).toBe(3);
      expect(s.get('http_requests_total{method="POST",status="500"}')).toBe(1);
      expect(text).toContain('# TYPE http_requests_total counter');
      expect(text).toContain('# HELP http_requests_total Requests');
    });

    it('should read a total that overflowed past Number.MAX_VALUE as the largest finite number', async () => {
      const { registry } = setup();
      const c = registry.counter('huge', { labels: ['k'] });
      c.add(1.7e308, { k: 'a' });
      c.add(1.7e308, { k: 'a' });
      const bound = registry.counter('huge.bound').bind();
      bound.add(1.7e308);
      bound.add(1.7e308);
      const h = registry.histogram('huge.size', { buckets: [1] });
      h.record(1.7e308);
      h.record(1.7e308);
      const s = samples(await renderPrometheus(registry));
      expect([s.get('huge_total{k="a"}'), s.get('huge_bound_total'), s.get('huge_size_sum')]).toEqual([Number.MAX_VALUE, Number.MAX_VALUE, Number.MAX_VALUE]);
    });

    it('should drop negative, NaN, infinite and non-number increments with one diagnostic', async () => {
      const { registry, lines } = setup();
      const c = registry.counter('jobs', { labels: ['k'] });
      c.add(-1, { k: 'a' });
      c.add(Number.NaN, { k: 'a' });
      c.add(Infinity, { k: 'a' });
      c.add('5' as unknown as number, { k: 'a' });
      c.add(2, { k: 'a' });
      const s = samples(await renderPrometheus(registry));
      expect(s.get('jobs_total{k="a"}')).toBe(2);
      expect(lines.filter((l) => l.includes('metric.invalid-value'))).toHaveLength(1);
      expect(s.get('lookout_metric_records_dropped_total{metric="jobs_total",reason="invalid_value"}')).toBe(4);
    });

    it('should make bind() handles that record into the same series', async () => {
      const { registry } = setup();
      const c = registry.counter('hits', { labels: ['route'] });
      const h = c.bind({ route: '/a' });
      h.add();
      h.add(4);
      c.add(1, { route: '/a' });
      expect(samples(await renderPrometheus(registry)).get('hits_total{route="/a"}')).toBe(6);
    });
  });

  describe('labels', () => {
    it('should drop undeclared keys with one diagnostic and keep the record', async () => {
      const { registry, lines } = setup();
      const c = registry.counter('ops', { labels: ['kind'] });
      c.add(1, { kind: 'x', extra: 'y' } as never);
      c.add(1, { kind: 'z', extra: 'y' } as never);
      const s = samples(await renderPrometheus(registry));
      expect(s.get('ops_total{kind="x"}')).toBe(1);
      expect(s.get('ops_total{kind="z"}')).toBe(1);
      expect(lines.filter((l) => l.includes('metric.label-undeclared'))).toHaveLength(1);
    });

    it('should drop records whose label value is an object, and stringify numbers and booleans', async () => {
      const { registry, lines } = setup();
      const c = registry.counter('x', { labels: ['a'] });
      c.add(1, { a: {} as never });
      c.add(1, { a: true });
      c.add(1, { a: 7 });
      const s = samples(await renderPrometheus(registry));
      expect(s.get('x_total{a="true"}')).toBe(1);
      expect(s.get('x_total{a="7"}')).toBe(1);
      expect(lines.some((l) => l.includes('metric.label-invalid'))).toBe(true);
    });

    it('should escape quotes, backslashes and newlines in label values', async () => {
      const { registry } = setup();
      registry.counter('esc', { labels: ['v'] }).add(1, { v: 'a"b\\c\nd' });
      expect(await renderPrometheus(registry)).toContain('esc_total{v="a\\"b\\\\c\\nd"} 1');
    });

    it('should route label sets past the cardinality limit to one overflow series and count them', async () => {
      const { registry, lines } = setup();
      const c = registry.counter('users', { labels: ['id'], cardinalityLimit: 3 });
      for (let i = 0; i < 10; i++) c.add(1, { id: `u${i}` });
      c.add(1, { id: 'u0' });
      const s = samples(await renderPrometheus(registry));
      expect(s.get('users_total{id="u0"}')).toBe(2);
      expect(s.get('users_total{id="u2"}')).toBe(1);
      expect(s.has('users_total{id="u3"}')).toBe(false);
      expect(s.get('users_total{otel_metric_overflow="true"}')).toBe(7);
      expect(s.get('lookout_metric_series_overflow_total{metric="users_total"}')).toBe(7);
      expect(lines.filter((l) => l.includes('metric.cardinality'))).toHaveLength(1);
    });
  });

  describe('histogram', () => {
    it('should bucket observations cumulatively with sum and count, seconds suffix and default buckets', async () => {
      const { registry } = setup();
      const h = registry.histogram('task.duration', { unit: 's', labels: ['task'] });
      for (const v of [0.001, 0.02, 0.02, 0.3, 20]) h.record(v, { task: 't' });
      const s = samples(await renderPrometheus(registry));
      expect(s.get('task_duration_seconds_bucket{task="t",le="0.005"}')).toBe(1);
      expect(s.get('task_duration_seconds_bucket{task="t",le="0.025"}')).toBe(3);
      expect(s.get('task_duration_seconds_bucket{task="t",le="0.5"}')).toBe(4);
      expect(s.get('task_duration_seconds_bucket{task="t",le="10"}')).toBe(4);
      expect(s.get('task_duration_seconds_bucket{task="t",le="+Inf"}')).toBe(5);
      expect(s.get('task_duration_seconds_count{task="t"}')).toBe(5);
      expect(s.get('task_duration_seconds_sum{task="t"}')).toBeCloseTo(20.341, 9);
    });

    it('should use binary search for many buckets and land exact bounds in their own bucket', async () => {
      const { registry } = setup();
      const buckets = Array.from({ length: 40 }, (_, i) => i + 1);
      const h = registry.histogram('many', { buckets });
      h.record(1);
      h.record(17);
      h.record(17.5);
      h.record(100);
      const s = samples(await renderPrometheus(registry));
      expect(s.get('many_bucket{le="1"}')).toBe(1);
      expect(s.get('many_bucket{le="17"}')).toBe(2);
      expect(s.get('many_bucket{le="18"}')).toBe(3);
      expect(s.get('many_bucket{le="40"}')).toBe(3);
      expect(s.get('many_bucket{le="+Inf"}')).toBe(4);
    });

    it('should record elapsed seconds with startTimer and with using', async () => {
      const { registry } = setup();
      const h = registry.histogram('op.time', { unit: 's', labels: ['op'] });
      const end = h.startTimer({ op: 'a' });
      await new Promise((r) => setTimeout(r, 20));
      const seconds = end();
      expect(seconds).toBeGreaterThanOrEqual(0.015);
      expect(end()).toBe(seconds);
      {
        using _t = h.startTimer({ op: 'b' });
      }
      const s = samples(await renderPrometheus(registry));
      expect(s.get('op_time_seconds_count{op="a"}')).toBe(1);
      expect(s.get('op_time_seconds_count{op="b"}')).toBe(1);
    });

    it('should sort and dedupe bad bucket bounds with a diagnostic', async () => {
      const { registry, lines } = setup();
      registry.histogram('b', { buckets: [5, 1, 1, Number.NaN, 3] }).record(2);
      const s = samples(await renderPrometheus(registry));
      expect([...s.keys()].filter((k) => k.startsWith('b_bucket'))).toEqual(['b_bucket{le="1"}', 'b_bucket{le="3"}', 'b_bucket{le="5"}', 'b_bucket{le="+Inf"}']);
      expect(lines.some((l) => l.includes('metric.buckets'))).toBe(true);
    });
  });

  describe('gauges', () => {
    it('should set gauges, add up-down counters and read observable gauges at collection', async () => {
      const { registry } = setup();
      registry.gauge('temperature', { labels: ['room'] }).set(21.5, { room: 'a' });
      const q = registry.upDownCounter('queue.depth');
      q.add(5);
      q.add(-2);
      let reads = 0;
      registry.observableGauge('heap', { unit: 'By' }, (o) => {
        reads++;
        o.observe(1024);
      });
      const s = samples(await renderPrometheus(registry));
      expect(s.get('temperature{room="a"}')).toBe(21.5);
      expect(s.get('queue_depth')).toBe(3);
      expect(s.get('heap_bytes')).toBe(1024);
      expect(reads).toBe(1);
    });

    it('should survive observable callbacks that throw or hang', async () => {
      const { registry, lines } = setup();
      registry.observableGauge('bad', {}, () => {
        throw new Error('boom');
      });
      registry.observableGauge('slow', {}, () => new Promise<void>(() => {}));
      registry.gauge('ok').set(1);
      const text = await renderPrometheus(registry, { observeTimeoutMs: 50 });
      expect(samples(text).get('ok')).toBe(1);
      expect(lines.some((l) => l.includes('metric.callback-failed'))).toBe(true);
      expect(lines.some((l) => l.includes('metric.callback-timeout'))).toBe(true);
    });
  });

  describe('definition', () => {
    it('should return the same instrument for the same definition and a no-op for a conflicting one', async () => {
      const { registry, lines } = setup();
      const a = registry.counter('reqs', { labels: ['x'] });
      expect(registry.counter('reqs', { labels: ['x'] })).toBe(a);
      const g = registry.gauge('reqs_total');
      g.set(5);
      const other = registry.counter('reqs', { labels: ['y'] });
      other.add(1, { y: 'q' });
      const text = await renderPrometheus(registry);
      expect(text.match(/# TYPE reqs_total/g)).toHaveLength(1);
      expect(lines.some((l) => l.includes('metric.conflict'))).toBe(true);
    });

    it('should refuse invalid names and non-base units with a diagnostic', async () => {
      const { registry, lines } = setup();
      registry.counter('bad name').add(1);
      registry.counter('1abc').add(1);
      registry.histogram('latency', { unit: 'ms' }).record(5);
      const text = await renderPrometheus(registry);
      expect(text).not.toContain('bad');
      expect(text).toContain('latency_bucket');
      expect(text).not.toContain('milliseconds');
      expect(lines.filter((l) => l.includes('metric.name-invalid'))).toHaveLength(2);
      expect(lines.some((l) => l.includes('metric.unit'))).toBe(true);
    });

    it('should share one instrument between names that sanitise alike', async () => {
      const { registry, lines } = setup();
      const a = registry.counter('cache.hits');
      const b = registry.counter('cache_hits');
      expect(b).toBe(a);
      expect(lines.some((l) => l.includes('metric.name-collision'))).toBe(true);
    });
  });

  describe('recordMetric', () => {
    it('should create a gauge on first use and reuse it', async () => {
      const { registry } = setup();
      registry.recordMetric('files.per.second', 10, { repo: 'a' });
      registry.recordMetric('files.per.second', 12, { repo: 'a' });
      registry.recordMetric('builds', 1, {}, { kind: 'counter' });
      registry.recordMetric('builds', 1, {}, { kind: 'counter' });
      const s = samples(await renderPrometheus(registry));
      expect(s.get('files_per_second{repo="a"}')).toBe(12);
      expect(s.get('builds_total')).toBe(2);
    });
  });

  describe('TTL', () => {
    it('should drop series not updated within the TTL, but never bound ones', async () => {
      let now = 1_000;
      const { logger } = capture();
      // TTL has one-second resolution: series remember the last collection in whole seconds.
      const registry = createMetricsRegistry({ seriesTtlMs: 10_000, now: () => now, diagnostics: createDiagnostics({ logger }) });
      const c = registry.counter('seen', { labels: ['k'] });
      c.add(1, { k: 'old' });
      c.bind({ k: 'pinned' }).add(1);
      await renderPrometheus(registry);
      now += 5_000;
      c.add(1, { k: 'fresh' });
      await renderPrometheus(registry);
      now += 8_000;
      const s = samples(await renderPrometheus(registry));
      expect(s.has('seen_total{k="old"}')).toBe(false);
      expect(s.get('seen_total{k="fresh"}')).toBe(1);
      expect(s.get('seen_total{k="pinned"}')).toBe(1);
      expect(s.get('lookout_metric_series_evicted_total{metric="seen_total"}')).toBe(1);
      c.add(1, { k: 'old' });
      expect(samples(await renderPrometheus(registry)).get('seen_total{k="old"}')).toBe(1);
    });
  });

  describe('openMetrics', () => {
    it('should name counter families without _total, add UNIT and EOF', async () => {
      const { registry } = setup();
      registry.counter('jobs').add(2);
      registry.histogram('wait', { unit: 's' }).record(0.2);
      const text = await renderPrometheus(registry, { openMetrics: true });
      expect(text).toContain('# TYPE jobs counter\n');
      expect(text).toContain('jobs_total 2\n');
      expect(text).toContain('# UNIT wait_seconds seconds\n');
      expect(text.endsWith('# EOF\n')).toBe(true);
    });

    it('should attach exemplars to buckets when enabled', async () => {
      const { registry } = setup();
      registry.setExemplarSource(() => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }));
      registry.histogram('req', { unit: 's', exemplars: true }).record(0.03);
      const text = await renderPrometheus(registry, { openMetrics: true });
      expect(text).toMatch(/req_seconds_bucket\{le="0\.05"\} 1 # \{trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"\} 0\.03 \d+\.\d{3}/);
      expect(await renderPrometheus(registry)).not.toContain('trace_id');
    });
  });
});
