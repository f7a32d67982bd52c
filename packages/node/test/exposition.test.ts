import { describe, expect, it } from 'vitest';
import { mergeExpositions, parseExposition } from '../src/exposition/parseExposition.js';

const worker = (n: number): string =>
  `# HELP req_total Requests\n# TYPE req_total counter\nreq_total{route="/a"} ${n}\n# HELP lat_seconds Latency\n# TYPE lat_seconds histogram\nlat_seconds_bucket{le="0.1"} ${n}\nlat_seconds_bucket{le="+Inf"} ${n * 2}\nlat_seconds_sum ${n / 10}\nlat_seconds_count ${n * 2}\n`;

describe('mergeExpositions', () => {
  describe('summing', () => {
    it('should add counters and histogram buckets, sums and counts across workers', () => {
      const merged = parseExposition(mergeExpositions([{ worker: '1', text: worker(1) }, { worker: '2', text: worker(2) }], false));
      expect(merged.map((f) => [f.name, f.type])).toEqual([['req_total', 'counter'], ['lat_seconds', 'histogram']]);
      expect(merged[0]!.samples).toEqual([{ name: 'req_total', labels: [['route', '/a']], value: 3 }]);
      expect(merged[1]!.samples.map((s) => s.value)).toEqual([3, 6, 0.30000000000000004, 6]);
    });
  });

  describe('gauges', () => {
    const gauges = (cpu: number, p99: number, min: number, mean: number, rss: number, disk: number): string =>
      [
        '# TYPE process_cpu_utilization gauge',
        `process_cpu_utilization{cpu_mode="user"} ${cpu}`,
        '# TYPE nodejs_eventloop_delay_p99_seconds gauge',
        `nodejs_eventloop_delay_p99_seconds ${p99}`,
        '# TYPE nodejs_eventloop_delay_min_seconds gauge',
        `nodejs_eventloop_delay_min_seconds ${min}`,
        '# TYPE nodejs_eventloop_delay_mean_seconds gauge',
        `nodejs_eventloop_delay_mean_seconds ${mean}`,
        '# TYPE process_memory_usage_bytes gauge',
        `process_memory_usage_bytes ${rss}`,
        '# TYPE system_filesystem_usage_bytes gauge',
        `system_filesystem_usage_bytes{name="spool",system_filesystem_state="used"} ${disk}`,
        '# TYPE pool_max_connections gauge',
        'pool_max_connections 10',
        '',
      ].join('\n');

    it('should average ratios and means, take the least minimum and the greatest percentile, add amounts, and not add up host-wide readings (cluster workers)', () => {
      const sources = [
        { worker: '1', text: gauges(0.2, 0.05, 0.001, 0.01, 100, 5000) },
        { worker: '2', text: gauges(0.6, 0.2, 0.002, 0.02, 200, 5000) },
        { worker: '3', text: gauges(0.4, 0.1, 0.0005, 0.03, 300, 5000) },
      ];
      const value = Object.fromEntries(parseExposition(mergeExpositions(sources, false)).map((f) => [f.name, f.samples[0]!.value]));
      // Each process's share of the host's CPUs: the pool's share is their sum.
      expect(value['process_cpu_utilization']).toBeCloseTo(1.2, 12);
      expect(value['nodejs_eventloop_delay_p99_seconds']).toBe(0.2);
      expect(value['nodejs_eventloop_delay_min_seconds']).toBe(0.0005);
      expect(value['nodejs_eventloop_delay_mean_seconds']).toBeCloseTo(0.02, 12);
      expect(value['process_memory_usage_bytes']).toBe(600);
      expect(value['system_filesystem_usage_bytes']).toBe(5000);
      expect(value['pool_max_connections']).toBe(30);
    });

    it('should not add up the process-wide readings of worker threads, which share one process', () => {
      const sources = [
        { worker: 'primary', text: gauges(0.5, 0.05, 0.001, 0.01, 900, 5000) },
        { worker: 'thread-1', text: gauges(0.5, 0.2, 0.002, 0.02, 900, 5000) },
        { worker: 'thread-2', text: gauges(0.5, 0.1, 0.0005, 0.03, 900, 5000) },
      ];
      const value = Object.fromEntries(parseExposition(mergeExpositions(sources, false)).map((f) => [f.name, f.samples[0]!.value]));
      expect(value['process_cpu_utilization']).toBe(0.5);
      expect(value['process_memory_usage_bytes']).toBe(900);
      expect(value['nodejs_eventloop_delay_p99_seconds']).toBe(0.2);
      expect(value['nodejs_eventloop_delay_mean_seconds']).toBeCloseTo(0.02, 12);
    });

    it('should keep each worker\'s value with labelByWorker', () => {
      const merged = parseExposition(mergeExpositions([{ worker: '1', text: gauges(0.2, 0.05, 0.001, 0.01, 100, 1) }, { worker: '2', text: gauges(0.6, 0.2, 0.002, 0.02, 200, 1) }], true));
      expect(merged.find((f) => f.name === 'process_cpu_utilization')!.samples.map((s) => s.value)).toEqual([0.2, 0.6]);
    });
  });

  describe('labelByWorker', () => {
    it('should keep one series per worker with a worker label', () => {
      const merged = parseExposition(mergeExpositions([{ worker: '1', text: worker(1) }, { worker: '2', text: worker(2) }], true));
      expect(merged[0]!.samples).toEqual([
        { name: 'req_total', labels: [['worker', '1'], ['route', '/a']], value: 1 },
        { name: 'req_total', labels: [['worker', '2'], ['route', '/a']], value: 2 },
      ]);
    });
  });

  describe('parseExposition', () => {
    it('should unescape label values and read special numbers', () => {
      const [f] = parseExposition('# TYPE g gauge\ng{a="x\\"y\\\\z\\n",b="c"} +Inf\n');
      expect(f!.samples[0]).toEqual({ name: 'g', labels: [['a', 'x"y\\z\n'], ['b', 'c']], value: Infinity });
    });
  });
});
