import { DEFAULT_PROFILE, type Profile } from '../config/profiles.js';
import { resolveOptions } from '../config/resolveOptions.js';
import { getDiagnostics, safeString, type Diagnostics } from '../diagnostics/index.js';
import { sanitizePromName } from '../metrics/names.js';
import { budgetOptionsSchema, DEFAULT_BUDGET_AGGREGATION, DEFAULT_BUDGET_FOR_MS, DEFAULT_BUDGET_SEVERITY, DEFAULT_BUDGET_WINDOW_MS } from './config.js';
import { parseDuration } from './duration.js';
import type { Budget, BudgetDirection, BudgetOptions, MetricRef } from './types.js';

/** Options of `defineBudget` that are not about the budget itself. */
export interface DefineBudgetContext {
  /** Where problems are reported. Default: the global diagnostics. */
  diagnostics?: Diagnostics;
}

/**
 * Declares what "good" means for a metric: a `target`, a `warning` and a `critical` threshold
 * (in the metric's base unit: seconds, bytes, a ratio), the aggregation that reduces the metric
 * to one number over a rolling `window` (default `'5m'`), and how long a breach must last
 * (`for`, default `'5m'`) before the state changes. The same budget drives in-process
 * evaluation (`createBudgetMonitor`) and the generated Prometheus rules, Alertmanager routing,
 * Grafana dashboards and reports (`@lookout/core/generate`).
 *
 * ```ts
 * defineBudget('app_startup_duration_seconds', { target: 0.05, warning: 0.1, critical: 0.25, aggregation: 'p95' });
 * ```
 *
 * Never throws (unless `strict: true`): each invalid option gets one diagnostic and its default;
 * a budget without usable thresholds is returned with `enabled: false` and skipped everywhere.
 */
export function defineBudget(metric: MetricRef, options?: BudgetOptions, context: DefineBudgetContext = {}): Budget {
  const diag = context.diagnostics ?? getDiagnostics();
  const metricName = metricNameOf(metric);
  const component = `defineBudget(${metricName ?? '?'})`;
  const resolved = resolveOptions(budgetOptionsSchema, options, { component, diagnostics: diag });
  const o = resolved.options ?? {};
  let enabled = metricName !== undefined;
  if (metricName === undefined) diag.warn('budget.metric-invalid', `defineBudget: ${describe(metric)} is not a metric name or instrument; the budget is disabled`, 'budget.metric-invalid');
  const metricProm = metricName === undefined ? 'unknown' : promMetricName(metricName);

  const aggregation = o.aggregation ?? DEFAULT_BUDGET_AGGREGATION;
  const name = o.name ?? `${metricProm} ${aggregation}`;
  const profile: Profile = o.profile ?? DEFAULT_PROFILE;
  const profiles = freezeProfiles(o.profiles);
  const base = { target: o.target, warning: o.warning, critical: o.critical, for: o.for, window: o.window };
  const eff = { ...base, ...definedOnly(profiles[profile]) };
  const thresholds = checkThresholds(name, eff.target, eff.warning, eff.critical, o.direction, diag);
  if (thresholds === undefined) enabled = false;

  const total =
    aggregation === 'ratio'
      ? {
          metric: o.total?.metric !== undefined ? promMetricName(metricNameOf(o.total.metric) ?? metricProm) : metricProm,
          labels: Object.freeze({ ...(o.total?.labels ?? {}) }),
        }
      : undefined;
  if (aggregation === 'ratio' && total!.metric === metricProm && sameLabels(total!.labels, o.labels ?? {})) {
    diag.warn('budget.ratio-total', `${component}: a ratio needs "labels" that select part of the total (e.g. { outcome: "error" }) or a "total.metric"; the budget is disabled`, `${metricProm}\u0000ratio`);
    enabled = false;
  }

  const budget: Budget = {
    id: slug(name),
    name,
    description: o.description ?? '',
    metric: metricProm,
    aggregation,
    direction: thresholds?.direction ?? 'above',
    target: thresholds?.target ?? 0,
    warning: thresholds?.warning ?? 0,
    critical: thresholds?.critical ?? 0,
    forMs: parseDuration(eff.for) ?? DEFAULT_BUDGET_FOR_MS,
    windowMs: windowOf(eff.window),
    base: Object.freeze({
      target: base.target ?? thresholds?.target ?? 0,
      warning: base.warning ?? thresholds?.warning ?? 0,
      critical: base.critical ?? thresholds?.critical ?? 0,
      forMs: parseDuration(base.for) ?? DEFAULT_BUDGET_FOR_MS,
      windowMs: windowOf(base.window),
    }),
    labels: Object.freeze({ ...(o.labels ?? {}) }),
    total: total === undefined ? undefined : Object.freeze(total),
    unit: o.unit ?? unitOf(metricProm, aggregation),
    severity: Object.freeze({ ...DEFAULT_BUDGET_SEVERITY, ...definedOnly(o.severity) }),
    weight: o.weight ?? 1,
    runbookUrl: o.runbookUrl,
    alertLabels: Object.freeze({ ...(o.alertLabels ?? {}) }),
    profile,
    profiles,
    enabled,
  };
  return Object.freeze(budget);
}

