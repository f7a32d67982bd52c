import { describe, expect, it } from 'vitest';
import * as core from '@lookout/core';
import * as budgets from '@lookout/core/budgets';
import * as generate from '@lookout/core/generate';

describe('budgets and generate exports', () => {
  it('should expose the budget functions from @lookout/core/budgets, and the snapshots from the root', () => {
    for (const name of ['defineBudget', 'budgetPreset', 'presetBudgets', 'withBudgetProfile', 'createBudgetMonitor', 'gradeBudgets', 'createZScoreDetector', 'createTrendDetector', 'linearRegression', 'histogramQuantile']) {
      expect(typeof (budgets as Record<string, unknown>)[name], name).toBe('function');
      expect((core as Record<string, unknown>)[name], `${name} stays out of the root entry`).toBeUndefined();
    }
    for (const name of ['snapshotMetric', 'snapshotRegistry']) expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    expect(budgets.BUDGET_PRESET_NAMES).toEqual(['startup', 'pipeline-duration', 'memory', 'error-rate', 'frame-rate']);
  });

  it('should expose the generators and commands from @lookout/core/generate', () => {
    for (const name of [
      'generatePrometheusRules',
      'generateAlertmanagerConfig',
      'renderEnvPlaceholders',
      'generateGrafanaDashboard',
      'generateGrafanaDashboards',
      'collectReportFromPrometheus',
      'collectReportFromRegistry',
      'renderReportHtml',
      'renderReportJson',
      'renderReportCsv',
      'runGenerateCommand',
      'runReportCommand',
    ]) {
      expect(typeof (generate as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
