import type { Profile } from '../config/profiles.js';
import { getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { usableBudgets } from '../budgets/usableBudgets.js';
import { isHistogramAggregation } from '../budgets/evaluate.js';
import type { Budget } from '../budgets/types.js';
import { formatBudgetValue } from './format.js';
import { budgetExpr, promSelector, type LabelMatcher } from './promql.js';

/** The dashboards Lookout generates. */
export type DashboardView = 'executive' | 'operations' | 'security' | 'developer';
export const DASHBOARD_VIEWS: readonly DashboardView[] = ['executive', 'operations', 'security', 'developer'];

/** Options of {@link generateGrafanaDashboards}. */
export interface GrafanaOptions {
  /** Namespace of the standard metrics (`{ns}_function_calls_total` …). Default `'app'`. */
  namespace?: string;
  /** Prefix of dashboard uids and titles. Default `'lookout'` / `'Lookout'`. */
  uidPrefix?: string;
  titlePrefix?: string;
  /** Apply this profile's thresholds. Default: each budget's own. */
  profile?: Profile;
  /** Default time range, e.g. `'now-6h'`. */
  from?: string;
  /** Refresh interval. Default `'30s'`. */
  refresh?: string;
  diagnostics?: Diagnostics;
}

/** A Grafana dashboard JSON model (the parts Lookout writes). */
export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  panels: GrafanaPanel[];
  [key: string]: unknown;
}

/** A Grafana panel (the parts Lookout writes). */
export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string; expr: string; legendFormat?: string; instant?: boolean; format?: string }>;
  [key: string]: unknown;
}

const DS = { type: 'prometheus', uid: '${datasource}' };
/** Every selector of the dashboards filters on the `job` variable. */
const JOB: LabelMatcher = { name: 'job', op: '=~', value: '$job' };
const RATE = '$__rate_interval';

interface PanelSpec {
  type: 'timeseries' | 'stat' | 'table' | 'gauge';
  title: string;
  description?: string;
  w: number;
  h: number;
  targets: Array<{ expr: string; legend?: string; instant?: boolean; table?: boolean }>;
  unit?: string;
  thresholds?: Array<{ color: string; value: number | null }>;
  /** Draw thresholds on a time series as dashed lines and areas. */
  drawThresholds?: boolean;
  mappings?: unknown[];
  max?: number;
  min?: number;
}

/** Grafana's unit for a budget unit. */
function grafanaUnit(unit: string): string {
  switch (unit) {
    case 's':
      return 's';
    case 'By':
      return 'bytes';
    case 'ratio':
      return 'percentunit';
    case '/s':
      return 'ops';
    case '':
      return 'short';
    default:
      return `suffix: ${unit}`;
  }
}

/** Threshold steps coloured by budget state; Grafana colours a value by the last step at or below it. */
function budgetSteps(b: Budget): Array<{ color: string; value: number | null }> {
  if (b.direction === 'below') {
    return [
      { color: 'red', value: null },
      { color: 'orange', value: b.critical },
      { color: 'yellow', value: b.warning },
      { color: 'green', value: b.target },
    ];
  }
  return [
    { color: 'green', value: null },
    { color: 'yellow', value: b.target },
    { color: 'orange', value: b.warning },
    { color: 'red', value: b.critical },
  ];
}

/** Lays panels out left to right, 24 columns wide, wrapping rows. */
function layout(specs: readonly PanelSpec[], startId = 1): GrafanaPanel[] {
  let x = 0;
  let y = 0;
  let rowH = 0;
  return specs.map((s, i) => {
    if (x + s.w > 24) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const panel: GrafanaPanel = {
      id: startId + i,
      type: s.type,
      title: s.title,
      ...(s.description ? { description: s.description } : {}),
      datasource: DS,
      gridPos: { x, y, w: s.w, h: s.h },
      targets: s.targets.map((t, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: DS,
        expr: t.expr,
        ...(t.legend !== undefined ? { legendFormat: t.legend } : {}),
        ...(t.instant ? { instant: true, range: false } : {}),
        ...(t.table ? { format: 'table' } : {}),
      })),
      fieldConfig: {
        defaults: {
          unit: s.unit ?? 'short',
          ...(s.min !== undefined ? { min: s.min } : {}),
          ...(s.max !== undefined ? { max: s.max } : {}),
          thresholds: { mode: 'absolute', steps: s.thresholds ?? [{ color: 'green', value: null }] },
          ...(s.mappings ? { mappings: s.mappings } : {}),
          ...(s.type === 'timeseries' ? { custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, thresholdsStyle: { mode: s.drawThresholds ? 'dashed+area' : 'off' } } } : {}),
        },
        overrides: [],
      },
      options:
        s.type === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area', textMode: 'auto' }
          : s.type === 'table'
            ? { showHeader: true }
            : s.type === 'gauge'
              ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, showThresholdMarkers: true }
              : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    };
    x += s.w;
    rowH = Math.max(rowH, s.h);
    return panel;
  });
}

