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
