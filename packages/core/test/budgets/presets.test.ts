import { describe, expect, it } from 'vitest';
import { budgetPreset, presetBudgets, BUDGET_PRESET_NAMES } from '@lookout/core/budgets';
import { seen } from './helpers.js';

const MIB = 1024 * 1024;

describe('budget presets', () => {
  describe('presetBudgets', () => {
    it("should carry the production thresholds of the issue", () => {
      const byName = Object.fromEntries(presetBudgets().map((b) => [b.name, b]));
      expect(Object.keys(byName)).toEqual([...BUDGET_PRESET_NAMES]);
      expect(byName['startup']).toMatchObject({ metric: 'app_startup_duration_seconds', aggregation: 'p95', target: 0.05, warning: 0.1, critical: 0.25, direction: 'above' });
      expect(byName['pipeline-duration']).toMatchObject({ metric: 'app_pipeline_stage_duration_seconds', target: 0.5, warning: 1, critical: 2 });
      expect(byName['memory']).toMatchObject({ metric: 'app_memory_usage_bytes', labels: { type: 'heap_used' }, target: 25 * MIB, warning: 50 * MIB, critical: 100 * MIB });
      expect(byName['error-rate']).toMatchObject({ metric: 'app_function_calls_total', aggregation: 'ratio', labels: { outcome: 'error' }, target: 0.001, warning: 0.01, critical: 0.05 });
      expect(byName['error-rate']!.total).toEqual({ metric: 'app_function_calls_total', labels: {} });
      expect(byName['frame-rate']).toMatchObject({ metric: 'app_frame_rate', direction: 'below', target: 60, warning: 45, critical: 30 });
      for (const b of Object.values(byName)) expect(b.enabled).toBe(true);
    });

    it('should loosen thresholds for development and keep them for staging', () => {
      const dev = Object.fromEntries(presetBudgets({ profile: 'development' }).map((b) => [b.name, b]));
      const staging = Object.fromEntries(presetBudgets({ profile: 'staging' }).map((b) => [b.name, b]));
      expect(dev['startup']).toMatchObject({ target: 0.1, warning: 0.2, critical: 0.5, profile: 'development' });
      expect(dev['frame-rate']).toMatchObject({ target: 40, warning: 30, critical: 20 });
      expect(staging['pipeline-duration']).toMatchObject({ target: 0.5, warning: 1, critical: 2, forMs: 120_000 });
    });

    it('should use the namespace and the subset asked for', () => {
      const list = presetBudgets({ namespace: 'svc', only: ['memory'] });
      expect(list.map((b) => b.metric)).toEqual(['svc_memory_usage_bytes']);
    });
  });

  describe('budgetPreset', () => {
    it('should apply overrides over the preset', () => {
      const b = budgetPreset('startup', { overrides: { target: 0.03, alertLabels: { team: 'cli' } } });
      expect(b).toMatchObject({ target: 0.03, warning: 0.1, alertLabels: { team: 'cli' } });
    });

    it('should return a disabled budget and one diagnostic for an unknown name', () => {
      const { diag, lines } = seen();
      const b = budgetPreset('nope' as never, { diagnostics: diag });
      expect(b.enabled).toBe(false);
      expect(lines).toHaveLength(1);
    });
  });
});
