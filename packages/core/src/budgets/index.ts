export { defineBudget, withBudgetProfile, budgetToOptions } from './defineBudget.js';
export type { DefineBudgetContext } from './defineBudget.js';
export { budgetPreset, presetBudgets, BUDGET_PRESETS, BUDGET_PRESET_NAMES, BUDGET_PRESET_PROFILES } from './presets.js';
export type { BudgetPresetName, BudgetPresetOptions } from './presets.js';
export { createBudgetMonitor } from './createBudgetMonitor.js';
export type { BudgetMonitor, BudgetMonitorOptions, BudgetTransition, BudgetTransitionCallback, AnomalyWatch, WatchResult } from './createBudgetMonitor.js';
export { histogramQuantile, computeBudgetValue, readBudgetSample, classifyValue, scoreValue, quantileOf, isHistogramAggregation, isGaugeAggregation } from './evaluate.js';
export type { BudgetQuery, BudgetSample } from './evaluate.js';
export { gradeBudgets, gradeOfScore, GRADE_THRESHOLDS } from './grade.js';
export { createZScoreDetector, createTrendDetector, linearRegression, trendOf } from './anomaly.js';
export type { ZScoreOptions, ZScoreResult, ZScoreDetector, LinearFit, TrendOptions, TrendPoint, TrendResult, TrendDetector } from './anomaly.js';
export { isBudget, usableBudgets } from './usableBudgets.js';
export { parseDuration, formatDuration } from './duration.js';
export {
  budgetOptionsSchema,
  BUDGET_AGGREGATIONS,
  ALERT_SEVERITIES,
  DEFAULT_BUDGET_FOR_MS,
  DEFAULT_BUDGET_WINDOW_MS,
  DEFAULT_BUDGET_AGGREGATION,
  DEFAULT_BUDGET_SEVERITY,
  DEFAULT_BUDGET_EVALUATION_INTERVAL_MS,
  DEFAULT_BUDGET_COOLDOWN_MS,
  DEFAULT_BUDGET_HISTORY_SIZE,
  DEFAULT_ZSCORE_WINDOW,
  DEFAULT_ZSCORE_THRESHOLD,
  DEFAULT_ZSCORE_MIN_SAMPLES,
  DEFAULT_TREND_WINDOW,
  DEFAULT_TREND_FORECAST_STEPS,
  DEFAULT_TREND_MIN_R2,
} from './config.js';
export type {
  Budget,
  BudgetOptions,
  BudgetProfileOverride,
  BudgetState,
  BudgetAggregation,
  BudgetDirection,
  AlertSeverity,
  DurationInput,
  MetricRef,
  BudgetResult,
  GradeResult,
  PerformanceGrade,
} from './types.js';
