/** The quantiles shown for histograms. */
export const QUANTILES = [0.5, 0.95, 0.99] as const;

/**
 * Estimates quantile `q` (0…1) from per-bucket counts (not cumulative; the last bucket is
 * `+Inf`) the way Prometheus' `histogram_quantile` does: linear interpolation inside the bucket
 * that holds the rank, 0 as the lower edge of the first bucket (when its bound is positive),
 * and the highest finite bound for ranks in `+Inf`. Undefined when there are no observations.
 */
export function bucketQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number | undefined {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (!(total > 0) || bounds.length === 0) return undefined;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (cumulative + c >= rank && c > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1];
      const upper = bounds[i]!;
      const lower = i === 0 ? (upper > 0 ? 0 : upper) : bounds[i - 1]!;
      return lower + (upper - lower) * ((rank - cumulative) / c);
    }
    cumulative += c;
  }
  return bounds[bounds.length - 1];
}

/** p50, p95 and p99 of the counts, or undefined when there are no observations. */
export function quantilesOf(bounds: readonly number[], counts: readonly number[]): [number, number, number] | undefined {
  const p50 = bucketQuantile(QUANTILES[0], bounds, counts);
  if (p50 === undefined) return undefined;
  return [p50, bucketQuantile(QUANTILES[1], bounds, counts)!, bucketQuantile(QUANTILES[2], bounds, counts)!];
}
