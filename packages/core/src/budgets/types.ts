import type { Profile } from '../config/profiles.js';

/** Where a budget stands: inside its warning threshold, past it, or past its critical threshold. */
export type BudgetState = 'ok' | 'warning' | 'critical';

/**
 * How a budget reduces a metric to one number, over its rolling window:
 * - `p50` `p75` `p90` `p95` `p99`: a quantile of a histogram (PromQL `histogram_quantile` over `rate`);
 * - `mean`: the average observation of a histogram (`rate(_sum) / rate(_count)`);
 * - `avg`, `max`, `min`: a gauge averaged, maxed or minned over the window (`avg_over_time` …);
 * - `last`: a gauge's current value;
 * - `rate`: a counter's increase per second;
 * - `ratio`: the increase of a counter's matching series over the increase of its total
 *   (an error ratio: `{outcome="error"}` over all outcomes).
 * When several series match, the worst one counts (the highest, or the lowest for `direction: 'below'`).
 */
export type BudgetAggregation = 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'mean' | 'avg' | 'max' | 'min' | 'last' | 'rate' | 'ratio';

/** Which way is bad: `above` (latency, memory, errors) or `below` (frame rate, throughput). */
export type BudgetDirection = 'above' | 'below';

/** Alert severities, as the generated Alertmanager routing tree understands them. */
export type AlertSeverity = 'critical' | 'high' | 'medium' | 'low';

/** A duration: milliseconds, or Prometheus syntax such as `'30s'`, `'5m'`, `'1h30m'`. */
export type DurationInput = number | string;

/** Thresholds and timings that may differ per environment profile. */
export interface BudgetProfileOverride {
  target?: number;
  warning?: number;
  critical?: number;
  for?: DurationInput;
  window?: DurationInput;
}

/** A metric: its Prometheus family name (`app_startup_duration_seconds`) or an instrument of the registry. */
export type MetricRef = string | { readonly name: string };

/** What `defineBudget()` accepts. Thresholds are in the metric's base unit (seconds, bytes, a ratio 0–1). */
export interface BudgetOptions {
  /** Human name; default `"<metric> <aggregation>"`. Its slug is the budget's `id`. */
  name?: string;
  /** One line for alerts and reports. */
  description?: string;
  /** The objective: values on the good side of it are "within budget". */
  target?: number;
  /** Past this (above it, or below it for `direction: 'below'`) the budget is in `warning`. */
  warning?: number;
  /** Past this the budget is `critical`. */
  critical?: number;
  /** How long a threshold must be breached before the state changes (and the alert fires). Default `'5m'`. */
  for?: DurationInput;
  /** The rolling window of rates and quantiles. Default `'5m'`. */
  window?: DurationInput;
  /** Default `'p95'`. */
  aggregation?: BudgetAggregation;
  /** Default: `below` when `critical < warning`, else `above`. */
  direction?: BudgetDirection;
  /** Only series with these label values (Prometheus label names). */
  labels?: Record<string, string>;
  /** `ratio` only: the denominator. Default: the same metric without `labels`. */
  total?: { metric?: MetricRef; labels?: Record<string, string> };
  /** Unit of the values, for display: `s`, `By`, `ratio`, `fps` … Default from the metric name. */
  unit?: string;
  /** Alert severity of each state. Default `{ warning: 'high', critical: 'critical' }`. */
  severity?: { warning?: AlertSeverity; critical?: AlertSeverity };
  /** Weight in the performance grade. Default 1. */
  weight?: number;
  /** Link put on the generated alerts. */
  runbookUrl?: string;
  /** Extra labels on the generated alerts (e.g. `{ team: 'core' }`). */
  alertLabels?: Record<string, string>;
  /** Which profile's thresholds apply. Default `'production'`. */
  profile?: Profile;
  /** Per-profile thresholds and timings, over the ones above. */
  profiles?: Partial<Record<Profile, BudgetProfileOverride>>;
  /** Throw `LookoutConfigError` on invalid options instead of reporting them. */
  strict?: boolean;
}

/** A budget, validated and frozen. Made by `defineBudget()`; plain data, safe to serialise. */
export interface Budget {
  /** Slug of the name (`[a-z0-9-]`), the `budget` label of every generated series and alert. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Prometheus family name of the metric. */
  readonly metric: string;
  readonly aggregation: BudgetAggregation;
  readonly direction: BudgetDirection;
  readonly target: number;
  readonly warning: number;
  readonly critical: number;
  readonly forMs: number;
  readonly windowMs: number;
  /** Thresholds and timings before the profile's overrides. */
  readonly base: Readonly<{ target: number; warning: number; critical: number; forMs: number; windowMs: number }>;
  readonly labels: Readonly<Record<string, string>>;
  /** `ratio` only. */
  readonly total: { readonly metric: string; readonly labels: Readonly<Record<string, string>> } | undefined;
  readonly unit: string;
  readonly severity: { readonly warning: AlertSeverity; readonly critical: AlertSeverity };
  readonly weight: number;
  readonly runbookUrl: string | undefined;
  readonly alertLabels: Readonly<Record<string, string>>;
  /** The profile whose thresholds are in effect. */
  readonly profile: Profile;
  readonly profiles: Readonly<Partial<Record<Profile, Readonly<BudgetProfileOverride>>>>;
  /** False when the options could not make a usable budget (reported as a diagnostic): monitors and generators skip it. */
  readonly enabled: boolean;
}

/** One budget's standing after an evaluation. */
export interface BudgetResult {
  readonly budget: Budget;
  /** The aggregated value, or undefined when the window holds no data. */
  readonly value: number | undefined;
  /** The state in effect (it changes only after `for`). */
  readonly state: BudgetState;
  /** The state the value alone points to, before `for`. */
  readonly pending: BudgetState;
  /** 0–100; undefined without data. */
  readonly score: number | undefined;
  /** When the evaluation ran (ms since the epoch). */
  readonly at: number;
}

/** A performance grade across budgets, best first. */
export type PerformanceGrade = 'A+' | 'A' | 'B' | 'C' | 'D';

/** What `gradeBudgets()` returns. */
export interface GradeResult {
  /** Undefined when no budget has data. */
  readonly grade: PerformanceGrade | undefined;
  /** Weighted mean score 0–100, undefined when no budget has data. */
  readonly score: number | undefined;
  /** Budgets that had data / in each state. */
  readonly counts: { readonly measured: number; readonly ok: number; readonly warning: number; readonly critical: number };
}
