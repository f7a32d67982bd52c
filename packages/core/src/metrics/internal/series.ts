/** Exemplar kept for one histogram bucket. */
export interface Exemplar {
  value: number;
  traceId: string;
  spanId: string;
  /** Milliseconds since the epoch. */
  time: number;
}

/** `last` of a series a bound handle points to: TTL never drops it. */
export const PINNED = -1;

/**
 * One label set of a counter, up-down counter or gauge: three small fields. Its label values
 * are the path to it in the instrument's tree, so it does not store them.
 */
export class ScalarSeries {
  /** Current value (sum or last value). */
  v = 0;
  /** 1 when recorded into since the last collection; drives TTL without a clock read per record. */
  t = 0;
  /** Last collection (whole seconds since the registry's epoch) that saw it recorded into, or {@link PINNED}. */
  last: number;
  /** When it was created or restarted (whole seconds since the registry's epoch): the start of its cumulative stream. */
  start: number;
  constructor(now: number) {
    this.last = now;
    this.start = now;
  }
}

/** One label set of a histogram. Bucket counts are per bucket (not cumulative); the last is `+Inf`. */
export class HistogramSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;
  /**
   * Smallest and largest value observed (`Infinity` and `-Infinity` before the first), exported
   * to OTLP as the SDK does. `min < 0` also says the sum is no longer a counter: OTLP and
   * OpenMetrics then leave it out.
   */
  min = Infinity;
  max = -Infinity;
  t = 0;
  last: number;
  /** When it was created (whole seconds since the registry's epoch): the start of its cumulative stream. */
  readonly start: number;
  /** Per-bucket exemplars, only when the instrument keeps them. */
  ex: (Exemplar | undefined)[] | undefined = undefined;
  constructor(now: number, bucketCount: number) {
    this.last = now;
    this.start = now;
    const counts = new Array<number>(bucketCount);
    for (let i = 0; i < bucketCount; i++) counts[i] = 0;
    this.counts = counts;
  }
}

export type AnySeries = ScalarSeries | HistogramSeries;

/**
 * Whether a histogram series' sum can be exported where a sum must be a counter (OTLP: "Negative
 * events can be recorded, but sum should not be filled out when doing so"): not once a negative
 * value was observed.
 */
export function hasCounterSum(s: HistogramSeries): boolean {
  return !(s.min < 0);
}

/**
 * A stored total as it is read out: finite. Every recorded value is finite, but a sum of them can
 * overflow to ±Infinity (two values near `Number.MAX_VALUE`); it reads as the largest finite
 * number of its sign. Checked here, at collection, rather than on every add of the hot path.
 */
export function finiteTotal(v: number): number {
  return v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
}
