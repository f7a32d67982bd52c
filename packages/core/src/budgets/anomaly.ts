import { DEFAULT_TREND_FORECAST_STEPS, DEFAULT_TREND_WINDOW, DEFAULT_ZSCORE_MIN_SAMPLES, DEFAULT_ZSCORE_THRESHOLD, DEFAULT_ZSCORE_WINDOW } from './config.js';

/** Options of {@link createZScoreDetector}. */
export interface ZScoreOptions {
  /** Values in the rolling window. Default 100. */
  window?: number;
  /** |z| at or past this is an anomaly. Default 3. */
  threshold?: number;
  /** Values the window needs before anything is judged. Default 10 (at most `window`). */
  minSamples?: number;
}

/** What a z-score detector says about one value. */
export interface ZScoreResult {
  readonly value: number;
  /**
   * `(value − mean) / standard deviation` of the window before this value (sample standard
   * deviation). ±Infinity when the window is constant and the value differs; undefined while the
   * window has fewer than `minSamples` values.
   */
  readonly zScore: number | undefined;
  readonly mean: number;
  readonly stdDev: number;
  /** Values the judgement was based on. */
  readonly samples: number;
  readonly anomalous: boolean;
}

/** A rolling z-score over the last `window` values: O(window) per value, exact (two-pass mean and variance). */
export interface ZScoreDetector {
  /**
   * Judges `value` against the window, then adds it to the window (so a lasting shift becomes
   * the new normal after a while). Non-finite values are ignored: returns undefined.
   */
  update(value: number): ZScoreResult | undefined;
  /** Forgets every value. */
  reset(): void;
  /** Values in the window now. */
  readonly size: number;
}

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
}

function positiveNumber(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

/**
 * Creates a rolling z-score detector: a value is anomalous when it lies `threshold` (default 3)
 * standard deviations or more from the mean of the previous `window` (default 100) values.
 * Invalid options fall back to their defaults; never throws.
 */
export function createZScoreDetector(options: ZScoreOptions = {}): ZScoreDetector {
  const o = options !== null && typeof options === 'object' ? options : {};
  const window = positiveInt(o.window, DEFAULT_ZSCORE_WINDOW);
  const threshold = positiveNumber(o.threshold, DEFAULT_ZSCORE_THRESHOLD);
  const minSamples = Math.min(window, Math.max(2, positiveInt(o.minSamples, DEFAULT_ZSCORE_MIN_SAMPLES)));
  const ring = new Float64Array(window);
  let head = 0;
  let size = 0;

  return {
    update(value) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      const n = size;
      // Two passes over the window: running sums lose everything to cancellation when values
      // of very different sizes pass through, and a window is small.
      let sum = 0;
      for (let i = 0; i < n; i++) sum += ring[i]!;
      const mean = n > 0 ? sum / n : 0;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const d = ring[i]! - mean;
        m2 += d * d;
      }
      const stdDev = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
      let zScore: number | undefined;
      if (n >= minSamples) {
        const diff = value - mean;
        zScore = stdDev > 0 ? diff / stdDev : diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
      }
      ring[head] = value;
      head = (head + 1) % window;
      if (size < window) size++;
      return { value, zScore, mean, stdDev, samples: n, anomalous: zScore !== undefined && Math.abs(zScore) >= threshold };
    },
    reset() {
      head = 0;
      size = 0;
    },
    get size() {
      return size;
    },
  };
}

/** A least-squares line through points. */
export interface LinearFit {
  /** Change of y per unit of x. */
  readonly slope: number;
  /** y at x = 0. */
  readonly intercept: number;
  /** Coefficient of determination, 0–1: how much of y's variance the line explains (1 for a constant series). */
  readonly r2: number;
}

/**
 * Ordinary least squares over `xs`/`ys` (same length, at least 2 points, finite). Undefined when
 * there are too few points or every x is the same.
 */
export function linearRegression(xs: ArrayLike<number>, ys: ArrayLike<number>): LinearFit | undefined {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return undefined;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0) || !Number.isFinite(sxx + sxy + syy)) return undefined;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy > 0 ? Math.min(1, Math.max(0, (sxy * sxy) / (sxx * syy))) : 1;
  return { slope, intercept, r2 };
}

/** Options of {@link createTrendDetector}. */
export interface TrendOptions {
  /** Points the regression runs over (the latest ones). Default 30. */
  window?: number;
  /** Points forecast past the last one, spaced by the window's average spacing. Default 10. */
  forecastSteps?: number;
}

/** A point of a series: time in ms since the epoch, and value. */
export interface TrendPoint {
  readonly t: number;
  readonly value: number;
}

/** The trend of the latest points. */
export interface TrendResult {
  /** Change per second. */
  readonly slope: number;
  /** Fitted value at the last point's time. */
  readonly fitted: number;
  readonly r2: number;
  /** Points the fit used. */
  readonly points: number;
  /** Forecast points after the last one. */
  readonly forecast: readonly TrendPoint[];
}

/** A rolling linear regression. */
export interface TrendDetector {
  /** Adds a point (time in ms) and fits the window; undefined until it holds 3 points, or for non-finite input. */
  update(value: number, t: number): TrendResult | undefined;
  reset(): void;
  readonly size: number;
}

/**
 * Creates a trend detector: a least-squares line over the last `window` (default 30) points,
 * with its slope per second, r² and a short forecast (`forecastSteps`, default 10, spaced like
 * the points). Invalid options fall back to their defaults; never throws.
 */
export function createTrendDetector(options: TrendOptions = {}): TrendDetector {
  const o = options !== null && typeof options === 'object' ? options : {};
  const window = Math.max(3, positiveInt(o.window, DEFAULT_TREND_WINDOW));
  const steps = positiveInt(o.forecastSteps, DEFAULT_TREND_FORECAST_STEPS);
  const ts: number[] = [];
  const vs: number[] = [];
  return {
    update(value, t) {
      if (typeof value !== 'number' || !Number.isFinite(value) || typeof t !== 'number' || !Number.isFinite(t)) return undefined;
      ts.push(t);
      vs.push(value);
      if (ts.length > window) {
        ts.shift();
        vs.shift();
      }
      return trendOf(ts, vs, steps);
    },
    reset() {
      ts.length = 0;
      vs.length = 0;
    },
    get size() {
      return ts.length;
    },
  };
}

/** The trend of a whole series (time in ms), with `forecastSteps` forecast points. Undefined below 3 points. */
export function trendOf(ts: readonly number[], vs: readonly number[], forecastSteps = DEFAULT_TREND_FORECAST_STEPS): TrendResult | undefined {
  const n = Math.min(ts.length, vs.length);
  if (n < 3) return undefined;
  const t0 = ts[0]!;
  // Seconds from the first point: small numbers keep the sums precise.
  const xs = ts.slice(0, n).map((t) => (t - t0) / 1000);
  const fit = linearRegression(xs, vs);
  if (fit === undefined) return undefined;
  const last = ts[n - 1]!;
  const stepMs = (last - t0) / (n - 1);
  const forecast: TrendPoint[] = [];
  for (let i = 1; i <= forecastSteps; i++) {
    const t = last + i * stepMs;
    forecast.push({ t, value: fit.intercept + fit.slope * ((t - t0) / 1000) });
  }
  return { slope: fit.slope, fitted: fit.intercept + fit.slope * xs[n - 1]!, r2: fit.r2, points: n, forecast };
}
