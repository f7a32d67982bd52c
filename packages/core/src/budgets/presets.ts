import { DEFAULT_PROFILE, type Profile } from '../config/profiles.js';
import { getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { defineBudget } from './defineBudget.js';
import type { Budget, BudgetOptions, BudgetProfileOverride } from './types.js';

/** The ready-made budgets. */
export type BudgetPresetName = 'startup' | 'pipeline-duration' | 'memory' | 'error-rate' | 'frame-rate';
export const BUDGET_PRESET_NAMES: readonly BudgetPresetName[] = ['startup', 'pipeline-duration', 'memory', 'error-rate', 'frame-rate'];

/** One MiB: the "MB" of the memory budget (what Node's `process.memoryUsage()` tools show). */
const MIB = 1024 * 1024;

/**
 * Production thresholds of the presets, over the standard metrics (`createStandardMetrics`,
 * `instrument()`), with `{ns}` the namespace (default `app`):
 * - `startup`: p95 of `{ns}_startup_duration_seconds` over 1 h: < 50 ms, warning > 100 ms, critical > 250 ms;
 * - `pipeline-duration`: p95 of `{ns}_pipeline_stage_duration_seconds`: < 500 ms, > 1 s, > 2 s;
 * - `memory`: average `{ns}_memory_usage_bytes{type="heap_used"}`: < 25 MiB, > 50 MiB, > 100 MiB;
 * - `error-rate`: `{ns}_function_calls_total{outcome="error"}` over all calls: < 0.1 %, > 1 %, > 5 %;
 * - `frame-rate`: average `{ns}_frame_rate`: ≥ 60 fps, warning < 45, critical < 30.
 */
export const BUDGET_PRESETS: Readonly<Record<BudgetPresetName, Readonly<BudgetOptions & { metric: string }>>> = Object.freeze({
  startup: Object.freeze({
    metric: '{ns}_startup_duration_seconds',
    name: 'startup',
    description: 'Time from process start until ready (p95)',
    aggregation: 'p95',
    target: 0.05,
    warning: 0.1,
    critical: 0.25,
    // Startups are rare: a short window would often be empty.
    window: '1h',
    for: '0s',
  }),
  'pipeline-duration': Object.freeze({
    metric: '{ns}_pipeline_stage_duration_seconds',
    name: 'pipeline-duration',
    description: 'Duration of pipeline stages (p95)',
    aggregation: 'p95',
    target: 0.5,
    warning: 1,
    critical: 2,
  }),
  memory: Object.freeze({
    metric: '{ns}_memory_usage_bytes',
    name: 'memory',
    description: 'JavaScript heap in use',
    aggregation: 'avg',
    labels: Object.freeze({ type: 'heap_used' }) as Record<string, string>,
    target: 25 * MIB,
    warning: 50 * MIB,
    critical: 100 * MIB,
  }),
  'error-rate': Object.freeze({
    metric: '{ns}_function_calls_total',
    name: 'error-rate',
    description: 'Share of instrumented calls that failed',
    aggregation: 'ratio',
    labels: Object.freeze({ outcome: 'error' }) as Record<string, string>,
    target: 0.001,
    warning: 0.01,
    critical: 0.05,
  }),
  'frame-rate': Object.freeze({
    metric: '{ns}_frame_rate',
    name: 'frame-rate',
    description: 'Frames rendered per second',
    aggregation: 'avg',
    unit: 'fps',
    direction: 'below',
    target: 60,
    warning: 45,
    critical: 30,
  }),
}) as Readonly<Record<BudgetPresetName, Readonly<BudgetOptions & { metric: string }>>>;

/**
 * Per-profile overrides of the presets. Development builds run unminified, with watchers and
 * debuggers: thresholds are twice as loose (frame rate a third lower) and breaches count after
 * one minute; staging keeps production's thresholds but reacts after two minutes.
 */
export const BUDGET_PRESET_PROFILES: Readonly<Record<BudgetPresetName, Readonly<Partial<Record<Profile, BudgetProfileOverride>>>>> = Object.freeze({
  startup: { development: { target: 0.1, warning: 0.2, critical: 0.5 } },
  'pipeline-duration': { development: { target: 1, warning: 2, critical: 4, for: '1m' }, staging: { for: '2m' } },
  memory: { development: { target: 50 * MIB, warning: 100 * MIB, critical: 200 * MIB, for: '1m' }, staging: { for: '2m' } },
  'error-rate': { development: { target: 0.01, warning: 0.05, critical: 0.1, for: '1m' }, staging: { for: '2m' } },
  'frame-rate': { development: { target: 40, warning: 30, critical: 20, for: '1m' }, staging: { for: '2m' } },
});

/** Options of {@link budgetPreset} and {@link presetBudgets}. */
export interface BudgetPresetOptions {
  /** Whose thresholds apply. Default `'production'`. */
  profile?: Profile;
  /** Metric namespace, as given to `createStandardMetrics`. Default `'app'`. */
  namespace?: string;
  /** Overrides of the preset's options (thresholds, labels, severity …). */
  overrides?: BudgetOptions;
  diagnostics?: Diagnostics;
}

/**
 * One preset budget for `profile` (default production). `overrides` replace the preset's
 * options; per-profile thresholds still apply unless the overrides set their own `profiles`.
 * Never throws: an unknown name gets a diagnostic and a disabled budget.
 */
export function budgetPreset(name: BudgetPresetName, options: BudgetPresetOptions = {}): Budget {
  const diag = options.diagnostics ?? getDiagnostics();
  const preset = Object.prototype.hasOwnProperty.call(BUDGET_PRESETS, name) ? BUDGET_PRESETS[name] : undefined;
  if (preset === undefined) {
    diag.warn('budget.preset-unknown', `budgetPreset: unknown preset "${String(name).slice(0, 64)}" (known: ${BUDGET_PRESET_NAMES.join(', ')})`, `preset\u0000${String(name)}`);
    const placeholder = defineBudget('unknown', { name: String(name).slice(0, 64) || 'unknown', target: 0, warning: 0, critical: 0 }, { diagnostics: diag });
    return Object.freeze({ ...placeholder, enabled: false });
  }
  const ns = typeof options.namespace === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(options.namespace) ? options.namespace : 'app';
  const { metric, ...rest } = preset;
  return defineBudget(
    metric.replace('{ns}', ns),
    { ...rest, profiles: BUDGET_PRESET_PROFILES[name], ...options.overrides, profile: options.profile ?? options.overrides?.profile ?? DEFAULT_PROFILE },
    { diagnostics: diag },
  );
}

/** Every preset budget (or those named in `only`) for one profile and namespace. */
export function presetBudgets(options: Omit<BudgetPresetOptions, 'overrides'> & { only?: readonly BudgetPresetName[] } = {}): Budget[] {
  const names = Array.isArray(options.only) ? options.only : BUDGET_PRESET_NAMES;
  return names.map((n) => budgetPreset(n, { profile: options.profile, namespace: options.namespace, diagnostics: options.diagnostics }));
}
