import { isGaugeAggregation, quantileOf } from '../budgets/evaluate.js';
import { formatDuration } from '../budgets/duration.js';
import type { Budget } from '../budgets/types.js';

/** A label matcher: `=`, `!=`, `=~` or `!~`. */
export interface LabelMatcher {
  readonly name: string;
  readonly op?: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** Options shared by the PromQL of budgets. */
export interface BudgetPromqlOptions {
  /** Matchers added to every selector, e.g. `[{ name: 'job', value: 'api' }]`. */
  matchers?: readonly LabelMatcher[];
  /** Labels kept by the aggregations (one value per group), e.g. `['job']`. Default none. */
  groupBy?: readonly string[];
  /** Range of rates and `*_over_time` instead of the budget's window (e.g. `'$__rate_interval'` in Grafana). */
  range?: string;
}

/** Escapes a label value for a PromQL string literal. */
export function escapePromqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `metric{a="b",c=~"d"}`; matchers on the same label as `labels` are kept as well. */
export function promSelector(metric: string, labels: Readonly<Record<string, string>> = {}, extra: readonly LabelMatcher[] = []): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapePromqlString(v)}"`);
  for (const m of extra) parts.push(`${m.name}${m.op ?? '='}"${escapePromqlString(m.value)}"`);
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

/** ` by (a, b)` or `` when there is nothing to group by. */
function by(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

/**
 * The PromQL that computes a budget's value, the same way the in-process monitor does: a
 * quantile with `histogram_quantile` over `rate(_bucket)`, a mean as `rate(_sum) / rate(_count)`,
 * gauges with `*_over_time`, counters with `rate`, a ratio of two rates; across series the worst
 * one (`max`, or `min` when lower is worse) unless `groupBy` keeps them apart.
 */
export function budgetExpr(b: Budget, options: BudgetPromqlOptions = {}): string {
  const range = options.range ?? formatDuration(b.windowMs);
  const extra = options.matchers ?? [];
  const group = options.groupBy ?? [];
  const sel = (suffix = ''): string => promSelector(`${b.metric}${suffix}`, b.labels, extra);
  const q = quantileOf(b.aggregation);
  if (q !== undefined) return `histogram_quantile(${q}, sum${by(['le', ...group])} (rate(${sel('_bucket')}[${range}])))`;
  if (b.aggregation === 'mean') return `sum${by(group)} (rate(${sel('_sum')}[${range}])) / sum${by(group)} (rate(${sel('_count')}[${range}]))`;
  if (isGaugeAggregation(b.aggregation)) {
    const worst = b.aggregation === 'max' ? 'max' : b.aggregation === 'min' ? 'min' : b.direction === 'below' ? 'min' : 'max';
    if (b.aggregation === 'last') return `${worst}${by(group)} (${sel()})`;
    return `${worst}${by(group)} (${b.aggregation}_over_time(${sel()}[${range}]))`;
  }
  if (b.aggregation === 'ratio') {
    const total = b.total ?? { metric: b.metric, labels: {} };
    return `sum${by(group)} (rate(${sel()}[${range}])) / sum${by(group)} (rate(${promSelector(total.metric, total.labels, extra)}[${range}]))`;
  }
  return `sum${by(group)} (rate(${sel()}[${range}]))`;
}
