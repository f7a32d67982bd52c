/** Seconds: 5 ms to 10 s (OpenTelemetry's advice for request durations). */
export const DEFAULT_SECONDS_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);
/** Bytes: 256 B to 1 GiB in powers of 4. */
export const DEFAULT_BYTES_BUCKETS: readonly number[] = Object.freeze([
  256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864, 268_435_456, 1_073_741_824,
]);
/** Anything else: OpenTelemetry's default explicit bucket boundaries. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10_000,
]);

/** The default buckets for a unit. */
export function defaultBucketsFor(unit: string): readonly number[] {
  return unit === 's' ? DEFAULT_SECONDS_BUCKETS : unit === 'By' ? DEFAULT_BYTES_BUCKETS : DEFAULT_BUCKETS;
}

/**
 * Cleans host-given bucket bounds: keeps finite numbers, sorts, removes duplicates.
 * Returns the cleaned list and whether anything had to change.
 */
export function normaliseBuckets(input: unknown): { buckets: number[]; changed: boolean } {
  if (!Array.isArray(input)) return { buckets: [], changed: true };
  const finite = input.filter((b): b is number => typeof b === 'number' && Number.isFinite(b));
  const sorted = [...new Set(finite)].sort((a, b) => a - b);
  const changed = sorted.length !== input.length || sorted.some((b, i) => b !== input[i]);
  return { buckets: sorted, changed };
}