function budgetTitle(b: Budget): string {
  const op = b.direction === 'below' ? '≥' : '≤';
  return `${b.name}: ${b.aggregation} ${op} ${formatBudgetValue(b.target, b.unit)}`;
}

/** A time series of a budget's value, its thresholds drawn on it. */
function budgetSeries(b: Budget, w = 12): PanelSpec {
  return {
    type: 'timeseries',
    title: budgetTitle(b),
    description: `${b.description || b.name}. Warning ${formatBudgetValue(b.warning, b.unit)}, critical ${formatBudgetValue(b.critical, b.unit)}.`,
    w,
    h: 8,
    targets: [{ expr: budgetExpr(b, { matchers: [JOB] }), legend: b.aggregation }],
    unit: grafanaUnit(b.unit),
    thresholds: budgetSteps(b),
    drawThresholds: true,
  };
}

function budgetStat(b: Budget): PanelSpec {
  return { type: 'stat', title: b.name, w: 4, h: 4, targets: [{ expr: budgetExpr(b, { matchers: [JOB] }), instant: true }], unit: grafanaUnit(b.unit), thresholds: budgetSteps(b) };
}

const SCORE_MAPPINGS = [
  { type: 'range', options: { from: 95, to: 100, result: { text: 'A+', color: 'green' } } },
  { type: 'range', options: { from: 85, to: 94.9999, result: { text: 'A', color: 'green' } } },
  { type: 'range', options: { from: 70, to: 84.9999, result: { text: 'B', color: 'yellow' } } },
  { type: 'range', options: { from: 55, to: 69.9999, result: { text: 'C', color: 'orange' } } },
  { type: 'range', options: { from: 0, to: 54.9999, result: { text: 'D', color: 'red' } } },
];

