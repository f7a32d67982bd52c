import * as z from 'zod/mini';
import { httpUrlSchema, profileSchema } from '../config/schemas.js';
import { isPromLabelName } from '../metrics/names.js';
import { DURATION_PATTERN } from './duration.js';
import type { AlertSeverity, BudgetAggregation } from './types.js';

/** How long a threshold must be breached before a budget changes state. */
export const DEFAULT_BUDGET_FOR_MS = 5 * 60_000;
/** Rolling window of rates and quantiles. */
export const DEFAULT_BUDGET_WINDOW_MS = 5 * 60_000;
export const DEFAULT_BUDGET_AGGREGATION: BudgetAggregation = 'p95';
/** Alert severity of each budget state. */
export const DEFAULT_BUDGET_SEVERITY: Readonly<{ warning: AlertSeverity; critical: AlertSeverity }> = Object.freeze({ warning: 'high', critical: 'critical' });
/** How often a monitor evaluates its budgets. */
export const DEFAULT_BUDGET_EVALUATION_INTERVAL_MS = 10_000;
/** A transition into a state is notified at most once per this long, per budget and state. */
export const DEFAULT_BUDGET_COOLDOWN_MS = 5 * 60_000;
/** Values a monitor remembers per budget for trends and reports. */
export const DEFAULT_BUDGET_HISTORY_SIZE = 360;
/** Z-score detector: values in the rolling window. */
export const DEFAULT_ZSCORE_WINDOW = 100;
/** Z-score detector: |z| at or past this is an anomaly. */
export const DEFAULT_ZSCORE_THRESHOLD = 3;
/** Z-score detector: values needed before anything is judged. */
export const DEFAULT_ZSCORE_MIN_SAMPLES = 10;
/** Trend detector: points the regression runs over. */
export const DEFAULT_TREND_WINDOW = 30;
/** Trend detector: points forecast past the last one, spaced like the window's points. */
export const DEFAULT_TREND_FORECAST_STEPS = 10;
/** Trend detector: a forecast counts only when the fit explains at least this much (r²). */
export const DEFAULT_TREND_MIN_R2 = 0.8;

export const BUDGET_AGGREGATIONS: readonly BudgetAggregation[] = ['p50', 'p75', 'p90', 'p95', 'p99', 'mean', 'avg', 'max', 'min', 'last', 'rate', 'ratio'];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'high', 'medium', 'low'];

const finite = z.number();
const duration = z.union([z.number().check(z.nonnegative()), z.string().check(z.regex(DURATION_PATTERN, 'must be milliseconds or a duration such as "30s", "5m", "1h"'))]);
const labelName = z.string().check(z.refine((k) => isPromLabelName(k), 'must be a Prometheus label name'));
const labelMap = z.record(labelName, z.string().check(z.maxLength(1024)));
const metricRef = z.union([
  z.string().check(z.minLength(1), z.maxLength(255)),
  z.custom<{ name: string }>((v) => v !== null && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string', 'must be a metric name or an instrument'),
]);
const severity = z.enum(ALERT_SEVERITIES as ['critical', 'high', 'medium', 'low']);
const profileOverride = z.strictObject({
  target: z.optional(finite),
  warning: z.optional(finite),
  critical: z.optional(finite),
  for: z.optional(duration),
  window: z.optional(duration),
});

/** zod/mini schema of {@link BudgetOptions}. */
export const budgetOptionsSchema = z.strictObject({
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  description: z.optional(z.string().check(z.maxLength(1000))),
  target: z.optional(finite),
  warning: z.optional(finite),
  critical: z.optional(finite),
  for: z.optional(duration),
  window: z.optional(duration),
  aggregation: z.optional(z.enum(BUDGET_AGGREGATIONS as ['p95'])),
  direction: z.optional(z.enum(['above', 'below'])),
  labels: z.optional(labelMap),
  total: z.optional(z.strictObject({ metric: z.optional(metricRef), labels: z.optional(labelMap) })),
  unit: z.optional(z.string().check(z.maxLength(32))),
  severity: z.optional(z.strictObject({ warning: z.optional(severity), critical: z.optional(severity) })),
  weight: z.optional(z.number().check(z.positive())),
  runbookUrl: z.optional(httpUrlSchema),
  alertLabels: z.optional(labelMap),
  profile: z.optional(profileSchema),
  profiles: z.optional(z.partialRecord(profileSchema, profileOverride)),
  strict: z.optional(z.boolean()),
});
