import * as z from 'zod/mini';
import type { Profile } from '../config/profiles.js';
import { resolveOptions } from '../config/resolveOptions.js';
import { profileSchema } from '../config/schemas.js';
import { GLOBAL_TIMERS } from '../delivery/timers.js';
import { getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { getDefaultRegistry } from '../metrics/defaultRegistry.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import type { Counter, Gauge } from '../metrics/types.js';
import { createTrendDetector, createZScoreDetector, type TrendDetector, type TrendOptions, type TrendPoint, type TrendResult, type ZScoreDetector, type ZScoreOptions, type ZScoreResult } from './anomaly.js';
import { BUDGET_AGGREGATIONS, DEFAULT_BUDGET_COOLDOWN_MS, DEFAULT_BUDGET_EVALUATION_INTERVAL_MS, DEFAULT_BUDGET_HISTORY_SIZE, DEFAULT_BUDGET_WINDOW_MS, DEFAULT_TREND_MIN_R2 } from './config.js';
import { slug } from './defineBudget.js';
import { parseDuration } from './duration.js';
import { classifyValue, computeBudgetValue, readBudgetSample, scoreValue, type BudgetQuery, type BudgetSample } from './evaluate.js';
import { gradeBudgets } from './grade.js';
import { isBudget, usableBudgets } from './usableBudgets.js';
import type { Budget, BudgetAggregation, BudgetDirection, BudgetResult, BudgetState, DurationInput, GradeResult, MetricRef } from './types.js';

/** What changed, passed to `onTransition`: a budget's state, or an anomaly watch's. */
export interface BudgetTransition {
  /** `budget` for budgets; `zscore` and `trend` for anomaly watches. */
  readonly source: 'budget' | 'zscore' | 'trend';
  /** The budget's id or the watch's name. */
  readonly name: string;
  readonly from: BudgetState;
  readonly to: BudgetState;
  /** The value that caused it (undefined when data stopped). */
  readonly value: number | undefined;
  /** When (ms since the epoch, the monitor's clock). */
  readonly at: number;
  readonly budget?: Budget;
  readonly zScore?: ZScoreResult;
  readonly trend?: TrendResult;
  /** One line for humans. */
  readonly message: string;
}

/** Called on each transition; errors and rejections are reported, never thrown. */
export type BudgetTransitionCallback = (transition: BudgetTransition) => void | Promise<void>;

/** A series to watch for anomalies: a budget's series, or any metric with an aggregation. */
export interface AnomalyWatch {
  /** Names the watch in transitions. Default: the budget's id, or the metric and aggregation. */
  name?: string;
  /** Watch this budget's value; trend forecasts are judged against its thresholds. */
  budget?: Budget;
  /** Without `budget`: the metric, how to reduce it (default `'last'`), which series, over what window. */
  metric?: MetricRef;
  aggregation?: BudgetAggregation;
  labels?: Record<string, string>;
  window?: DurationInput;
  /** Which way is bad, for a worst-of over several series and for trend thresholds. Default `above`. */
  direction?: BudgetDirection;
  /** `ratio` only: the denominator. */
  total?: { metric?: MetricRef; labels?: Record<string, string> };
  /** Rolling z-score: `true` for defaults (window 100, threshold 3). `criticalThreshold` makes |z| past it critical. */
  zScore?: boolean | (ZScoreOptions & { criticalThreshold?: number });
  /**
   * Linear trend with forecast: `true` for defaults. The watch goes to `warning`/`critical` when
   * the forecast crosses those thresholds (the budget's by default) and the fit's r² is at least
   * `minR2` (default 0.8).
   */
  trend?: boolean | (TrendOptions & { minR2?: number; warning?: number; critical?: number });
}

/** The latest word of one anomaly watch. */
export interface WatchResult {
  readonly name: string;
  readonly value: number | undefined;
  readonly zScore: ZScoreResult | undefined;
  readonly trend: TrendResult | undefined;
  readonly zScoreState: BudgetState;
  readonly trendState: BudgetState;
  readonly at: number;
}

/** Options of {@link createBudgetMonitor}. */
export interface BudgetMonitorOptions {
  budgets?: readonly Budget[];
  watches?: readonly AnomalyWatch[];
  /** Where the metrics are read. Default: the default registry (evaluating turns it on). */
  registry?: MetricsRegistry;
  /**
   * Where the monitor's own gauges go (`lookout_budget_state{budget}` 0 ok / 1 warning / 2
   * critical, `lookout_budget_value{budget}`, `lookout_performance_score`,
   * `lookout_budget_transitions_total{budget,state}`,
   * `lookout_budget_notifications_suppressed_total{budget}`); `false` for none. Default: `registry`.
   */
  stateRegistry?: MetricsRegistry | false;
  /** Apply this profile's thresholds to every budget. Default: each budget's own. */
  profile?: Profile;
  /** Evaluation period of `start()`. Default 10 000 ms. */
  intervalMs?: number;
  /** A transition into a state is notified at most once per this long, per budget (or watch) and state. Default 300 000 ms. */
  cooldownMs?: number;
  /** Values remembered per budget (for trends and reports). Default 360. */
  historySize?: number;
  onTransition?: BudgetTransitionCallback;
  /** Evaluate every `intervalMs` from creation on. Default true (the timer never keeps the process alive). */
  autoStart?: boolean;
  /** Clock (ms). Default: the registry's clock. */
  now?: () => number;
  diagnostics?: Diagnostics;
  strict?: boolean;
}

/** Watches budgets and series in-process. Made by {@link createBudgetMonitor}. */
export interface BudgetMonitor {
  /** The budgets watched (enabled ones, profile applied). */
  readonly budgets: readonly Budget[];
  /** Reads the registry once (running observable callbacks), updates states and gauges, notifies. Never rejects. */
  evaluate(): Promise<readonly BudgetResult[]>;
  /** Results of the latest evaluation, one per budget. */
  results(): readonly BudgetResult[];
  /** Latest results of the anomaly watches. */
  watchResults(): readonly WatchResult[];
  /** The performance grade of the latest evaluation. */
  grade(): GradeResult;
  /** Values seen for a budget (by id) or watch (by name), oldest first, at most `historySize`. */
  history(name: string): readonly TrendPoint[];
  /** Adds a transition callback; returns a function that removes it. */
  onTransition(callback: BudgetTransitionCallback): () => void;
  /** Evaluates every `intervalMs`. Idempotent. */
  start(): void;
  /** Stops the periodic evaluation. Idempotent. */
  stop(): void;
}

const monitorOptionsSchema = z.strictObject({
  budgets: z.optional(z.array(z.unknown())),
  watches: z.optional(z.array(z.unknown())),
  registry: z.optional(z.custom<MetricsRegistry>((v) => v !== null && typeof v === 'object' && typeof (v as { instruments?: unknown }).instruments === 'function', 'must be a MetricsRegistry')),
  stateRegistry: z.optional(z.union([z.literal(false), z.custom<MetricsRegistry>((v) => v !== null && typeof v === 'object' && typeof (v as { gauge?: unknown }).gauge === 'function', 'must be a MetricsRegistry or false')])),
  profile: z.optional(profileSchema),
  intervalMs: z.optional(z.int().check(z.minimum(100))),
  cooldownMs: z.optional(z.int().check(z.nonnegative())),
  historySize: z.optional(z.int().check(z.minimum(3), z.maximum(100_000))),
  onTransition: z.optional(z.custom<BudgetTransitionCallback>((v) => typeof v === 'function', 'must be a function')),
  autoStart: z.optional(z.boolean()),
  now: z.optional(z.custom<() => number>((v) => typeof v === 'function', 'must be a function')),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => v !== null && typeof v === 'object', 'must be a Diagnostics')),
  strict: z.optional(z.boolean()),
});

