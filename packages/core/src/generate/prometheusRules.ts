import * as z from 'zod/mini';
import type { Profile } from '../config/profiles.js';
import { resolveOptions } from '../config/resolveOptions.js';
import { profileSchema } from '../config/schemas.js';
import { getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { isPromLabelName } from '../metrics/names.js';
import { formatDuration } from '../budgets/duration.js';
import { usableBudgets } from '../budgets/usableBudgets.js';
import type { Budget, BudgetState } from '../budgets/types.js';
import { formatBudgetValue, pascalCase } from './format.js';
import { budgetExpr, type LabelMatcher } from './promql.js';
import { toYaml } from './yaml.js';

/** Options of {@link generatePrometheusRules}. */
export interface PrometheusRulesOptions {
  /** Name of the alerting group. Default `'lookout-budgets'`; the recording group adds `-values`. */
  groupName?: string;
  /** Evaluation interval of the groups, e.g. `'30s'`. Default: Prometheus' global one. */
  interval?: string;
  /** Matchers added to every selector, e.g. `[{ name: 'job', value: 'api' }]`. */
  matchers?: LabelMatcher[];
  /** Labels the aggregations keep, so each group alerts on its own (e.g. `['job']`). Default none. */
  groupBy?: string[];
  /** Labels put on every alert (e.g. `{ team: 'platform' }`). */
  labels?: Record<string, string>;
  /** Override every budget's `for` (tests, or to page faster). */
  for?: string;
  /** Recording rules `lookout:budget_value` and `lookout:budget_threshold` for dashboards and reports. Default true. */
  recordingRules?: boolean;
  /** Apply this profile's thresholds. Default: each budget's own. */
  profile?: Profile;
  /** Dashboard link put on alerts as the `dashboard` annotation. */
  dashboardUrl?: string;
  diagnostics?: Diagnostics;
}

const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const labelName = z.string().check(z.refine((k) => isPromLabelName(k), 'must be a Prometheus label name'));
const rulesOptionsSchema = z.strictObject({
  groupName: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  interval: z.optional(z.string().check(z.regex(DURATION, 'must be a duration such as "30s"'))),
  matchers: z.optional(z.array(z.strictObject({ name: labelName, op: z.optional(z.enum(['=', '!=', '=~', '!~'])), value: z.string() }))),
  groupBy: z.optional(z.array(labelName)),
  labels: z.optional(z.record(labelName, z.string())),
  for: z.optional(z.string().check(z.regex(DURATION, 'must be a duration such as "5m"'))),
  recordingRules: z.optional(z.boolean()),
  profile: z.optional(profileSchema),
  dashboardUrl: z.optional(z.string()),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => v !== null && typeof v === 'object', 'must be a Diagnostics')),
});

/** One alerting or recording rule, as Prometheus reads it. */
export interface PrometheusRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Prometheus rule file. */
export interface PrometheusRuleFile {
  groups: Array<{ name: string; interval?: string; rules: PrometheusRule[] }>;
}

/** Prometheus' template function that prints a value of this unit. */
function humanize(unit: string): string {
  if (unit === 's') return 'humanizeDuration';
  if (unit === 'By') return 'humanize1024';
  if (unit === 'ratio') return 'humanizePercentage';
  return 'humanize';
}

/**
 * Text of ours inside annotations and labels, which Prometheus expands as Go templates: `{{` and
 * `}}` in a budget's name or description print as themselves instead of running.
 */
export function escapeGoTemplate(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === '{{' ? '{{ "{{" }}' : '{{ "}}" }}'));
}

function escapeValues(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k] = escapeGoTemplate(v);
  return out;
}

/** The alert name of a budget: its id in PascalCase, then `Budget` (`startup` → `StartupBudget`). */
export function budgetAlertName(b: Budget): string {
  const name = `${pascalCase(b.id)}Budget`;
  return /^[A-Za-z]/.test(name) ? name : `Budget${name}`;
}

/**
 * The rule file as an object: one alerting rule per budget and state (`warning`, `critical`),
 * with the budget's `for`, a `severity` label from the budget (`high`/`critical` by default),
 * `budget` and `budget_state` labels, and annotations that print the value in its unit; plus
 * recording rules of every budget's value and thresholds. Never throws.
 */
export function buildPrometheusRules(budgets: readonly Budget[], options: PrometheusRulesOptions = {}): PrometheusRuleFile {
  const diag0 = options?.diagnostics;
  const o = resolveOptions(rulesOptionsSchema, options, { component: 'generatePrometheusRules', diagnostics: diag0 }).options ?? {};
  const diag = o.diagnostics ?? getDiagnostics();
  const list = usableBudgets(budgets, diag, 'generatePrometheusRules', o.profile);
  const groupName = o.groupName ?? 'lookout-budgets';
  const exprOptions = { matchers: o.matchers ?? [], groupBy: o.groupBy ?? [] };
  const alerts: PrometheusRule[] = [];
  const records: PrometheusRule[] = [];
  for (const b of list) {
    const expr = budgetExpr(b, exprOptions);
    const op = b.direction === 'below' ? '<' : '>';
    for (const state of ['warning', 'critical'] as const satisfies readonly BudgetState[]) {
      const threshold = b[state];
      const shown = formatBudgetValue(threshold, b.unit);
      const annotations: Record<string, string> = {
        summary: `${escapeGoTemplate(b.name)}: ${b.aggregation} is {{ $value | ${humanize(b.unit)} }}, ${b.direction === 'below' ? 'under' : 'over'} the ${state} threshold of ${shown}`,
        description: `${escapeGoTemplate(b.description === '' ? `Budget ${b.name}` : b.description)}. Target ${formatBudgetValue(b.target, b.unit)}, warning ${op} ${formatBudgetValue(b.warning, b.unit)}, critical ${op} ${formatBudgetValue(b.critical, b.unit)}; ${b.aggregation} of ${b.metric} over ${formatDuration(b.windowMs)}.`,
      };
      if (b.runbookUrl !== undefined) annotations['runbook_url'] = escapeGoTemplate(b.runbookUrl);
      if (o.dashboardUrl !== undefined) annotations['dashboard'] = escapeGoTemplate(o.dashboardUrl);
      alerts.push({
        alert: budgetAlertName(b),
        expr: `${expr} ${op} ${threshold}`,
        for: o.for ?? formatDuration(b.forMs),
        labels: { ...escapeValues(o.labels ?? {}), ...escapeValues(b.alertLabels), severity: b.severity[state], budget: b.id, budget_state: state },
        annotations,
      });
    }
    records.push({ record: 'lookout:budget_value', expr, labels: { budget: b.id } });
    for (const t of ['target', 'warning', 'critical'] as const) {
      records.push({ record: 'lookout:budget_threshold', expr: `vector(${b[t]})`, labels: { budget: b.id, threshold: t } });
    }
  }
  const groups: PrometheusRuleFile['groups'] = [{ name: groupName, ...(o.interval ? { interval: o.interval } : {}), rules: alerts }];
  if (o.recordingRules !== false && records.length > 0) groups.push({ name: `${groupName}-values`, ...(o.interval ? { interval: o.interval } : {}), rules: records });
  return { groups };
}

/**
 * Prometheus alerting rules for `budgets`, as a YAML rule file for `rule_files:` (checked with
 * `promtool check rules`). See {@link buildPrometheusRules} for what is in it. Never throws.
 */
export function generatePrometheusRules(budgets: readonly Budget[], options: PrometheusRulesOptions = {}): string {
  return `# Generated by Lookout from budget definitions; regenerate instead of editing.\n${toYaml(buildPrometheusRules(budgets, options))}`;
}
