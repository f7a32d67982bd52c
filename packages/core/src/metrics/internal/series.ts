/** Exemplar kept for one histogram bucket. */
export interface Exemplar {
  value: number;
  traceId: string;
  spanId: string;
  /** Milliseconds since the epoch. */
  time: number;
}

/** Values of the overflow series: it carries `otel_metric_overflow="true"` instead of the declared labels. */
export const OVERFLOW_VALUES: readonly string[] = Object.freeze([]);

/** One label set of a counter, up-down counter or gauge. Fields are kept few: memory per series matters. */
export class ScalarSeries {
  /** Current value (sum or last value). */
  v = 0;
  /** 1 when recorded into since the last collection; drives TTL without a clock read per record. */
  t = 0;
  /** Exposition label text, e.g. `{a="x",b="y"}`, built on first collection. */
  lbl: string | undefined = undefined;
  /** Position in its table's list, for O(1) removal. */
  idx = 0;
  /** Last collection time at which it had been recorded into (ms). */
  last: number;
  /** Series of bound handles are never dropped by TTL. */
  pinned = false;
  constructor(
    readonly values: readonly string[],
    now: number,
  ) {
    this.last = now;
  }
}

/** One label set of a histogram. Bucket counts are per bucket (not cumulative); the last is `+Inf`. */
export class HistogramSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  t = 0;
  lbl: string | undefined = undefined;
  idx = 0;
  last: number;
  pinned = false;
  /** Per-bucket exemplars, only when the instrument keeps them. */
  ex: (Exemplar | undefined)[] | undefined = undefined;
  constructor(
    readonly values: readonly string[],
    now: number,
    bucketCount: number,
  ) {
    this.last = now;
    const counts = new Array<number>(bucketCount);
    for (let i = 0; i < bucketCount; i++) counts[i] = 0;
    this.counts = counts;
  }
}

export type AnySeries = ScalarSeries | HistogramSeries;