const RANK: Readonly<Record<BudgetState, number>> = { ok: 0, warning: 1, critical: 2 };

/** Samples and state of one tracked series. */
interface Tracker {
  readonly name: string;
  readonly query: BudgetQuery;
  readonly budget: Budget | undefined;
  readonly samples: BudgetSample[];
  readonly history: TrendPoint[];
  state: BudgetState;
  warningSince: number | undefined;
  criticalSince: number | undefined;
}

interface WatchTracker extends Tracker {
  /** The budget the watch follows, if any (its thresholds judge the trend). */
  readonly ref: Budget | undefined;
  readonly z: ZScoreDetector | undefined;
  readonly zCritical: number;
  readonly trend: TrendDetector | undefined;
  readonly trendLimits: { minR2: number; warning: number | undefined; critical: number | undefined; direction: BudgetDirection };
  zState: BudgetState;
  trendState: BudgetState;
  last: WatchResult | undefined;
}

interface StateInstruments {
  state: Gauge<'budget'>;
  value: Gauge<'budget'>;
  score: Gauge;
  transitions: Counter<'budget' | 'state'>;
  suppressed: Counter<'budget'>;
}

/**
 * Watches budgets in-process: every `intervalMs` (default 10 s) it reads the registry, computes
 * each budget's value over its rolling window, and moves the budget between `ok`, `warning` and
 * `critical` once a threshold has been breached for the budget's `for` (improvements apply at
 * once, as Prometheus resolves an alert). Each transition calls `onTransition`, at most once per
 * `cooldownMs` per budget and state (suppressed ones are counted). Anomaly `watches` run a
 * rolling z-score and a linear trend on any series and report through the same callbacks.
 * Exports the budget states as gauges. Never throws: invalid options and budgets get one
 * diagnostic each.
 */
