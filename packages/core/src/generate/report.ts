import type { Profile } from '../config/profiles.js';
import { describeError, getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { snapshotMetric } from '../metrics/snapshot.js';
import { trendOf } from '../budgets/anomaly.js';
import type { BudgetMonitor } from '../budgets/createBudgetMonitor.js';
import { classifyValue, computeBudgetValue, readBudgetSample, scoreValue } from '../budgets/evaluate.js';
import { gradeBudgets } from '../budgets/grade.js';
import { usableBudgets } from '../budgets/usableBudgets.js';
import type { Budget, BudgetResult, BudgetState, PerformanceGrade } from '../budgets/types.js';
import { budgetExpr, promSelector, type LabelMatcher } from './promql.js';

/** One budget in a report. Plain JSON. */
export interface ReportBudget {
  id: string;
  name: string;
  description: string;
  metric: string;
  aggregation: string;
  direction: 'above' | 'below';
  unit: string;
  target: number;
  warning: number;
  critical: number;
  /** Latest value; null without data. */
  value: number | null;
  /** Where the latest value stands (thresholds only, no `for`); `nodata` without data. */
  state: BudgetState | 'nodata';
  score: number | null;
  /** Values over the report's range, oldest first (time in ms since the epoch). */
  series: Array<{ t: number; value: number }>;
  /** Linear trend of the series: slope per second, r², forecast; null below 3 points. */
  trend: { slope: number; r2: number; forecast: Array<{ t: number; value: number }> } | null;
}

/** One row of the top errors. */
export interface ReportError {
  metric: string;
  labels: Record<string, string>;
  count: number;
}

/** Everything a report shows. Plain JSON: `renderReportJson` writes it as is. */
export interface ReportData {
  title: string;
  /** ISO 8601. */
  generatedAt: string;
  source: 'prometheus' | 'registry';
  /** The Prometheus server, for `source: 'prometheus'`. */
  sourceUrl: string | null;
  /** Start and end of the series (ms since the epoch). */
  range: { from: number; to: number };
  grade: PerformanceGrade | null;
  score: number | null;
  budgets: ReportBudget[];
  topErrors: ReportError[];
  /** Problems met while collecting (unreachable server, failed queries). */
  warnings: string[];
}

/** A `fetch` as the report calls it; the global `fetch` fits. */
export type ReportFetch = (url: string, init?: { headers?: Record<string, string>; signal?: unknown }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** Options of {@link collectReportFromPrometheus}. */
export interface PrometheusReportOptions {
  /** Base URL of the Prometheus server, e.g. `http://127.0.0.1:9090`. */
  url: string;
  /** Range of the series, ms. Default 24 h. */
  rangeMs?: number;
  /** Step of the series, ms. Default: range / 120, at least 1 s. */
  stepMs?: number;
  /** End of the range (ms since the epoch). Default now. */
  end?: number;
  /** Matchers added to every selector (e.g. `job="api"`). */
  matchers?: LabelMatcher[];
  /** Metric namespace of the error counters. Default `'app'`. */
  namespace?: string;
  /** Error counters and labels to rank. Default `{ns}_errors_total` by category and severity, `{ns}_function_errors_total` by function and error type. */
  errorMetrics?: Array<{ metric: string; by: string[] }>;
  /** Apply this profile's thresholds. */
  profile?: Profile;
  title?: string;
  /** HTTP headers (e.g. authorization for a proxy). */
  headers?: Record<string, string>;
  /** Per-request timeout, ms. Default 10 000. */
  timeoutMs?: number;
  fetch?: ReportFetch;
  diagnostics?: Diagnostics;
}

/** Options of {@link collectReportFromRegistry}. */
export interface RegistryReportOptions {
  registry: MetricsRegistry;
  /** A monitor over the same budgets: its history gives the series and trends. */
  monitor?: BudgetMonitor;
  namespace?: string;
  errorMetrics?: Array<{ metric: string; by: string[] }>;
  profile?: Profile;
  title?: string;
  /** Clock (ms). Default: the registry's. */
  now?: () => number;
  diagnostics?: Diagnostics;
}

const DEFAULT_REPORT_RANGE_MS = 24 * 3_600_000;
const MAX_TOP_ERRORS = 10;

interface GlobalWithFetch {
  fetch?: ReportFetch;
  AbortSignal?: { timeout?(ms: number): unknown };
}

function errorMetricsOf(ns: string | undefined, given: RegistryReportOptions['errorMetrics']): Array<{ metric: string; by: string[] }> {
  if (Array.isArray(given)) return given.filter((e) => e !== null && typeof e === 'object' && typeof e.metric === 'string' && Array.isArray(e.by));
  const n = typeof ns === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(ns) ? ns : 'app';
  return [
    { metric: `${n}_errors_total`, by: ['category', 'severity'] },
    { metric: `${n}_function_errors_total`, by: ['function', 'error_type'] },
  ];
}

function toReportBudget(b: Budget, value: number | undefined, series: Array<{ t: number; value: number }>): ReportBudget {
  const tr = trendOf(
    series.map((p) => p.t),
    series.map((p) => p.value),
  );
  const has = value !== undefined && Number.isFinite(value);
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    metric: b.metric,
    aggregation: b.aggregation,
    direction: b.direction,
    unit: b.unit,
    target: b.target,
    warning: b.warning,
    critical: b.critical,
    value: has ? value : null,
    state: has ? classifyValue(b, value) : 'nodata',
    score: has ? scoreValue(b, value) : null,
    series,
    trend: tr === undefined ? null : { slope: tr.slope, r2: tr.r2, forecast: tr.forecast.map((p) => ({ t: p.t, value: p.value })) },
  };
}

function finish(title: string | undefined, source: ReportData['source'], sourceUrl: string | null, range: ReportData['range'], budgets: ReportBudget[], topErrors: ReportError[], warnings: string[], now: number, list: readonly Budget[]): ReportData {
  const results: BudgetResult[] = budgets.map((rb, i) => ({
    budget: list[i]!,
    value: rb.value ?? undefined,
    state: rb.state === 'nodata' ? 'ok' : rb.state,
    pending: rb.state === 'nodata' ? 'ok' : rb.state,
    score: rb.score ?? undefined,
    at: now,
  }));
  const g = gradeBudgets(results);
  topErrors.sort((a, b) => b.count - a.count);
  return {
    title: typeof title === 'string' && title !== '' ? title.slice(0, 200) : 'Performance report',
    generatedAt: new Date(now).toISOString(),
    source,
    sourceUrl,
    range,
    grade: g.grade ?? null,
    score: g.score ?? null,
    budgets,
    topErrors: topErrors.slice(0, MAX_TOP_ERRORS),
    warnings,
  };
}

/**
 * Collects a report from a Prometheus server's HTTP API: each budget's value now (an instant
 * query of the same PromQL as the generated rules) and over `rangeMs` (a range query), with its
 * trend; the top errors by `increase` over the range; and the grade. Never rejects: a failed
 * query leaves that budget without data and adds a line to `warnings`.
 */
export async function collectReportFromPrometheus(budgets: readonly Budget[], options: PrometheusReportOptions): Promise<ReportData> {
  const o = options !== null && typeof options === 'object' ? options : ({} as PrometheusReportOptions);
  const diag = o.diagnostics ?? getDiagnostics();
  const warnings: string[] = [];
  const list = usableBudgets(budgets, diag, 'collectReportFromPrometheus', o.profile);
  const end = typeof o.end === 'number' && Number.isFinite(o.end) ? o.end : Date.now();
  const rangeMs = typeof o.rangeMs === 'number' && o.rangeMs >= 1000 ? o.rangeMs : DEFAULT_REPORT_RANGE_MS;
  const stepMs = typeof o.stepMs === 'number' && o.stepMs >= 1000 ? o.stepMs : Math.max(1000, Math.round(rangeMs / 120));
  const base = typeof o.url === 'string' ? o.url.replace(/\/+$/, '') : '';
  const g = globalThis as GlobalWithFetch;
  const fetchFn = typeof o.fetch === 'function' ? o.fetch : g.fetch;
  const range = { from: end - rangeMs, to: end };
  if (!/^https?:\/\//.test(base) || fetchFn === undefined) {
    warnings.push(fetchFn === undefined ? 'no fetch available' : `not an http(s) URL: ${String(o.url).slice(0, 200)}`);
    return finish(o.title, 'prometheus', base || null, range, list.map((b) => toReportBudget(b, undefined, [])), [], warnings, end, list);
  }

  const api = async (path: string, params: Record<string, string>): Promise<Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>> => {
    const qs = Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const timeout = g.AbortSignal?.timeout?.(typeof o.timeoutMs === 'number' && o.timeoutMs > 0 ? o.timeoutMs : 10_000);
    const res = await fetchFn(`${base}${path}?${qs}`, { headers: { accept: 'application/json', ...(o.headers ?? {}) }, ...(timeout !== undefined ? { signal: timeout } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
    if (body.status !== 'success' || body.data === undefined) throw new Error(body.error ?? 'query failed');
    if (body.data.resultType === 'scalar') return [{ metric: {}, value: body.data.result as [number, string] }];
    return body.data.result as Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
  };
  const num = (s: string): number => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));
  const worstOf = (b: Budget, values: number[]): number | undefined => {
    const finite = values.filter((v) => !Number.isNaN(v));
    if (finite.length === 0) return undefined;
    return b.direction === 'below' ? Math.min(...finite) : Math.max(...finite);
  };

  const reportBudgets = await Promise.all(
    list.map(async (b) => {
      const expr = budgetExpr(b, { matchers: o.matchers ?? [] });
      try {
        const [now, matrix] = await Promise.all([
          api('/api/v1/query', { query: expr, time: String(end / 1000) }),
          api('/api/v1/query_range', { query: expr, start: String(range.from / 1000), end: String(end / 1000), step: `${stepMs / 1000}s` }),
        ]);
        const value = worstOf(
          b,
          now.map((s) => num(s.value?.[1] ?? 'NaN')),
        );
        // Several series (a grouping kept by the matchers): the worst at each step.
        const byTime = new Map<number, number[]>();
        for (const s of matrix) for (const [t, v] of s.values ?? []) (byTime.get(t) ?? byTime.set(t, []).get(t)!).push(num(v));
        const series = [...byTime.entries()]
          .sort((a, b2) => a[0] - b2[0])
          .flatMap(([t, vs]) => {
            const v = worstOf(b, vs);
            return v === undefined || !Number.isFinite(v) ? [] : [{ t: Math.round(t * 1000), value: v }];
          });
        return toReportBudget(b, value, series);
      } catch (error) {
        warnings.push(`budget ${b.id}: ${describeError(error).slice(0, 300)}`);
        return toReportBudget(b, undefined, []);
      }
    }),
  );

  const topErrors: ReportError[] = [];
  for (const e of errorMetricsOf(o.namespace, o.errorMetrics)) {
    const rangeS = Math.max(1, Math.round(rangeMs / 1000));
    const expr = `topk(${MAX_TOP_ERRORS}, sum by (${e.by.join(', ')}) (increase(${promSelector(e.metric, {}, o.matchers ?? [])}[${rangeS}s])))`;
    try {
      for (const s of await api('/api/v1/query', { query: expr, time: String(end / 1000) })) {
        const count = num(s.value?.[1] ?? 'NaN');
        if (count > 0) topErrors.push({ metric: e.metric, labels: s.metric, count });
      }
    } catch (error) {
      warnings.push(`errors ${e.metric}: ${describeError(error).slice(0, 300)}`);
    }
  }
  return finish(o.title, 'prometheus', base, range, reportBudgets, topErrors, warnings, end, list);
}

/**
 * Collects a report from the in-process registry: each budget's value (from `monitor`'s latest
 * evaluation when given, else computed over everything recorded so far), its series and trend
 * from the monitor's history, the top errors from the error counters' totals, and the grade.
 * Never rejects.
 */
export async function collectReportFromRegistry(budgets: readonly Budget[], options: RegistryReportOptions): Promise<ReportData> {
  const o = options !== null && typeof options === 'object' ? options : ({} as RegistryReportOptions);
  const diag = o.diagnostics ?? getDiagnostics();
  const warnings: string[] = [];
  const registry = o.registry;
  const list = usableBudgets(budgets, diag, 'collectReportFromRegistry', o.profile);
  if (registry === undefined || registry === null || typeof registry.instruments !== 'function') {
    warnings.push('no registry given');
    return finish(o.title, 'registry', null, { from: Date.now(), to: Date.now() }, list.map((b) => toReportBudget(b, undefined, [])), [], warnings, Date.now(), list);
  }
  const nowFn = typeof o.now === 'function' ? o.now : () => registry.now();
  try {
    await registry.prepareCollection();
  } catch (error) {
    warnings.push(`collection: ${describeError(error)}`);
  }
  const end = nowFn();
  let from = end;
  const latest = o.monitor?.results() ?? [];
  const reportBudgets = list.map((b) => {
    const history = o.monitor?.history(b.id) ?? [];
    const series = history.map((p) => ({ t: p.t, value: p.value }));
    if (series.length > 0) from = Math.min(from, series[0]!.t);
    let value = latest.find((r) => r.budget.id === b.id)?.value;
    if (value === undefined) {
      // No monitor: everything recorded since the instrument started is the window.
      const sample = readBudgetSample(registry, { ...b, windowMs: Number.MAX_SAFE_INTEGER }, end);
      value = sample === undefined ? undefined : computeBudgetValue({ ...b, windowMs: Number.MAX_SAFE_INTEGER }, [sample]);
    }
    return toReportBudget(b, value, series);
  });
  const topErrors: ReportError[] = [];
  for (const e of errorMetricsOf(o.namespace, o.errorMetrics)) {
    const snap = snapshotMetric(registry, e.metric);
    if (snap === undefined) continue;
    const groups = new Map<string, ReportError>();
    for (const s of snap.series) {
      const labels: Record<string, string> = {};
      for (const k of e.by) if (s.labels[k] !== undefined) labels[k] = s.labels[k]!;
      const key = JSON.stringify(labels);
      const g = groups.get(key) ?? groups.set(key, { metric: snap.promName, labels, count: 0 }).get(key)!;
      g.count += s.value;
    }
    for (const g of groups.values()) if (g.count > 0) topErrors.push(g);
  }
  return finish(o.title, 'registry', null, { from, to: end }, reportBudgets, topErrors, warnings, end, list);
}
