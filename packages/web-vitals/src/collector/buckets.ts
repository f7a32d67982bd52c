// Histogram buckets of the vitals, kept apart from the histograms so pages without a registry
// (which load collector/histograms.ts only with one) can still read them.
/** Buckets of LCP and FCP, in seconds: 100 ms to 20 s, dense around the 1.8–4 s thresholds. */
export const PAINT_BUCKETS_S: readonly number[] = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 1.8, 2, 2.5, 3, 4, 5, 7.5, 10, 20];
/** Buckets of INP, in seconds: 16 ms (one frame) to 2 s, dense around the 200/500 ms thresholds. */
export const INP_BUCKETS_S: readonly number[] = [0.016, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2];
/** Buckets of TTFB, in seconds: 50 ms to 5 s, around the 800/1800 ms thresholds. */
export const TTFB_BUCKETS_S: readonly number[] = [0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.4, 1.8, 2.5, 3, 5];
/** Buckets of CLS (unitless), around the 0.1/0.25 thresholds. */
export const CLS_BUCKETS: readonly number[] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1];