export function createBudgetMonitor(options: BudgetMonitorOptions = {}): BudgetMonitor {
  const diag0 = (options as { diagnostics?: Diagnostics } | undefined)?.diagnostics;
  const resolved = resolveOptions(monitorOptionsSchema, options, { component: 'createBudgetMonitor', diagnostics: isDiagnostics(diag0) ? diag0 : undefined });
  const o = resolved.options ?? {};
  const diag = isDiagnostics(o.diagnostics) ? o.diagnostics : getDiagnostics();
  const registry = o.registry ?? getDefaultRegistry();
  const now = o.now ?? (() => registry.now());
  const intervalMs = o.intervalMs ?? DEFAULT_BUDGET_EVALUATION_INTERVAL_MS;
  const cooldownMs = o.cooldownMs ?? DEFAULT_BUDGET_COOLDOWN_MS;
  const historySize = o.historySize ?? DEFAULT_BUDGET_HISTORY_SIZE;
  const stateRegistry = o.stateRegistry === false ? undefined : (o.stateRegistry ?? registry);
  const callbacks = new Set<BudgetTransitionCallback>();
  if (o.onTransition !== undefined) callbacks.add(o.onTransition);

  const budgets = usableBudgets(o.budgets, diag, 'createBudgetMonitor', o.profile);
  const trackers: Tracker[] = budgets.map((b) => newTracker(b.id, b, b));
  const watchTrackers = makeWatches(o.watches ?? [], diag);
  const lastNotified = new Map<string, number>();
  let latest: BudgetResult[] = [];
  let grade: GradeResult = gradeBudgets([]);
  let instruments: StateInstruments | undefined;
  let running: Promise<readonly BudgetResult[]> | undefined;
  let timer: unknown;
  let started = false;

  const notify = (t: BudgetTransition): void => {
    const key = `${t.source}\u0000${t.name}\u0000${t.to}`;
    const last = lastNotified.get(key);
    if (last !== undefined && t.at - last < cooldownMs) {
      instruments?.suppressed.add(1, { budget: t.name });
      return;
    }
    lastNotified.set(key, t.at);
    for (const cb of callbacks) {
      try {
        const r = cb(t);
        if (r !== undefined && typeof (r as Promise<void>).then === 'function') {
          (r as Promise<void>).then(undefined, (error: unknown) => diag.internalError(error, 'budget.onTransition'));
        }
      } catch (error) {
        diag.internalError(error, 'budget.onTransition');
      }
    }
  };

  const stateInstruments = (): StateInstruments | undefined => {
    if (stateRegistry === undefined) return undefined;
    return (instruments ??= {
      state: stateRegistry.gauge('lookout.budget.state', { description: 'Budget state: 0 ok, 1 warning, 2 critical', labels: ['budget'] }),
      value: stateRegistry.gauge('lookout.budget.value', { description: "A budget's value over its window, in the metric's unit", labels: ['budget'] }),
      score: stateRegistry.gauge('lookout.performance.score', { description: 'Performance score across budgets, 0-100 (A+ from 95, A 85, B 70, C 55)', unit: '1' }),
      transitions: stateRegistry.counter('lookout.budget.transitions', { description: 'Budget state changes, by new state', labels: ['budget', 'state'] }),
      suppressed: stateRegistry.counter('lookout.budget.notifications.suppressed', { description: 'Transition notifications held back by the cooldown', labels: ['budget'] }),
    });
  };

  const step = (tr: Tracker, at: number): { value: number | undefined; pending: BudgetState; from: BudgetState } => {
    const sample = readBudgetSample(registry, tr.query, at);
    if (sample !== undefined) pushSample(tr, sample);
    const value = sample === undefined ? undefined : computeBudgetValue(tr.query, tr.samples);
    if (value !== undefined) {
      tr.history.push({ t: at, value });
      if (tr.history.length > historySize) tr.history.shift();
    }
    const from = tr.state;
    const b = tr.budget;
    if (b === undefined) return { value, pending: 'ok', from };
    const pending = value === undefined ? 'ok' : classifyValue(b, value);
    tr.warningSince = RANK[pending] >= 1 ? (tr.warningSince ?? at) : undefined;
    tr.criticalSince = RANK[pending] >= 2 ? (tr.criticalSince ?? at) : undefined;
    tr.state =
      tr.criticalSince !== undefined && at - tr.criticalSince >= b.forMs
        ? 'critical'
        : tr.warningSince !== undefined && at - tr.warningSince >= b.forMs
          ? 'warning'
          : 'ok';
    return { value, pending, from };
  };

  const evaluateOnce = async (): Promise<readonly BudgetResult[]> => {
    try {
      await registry.prepareCollection();
      const at = now();
      const inst = stateInstruments();
      const results: BudgetResult[] = [];
      for (const tr of trackers) {
        const b = tr.budget!;
        const { value, pending, from } = step(tr, at);
        const score = value === undefined ? undefined : scoreValue(b, value);
        results.push(Object.freeze({ budget: b, value, state: tr.state, pending, score, at }));
        if (inst !== undefined) {
          inst.state.set(RANK[tr.state], { budget: b.id });
          if (value !== undefined) inst.value.set(value, { budget: b.id });
        }
        if (tr.state !== from) {
          inst?.transitions.add(1, { budget: b.id, state: tr.state });
          notify({ source: 'budget', name: b.id, from, to: tr.state, value, at, budget: b, message: budgetMessage(b, from, tr.state, value) });
        }
      }
      latest = results;
      grade = gradeBudgets(results);
      if (inst !== undefined && grade.score !== undefined) inst.score.set(grade.score);
      for (const w of watchTrackers) evaluateWatch(w, at);
      return results;
    } catch (error) {
      diag.internalError(error, 'budget.evaluate');
      return latest;
    }
  };

  const evaluateWatch = (w: WatchTracker, at: number): void => {
    const { value } = step(w, at);
    const zr = value === undefined ? undefined : w.z?.update(value);
    const trr = value === undefined ? undefined : w.trend?.update(value, at);
    if (w.z !== undefined && value !== undefined) {
      const zState: BudgetState = zr?.anomalous === true ? (Math.abs(zr.zScore ?? 0) >= w.zCritical ? 'critical' : 'warning') : 'ok';
      if (zState !== w.zState) {
        const from = w.zState;
        w.zState = zState;
        notify({ source: 'zscore', name: w.name, from, to: zState, value, at, ...(w.ref ? { budget: w.ref } : {}), ...(zr ? { zScore: zr } : {}), message: zMessage(w.name, from, zState, zr) });
      }
    }
    if (w.trend !== undefined && trr !== undefined) {
      const trendState = trendStateOf(trr, w.trendLimits);
      if (trendState !== w.trendState) {
        const from = w.trendState;
        w.trendState = trendState;
        notify({ source: 'trend', name: w.name, from, to: trendState, value, at, ...(w.ref ? { budget: w.ref } : {}), trend: trr, message: trendMessage(w.name, from, trendState, trr) });
      }
    }
    w.last = Object.freeze({ name: w.name, value, zScore: zr, trend: trr, zScoreState: w.zState, trendState: w.trendState, at });
  };

  const pushSample = (tr: Tracker, sample: BudgetSample): void => {
    tr.samples.push(sample);
    // Keep every sample inside the window plus the newest one before it (the baseline).
    const from = sample.t - tr.query.windowMs;
    let firstInside = 0;
    while (firstInside < tr.samples.length && tr.samples[firstInside]!.t <= from) firstInside++;
    if (firstInside > 1) tr.samples.splice(0, firstInside - 1);
  };

  function newTracker(name: string, query: BudgetQuery, budget: Budget | undefined): Tracker {
    return { name, query, budget, samples: [], history: [], state: 'ok', warningSince: undefined, criticalSince: undefined };
  }

  function makeWatches(list: readonly unknown[], d: Diagnostics): WatchTracker[] {
    const out: WatchTracker[] = [];
    const names = new Set<string>();
    for (const raw of list) {
      const w = makeWatch(raw, d);
      if (w === undefined) continue;
      if (names.has(w.name)) {
        d.warn('budget.watch-duplicate', `createBudgetMonitor: two watches are named "${w.name}"; the second is ignored`, `watch\u0000${w.name}`);
        continue;
      }
      names.add(w.name);
      out.push(w);
    }
    return out;
  }

  function makeWatch(raw: unknown, d: Diagnostics): WatchTracker | undefined {
    if (raw === null || typeof raw !== 'object') {
      d.warn('budget.watch-invalid', 'createBudgetMonitor: a watch must be an object; ignored', 'watch-invalid');
      return undefined;
    }
    const w = raw as AnomalyWatch;
    const budget = isBudget(w.budget) && w.budget.enabled ? w.budget : undefined;
    const metric = budget?.metric ?? metricName(w.metric);
    const aggregation = budget?.aggregation ?? (BUDGET_AGGREGATIONS.includes(w.aggregation as BudgetAggregation) ? w.aggregation! : 'last');
    if (metric === undefined) {
      d.warn('budget.watch-invalid', 'createBudgetMonitor: a watch needs a budget or a metric; ignored', 'watch-metric');
      return undefined;
    }
    if (w.zScore === undefined && w.trend === undefined) {
      d.warn('budget.watch-invalid', `createBudgetMonitor: watch of ${metric} has neither zScore nor trend; ignored`, `watch-none\u0000${metric}`);
      return undefined;
    }
    const direction: BudgetDirection = budget?.direction ?? (w.direction === 'below' ? 'below' : 'above');
    const query: BudgetQuery = budget ?? {
      metric,
      aggregation,
      direction,
      labels: isStringRecord(w.labels) ? { ...w.labels } : {},
      total: aggregation === 'ratio' ? { metric: metricName(w.total?.metric) ?? metric, labels: isStringRecord(w.total?.labels) ? { ...w.total.labels } : {} } : undefined,
      windowMs: Math.max(1000, parseDuration(w.window) ?? DEFAULT_BUDGET_WINDOW_MS),
    };
    const name = typeof w.name === 'string' && w.name !== '' ? slug(w.name) : budget !== undefined ? budget.id : slug(`${metric} ${aggregation}`);
    const zOpts = w.zScore === true ? {} : w.zScore !== null && typeof w.zScore === 'object' ? w.zScore : undefined;
    const tOpts = w.trend === true ? {} : w.trend !== null && typeof w.trend === 'object' ? w.trend : undefined;
    const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    return {
      ...newTracker(name, query, undefined),
      ref: budget,
      z: zOpts === undefined ? undefined : createZScoreDetector(zOpts),
      zCritical: finite(zOpts?.criticalThreshold) ?? Infinity,
      trend: tOpts === undefined ? undefined : createTrendDetector(tOpts),
      trendLimits: {
        minR2: finite(tOpts?.minR2) ?? DEFAULT_TREND_MIN_R2,
        warning: finite(tOpts?.warning) ?? budget?.warning,
        critical: finite(tOpts?.critical) ?? budget?.critical,
        direction,
      },
      zState: 'ok',
      trendState: 'ok',
      last: undefined,
    };
  }

  const schedule = (): void => {
    if (!started) return;
    timer = GLOBAL_TIMERS.setTimeout(() => {
      void monitor.evaluate().finally(schedule);
    }, intervalMs);
  };

  const monitor: BudgetMonitor = {
    budgets,
    evaluate() {
      return (running ??= evaluateOnce().finally(() => {
        running = undefined;
      }));
    },
    results: () => latest,
    watchResults: () => watchTrackers.flatMap((w) => (w.last === undefined ? [] : [w.last])),
    grade: () => grade,
    history(name) {
      const tr = trackers.find((t) => t.name === name) ?? watchTrackers.find((t) => t.name === name);
      return tr === undefined ? [] : tr.history.slice();
    },
    onTransition(callback) {
      if (typeof callback !== 'function') {
        diag.warn('budget.callback-invalid', 'BudgetMonitor.onTransition needs a function; ignored', 'budget.callback-invalid');
        return () => {};
      }
      callbacks.add(callback);
      return () => {
        callbacks.delete(callback);
      };
    },
    start() {
      if (started) return;
      started = true;
      schedule();
    },
    stop() {
      started = false;
      if (timer !== undefined) GLOBAL_TIMERS.clearTimeout(timer);
      timer = undefined;
    },
  };
  if (o.autoStart !== false) monitor.start();
  return monitor;
}