function quantilePanel(title: string, metric: string, groupBy: string, w = 12): PanelSpec {
  const sel = promSelector(`${metric}_bucket`, {}, [JOB]);
  return {
    type: 'timeseries',
    title,
    w,
    h: 8,
    unit: 's',
    targets: [0.5, 0.95, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le${groupBy ? `, ${groupBy}` : ''}) (rate(${sel}[${RATE}])))`,
      legend: `p${Math.round(q * 100)}${groupBy ? ` {{${groupBy}}}` : ''}`,
    })),
  };
}

function ratePanel(title: string, expr: string, legend: string, unit = 'ops', w = 12): PanelSpec {
  return { type: 'timeseries', title, w, h: 8, unit, targets: [{ expr, legend }] };
}

function firingTable(title: string, selector: string): PanelSpec {
  return { type: 'table', title, w: 24, h: 6, targets: [{ expr: `ALERTS{alertstate="firing"${selector}}`, instant: true, table: true }] };
}

function viewPanels(view: DashboardView, budgets: readonly Budget[], ns: string): PanelSpec[] {
  const sel = (metric: string, labels: Record<string, string> = {}): string => promSelector(metric, labels, [JOB]);
  const calls = `${ns}_function_calls_total`;
  const errorRatio = `sum(rate(${sel(calls, { outcome: 'error' })}[${RATE}])) / sum(rate(${sel(calls)}[${RATE}]))`;
  switch (view) {
    case 'executive':
      return [
        { type: 'stat', title: 'Performance grade', description: 'Weighted score of every budget, from the in-process monitor (A+ ≥ 95, A ≥ 85, B ≥ 70, C ≥ 55).', w: 6, h: 6, targets: [{ expr: `min(${sel('lookout_performance_score')})`, instant: true }], unit: 'none', mappings: SCORE_MAPPINGS, thresholds: [{ color: 'red', value: null }, { color: 'orange', value: 55 }, { color: 'yellow', value: 70 }, { color: 'green', value: 85 }] },
        { type: 'stat', title: 'Budgets breached', w: 6, h: 6, targets: [{ expr: 'count(count by (budget) (ALERTS{alertstate="firing",budget!=""})) or vector(0)', instant: true }], thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }] },
        { type: 'stat', title: 'Error ratio', w: 6, h: 6, targets: [{ expr: errorRatio, instant: true }], unit: 'percentunit', thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 0.01 }, { color: 'red', value: 0.05 }] },
        { type: 'stat', title: 'Calls per second', w: 6, h: 6, targets: [{ expr: `sum(rate(${sel(calls)}[${RATE}]))`, instant: true }], unit: 'ops' },
        ...budgets.map(budgetStat),
        ...budgets.map((b) => budgetSeries(b)),
      ];
    case 'operations':
      return [
        ...budgets.map((b) => budgetSeries(b)),
        ratePanel('Calls per second by outcome', `sum by (outcome) (rate(${sel(calls)}[${RATE}]))`, '{{outcome}}'),
        ratePanel('Error ratio by function', `sum by (function) (rate(${sel(calls, { outcome: 'error' })}[${RATE}])) / sum by (function) (rate(${sel(calls)}[${RATE}]))`, '{{function}}', 'percentunit'),
        ...budgets.filter((b) => isHistogramAggregation(b.aggregation)).map((b) => quantilePanel(`${b.metric}: p50 / p95 / p99`, b.metric, '')),
        ratePanel('Delivery: items dropped per second', `sum by (signal, reason) (rate(${sel('lookout_delivery_items_dropped_total')}[${RATE}]))`, '{{signal}} {{reason}}'),
        firingTable('Firing alerts', ''),
      ];
    case 'security':
      return [
        ratePanel('Security events by risk', `sum by (risk) (rate(${sel('lookout_security_events_total')}[${RATE}]))`, '{{risk}}'),
        ratePanel('Security events by type', `topk(10, sum by (type) (rate(${sel('lookout_security_events_total')}[${RATE}])))`, '{{type}}'),
        ratePanel('Failed authentications per second', `sum(rate(${sel('lookout_security_auth_failures_total')}[${RATE}]))`, 'failures'),
        ratePanel('Injection findings by kind', `sum by (kind) (rate(${sel('lookout_security_injection_findings_total')}[${RATE}]))`, '{{kind}}'),
        { type: 'stat', title: 'Keys blocked now', w: 8, h: 6, targets: [{ expr: `sum(${sel('lookout_security_blocked_keys')})`, instant: true }], thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 1 }] },
        { type: 'stat', title: 'Keys blocked (range)', w: 8, h: 6, targets: [{ expr: `sum(increase(${sel('lookout_security_keys_blocked_total')}[$__range]))`, instant: true }] },
        { type: 'stat', title: 'Security alerts (range)', w: 8, h: 6, targets: [{ expr: `sum by (result) (increase(${sel('lookout_security_alerts_total')}[$__range]))`, instant: true, legend: '{{result}}' }] },
        firingTable('Firing security alerts', ',severity=~"critical|high"'),
      ];
    case 'developer':
      return [
        quantilePanel('Function duration p50 / p95 / p99', `${ns}_function_duration_seconds`, 'function', 24),
        ratePanel('Calls per second by function', `sum by (function) (rate(${sel(calls)}[${RATE}]))`, '{{function}}'),
        ratePanel('Errors by type', `topk(10, sum by (function, error_type) (rate(${sel(`${ns}_function_errors_total`)}[${RATE}])))`, '{{function}} {{error_type}}'),
        ratePanel('Errors by category and severity', `sum by (category, severity) (rate(${sel(`${ns}_errors_total`)}[${RATE}]))`, '{{category}} {{severity}}'),
        { type: 'timeseries', title: 'Memory by type', w: 12, h: 8, unit: 'bytes', targets: [{ expr: `max by (type) (${sel(`${ns}_memory_usage_bytes`)})`, legend: '{{type}}' }] },
        quantilePanel('Startup p50 / p95 / p99', `${ns}_startup_duration_seconds`, ''),
        quantilePanel('Pipeline stages p50 / p95 / p99', `${ns}_pipeline_stage_duration_seconds`, 'stage'),
        ratePanel('Lookout: records dropped per second', `sum by (metric, reason) (rate(${sel('lookout_metric_records_dropped_total')}[${RATE}]))`, '{{metric}} {{reason}}'),
        ratePanel('Lookout: series overflow per second', `sum by (metric) (rate(${sel('lookout_metric_series_overflow_total')}[${RATE}]))`, '{{metric}}'),
        ...budgets.map((b) => budgetSeries(b)),
      ];
  }
}

/**
 * One Grafana dashboard (JSON model, schema 39) for a view: `executive` (grade, breached
 * budgets, error ratio, one stat per budget), `operations` (each budget over time with its
 * thresholds drawn, rates, error ratios, p50/p95/p99, delivery drops, firing alerts), `security`
 * (security events by risk and type, auth failures, injection findings, blocked keys) or
 * `developer` (per-function latency quantiles and errors, memory, startup, Lookout's own
 * metrics). Every query filters on a `job` variable; the data source is a variable too, so the
 * file imports into any Grafana. Never throws.
 */
export function generateGrafanaDashboard(view: DashboardView, budgets: readonly Budget[], options: GrafanaOptions = {}): GrafanaDashboard {
  const o = options !== null && typeof options === 'object' ? options : {};
  const diag = o.diagnostics ?? getDiagnostics();
  const v: DashboardView = DASHBOARD_VIEWS.includes(view) ? view : 'operations';
  if (v !== view) diag.warn('generate.view-unknown', `generateGrafanaDashboard: unknown view "${String(view).slice(0, 32)}"; using "operations" (views: ${DASHBOARD_VIEWS.join(', ')})`, 'generate.view');
  const ns = typeof o.namespace === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(o.namespace) ? o.namespace : 'app';
  const list = usableBudgets(budgets, diag, 'generateGrafanaDashboard', o.profile);
  const uidPrefix = typeof o.uidPrefix === 'string' && /^[A-Za-z0-9-_]{1,20}$/.test(o.uidPrefix) ? o.uidPrefix : 'lookout';
  const titlePrefix = typeof o.titlePrefix === 'string' && o.titlePrefix !== '' ? o.titlePrefix.slice(0, 60) : 'Lookout';
  return {
    uid: `${uidPrefix}-${v}`,
    title: `${titlePrefix} · ${v[0]!.toUpperCase()}${v.slice(1)}`,
    description: `Generated by Lookout from ${list.length} budget definition(s); regenerate instead of editing.`,
    tags: ['lookout', v],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: typeof o.refresh === 'string' ? o.refresh : '30s',
    time: { from: typeof o.from === 'string' ? o.from : 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        {
          name: 'job',
          label: 'Job',
          type: 'query',
          datasource: DS,
          query: { query: 'label_values(up, job)', refId: 'job' },
          definition: 'label_values(up, job)',
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { selected: true, text: ['All'], value: ['$__all'] },
          refresh: 2,
          sort: 1,
          hide: 0,
        },
      ],
    },
    annotations: {
      list: [
        { name: 'Annotations & Alerts', builtIn: 1, type: 'dashboard', datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)' },
        { name: 'Budget alerts', datasource: DS, enable: true, iconColor: 'red', expr: 'ALERTS{alertstate="firing",budget!=""}', titleFormat: '{{alertname}}', textFormat: '{{budget}} {{severity}}', step: '60s' },
      ],
    },
    panels: layout(viewPanels(v, list, ns)),
  };
}

/** Every view's dashboard, keyed by view. */
export function generateGrafanaDashboards(budgets: readonly Budget[], options: GrafanaOptions = {}): Record<DashboardView, GrafanaDashboard> {
  const out = {} as Record<DashboardView, GrafanaDashboard>;
  for (const view of DASHBOARD_VIEWS) out[view] = generateGrafanaDashboard(view, budgets, options);
  return out;
}