/**
 * The same budget with another profile's thresholds in effect: the budget's own `profiles`
 * override its base thresholds. Returns `budget` itself when that profile is already in effect.
 */
export function withBudgetProfile(budget: Budget, profile: Profile, context: DefineBudgetContext = {}): Budget {
  if (budget.profile === profile) return budget;
  return defineBudget(budget.metric, { ...toOptions(budget), profile }, context);
}

/** The options that make `budget` again, e.g. to write budgets to a JSON file. */
export function budgetToOptions(budget: Budget): BudgetOptions {
  return toOptions(budget);
}

function toOptions(b: Budget): BudgetOptions {
  const o: BudgetOptions = {
    name: b.name,
    target: b.base.target,
    warning: b.base.warning,
    critical: b.base.critical,
    for: b.base.forMs,
    window: b.base.windowMs,
    aggregation: b.aggregation,
    direction: b.direction,
    labels: { ...b.labels },
    unit: b.unit,
    severity: { ...b.severity },
    weight: b.weight,
    alertLabels: { ...b.alertLabels },
    profile: b.profile,
    profiles: JSON.parse(JSON.stringify(b.profiles)) as BudgetOptions['profiles'],
  };
  if (b.description !== '') o.description = b.description;
  if (b.total !== undefined) o.total = { metric: b.total.metric, labels: { ...b.total.labels } };
  if (b.runbookUrl !== undefined) o.runbookUrl = b.runbookUrl;
  return o;
}

function checkThresholds(
  name: string,
  target: number | undefined,
  warning: number | undefined,
  critical: number | undefined,
  explicit: BudgetDirection | undefined,
  diag: Diagnostics,
): { target: number; warning: number; critical: number; direction: BudgetDirection } | undefined {
  if (target === undefined || warning === undefined || critical === undefined) {
    diag.warn('budget.thresholds', `budget "${name}": target, warning and critical are all required; the budget is disabled`, `${name}\u0000missing`);
    return undefined;
  }
  const direction: BudgetDirection = explicit ?? (critical < warning || (critical === warning && warning < target) ? 'below' : 'above');
  const ordered = direction === 'above' ? target <= warning && warning <= critical : target >= warning && warning >= critical;
  if (!ordered) {
    const order = direction === 'above' ? 'target ≤ warning ≤ critical' : 'target ≥ warning ≥ critical';
    diag.warn('budget.thresholds', `budget "${name}": thresholds must be ordered ${order} (direction "${direction}"); the budget is disabled`, `${name}\u0000order`);
    return undefined;
  }
  return { target, warning, critical, direction };
}

/** Windows shorter than a second make no sense for rates; they are raised to one second. */
function windowOf(input: unknown): number {
  return Math.max(1000, parseDuration(input) ?? DEFAULT_BUDGET_WINDOW_MS);
}

function metricNameOf(metric: unknown): string | undefined {
  try {
    const name = typeof metric === 'string' ? metric : metric !== null && typeof metric === 'object' ? (metric as { name?: unknown }).name : undefined;
    return typeof name === 'string' && name.length > 0 && name.length <= 255 ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Prometheus names stay as they are; OpenTelemetry names (`app.startup.duration`) are sanitised. */
function promMetricName(name: string): string {
  return sanitizePromName(name);
}

/** Display unit from the metric name and aggregation. */
function unitOf(metric: string, aggregation: string): string {
  if (aggregation === 'ratio') return 'ratio';
  if (aggregation === 'rate') return '/s';
  if (metric.endsWith('_seconds')) return 's';
  if (metric.endsWith('_bytes')) return 'By';
  if (metric.endsWith('_ratio')) return 'ratio';
  return '';
}

/** `[a-z0-9]` runs of the name joined by `-`. */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return s === '' ? 'budget' : s;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (o === undefined) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function freezeProfiles(p: BudgetOptions['profiles']): Budget['profiles'] {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p ?? {})) if (v !== undefined) out[k] = Object.freeze({ ...v });
  return Object.freeze(out) as Budget['profiles'];
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `"${v.slice(0, 64)}"` : safeString(typeof v);
}