function trendStateOf(r: TrendResult, limits: WatchTracker['trendLimits']): BudgetState {
  if (r.r2 < limits.minR2) return 'ok';
  const end = r.forecast[r.forecast.length - 1]?.value;
  if (end === undefined) return 'ok';
  const past = (threshold: number | undefined): boolean => threshold !== undefined && (limits.direction === 'below' ? end < threshold : end > threshold);
  return past(limits.critical) ? 'critical' : past(limits.warning) ? 'warning' : 'ok';
}

function budgetMessage(b: Budget, from: BudgetState, to: BudgetState, value: number | undefined): string {
  const v = value === undefined ? 'no data' : formatNumber(value);
  if (to === 'ok') return `budget ${b.name} is back within its thresholds (${v}; was ${from})`;
  const threshold = to === 'critical' ? b.critical : b.warning;
  return `budget ${b.name} is ${to}: ${b.aggregation} ${v} ${b.direction === 'below' ? '<' : '>'} ${formatNumber(threshold)} (target ${formatNumber(b.target)})`;
}

function zMessage(name: string, from: BudgetState, to: BudgetState, r: ZScoreResult | undefined): string {
  if (to === 'ok' || r === undefined) return `${name}: back to normal (was ${from})`;
  return `${name}: anomaly, value ${formatNumber(r.value)} is ${formatNumber(r.zScore ?? 0)} standard deviations from the mean ${formatNumber(r.mean)}`;
}

function trendMessage(name: string, from: BudgetState, to: BudgetState, r: TrendResult): string {
  if (to === 'ok') return `${name}: trend no longer heads past its thresholds (was ${from})`;
  const end = r.forecast[r.forecast.length - 1];
  return `${name}: trending to ${formatNumber(end?.value ?? r.fitted)} (slope ${formatNumber(r.slope)}/s, r² ${r.r2.toFixed(2)}), past the ${to} threshold`;
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v * 1000) / 1000) : String(Number(v.toPrecision(4)));
}

function metricName(m: unknown): string | undefined {
  const name = typeof m === 'string' ? m : m !== null && typeof m === 'object' ? (m as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string');
}

function isDiagnostics(v: unknown): v is Diagnostics {
  return v !== null && typeof v === 'object' && typeof (v as Diagnostics).warn === 'function' && typeof (v as Diagnostics).internalError === 'function';
}
