import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, LookoutConfigError } from '@lookout/core';
import { budgetToOptions, defineBudget, withBudgetProfile } from '@lookout/core/budgets';
import { seen } from './helpers.js';

describe('defineBudget', () => {
  describe('defaults', () => {
    it('should fill in aggregation, window, for, severity and direction', () => {
      const { diag, lines } = seen();
      const b = defineBudget('app_startup_duration_seconds', { target: 0.05, warning: 0.1, critical: 0.25 }, { diagnostics: diag });
      expect(lines).toEqual([]);
      expect(b).toMatchObject({
        enabled: true,
        metric: 'app_startup_duration_seconds',
        aggregation: 'p95',
        direction: 'above',
        forMs: 300_000,
        windowMs: 300_000,
        severity: { warning: 'high', critical: 'critical' },
        unit: 's',
        id: 'app-startup-duration-seconds-p95',
        profile: 'production',
      });
      expect(Object.isFrozen(b)).toBe(true);
    });

    it('should infer direction below when critical is under warning', () => {
      const b = defineBudget('app_frame_rate', { target: 60, warning: 45, critical: 30, aggregation: 'avg' });
      expect(b.direction).toBe('below');
      expect(b.enabled).toBe(true);
    });

    it('should parse Prometheus durations and take milliseconds', () => {
      const b = defineBudget('x_seconds', { target: 1, warning: 2, critical: 3, for: '1m30s', window: 2000 });
      expect(b.forMs).toBe(90_000);
      expect(b.windowMs).toBe(2000);
    });

    it("should take an instrument's Prometheus name", () => {
      const registry = createMetricsRegistry();
      const h = registry.histogram('http.server.duration', { unit: 's' });
      expect(defineBudget(h, { target: 1, warning: 2, critical: 3 }).metric).toBe('http_server_duration_seconds');
    });
  });

  describe('invalid input', () => {
    it('should disable a budget without thresholds, with one diagnostic', () => {
      const { diag, lines } = seen();
      const b = defineBudget('x', { target: 1 }, { diagnostics: diag });
      expect(b.enabled).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('target, warning and critical');
    });

    it('should disable a budget whose thresholds are out of order', () => {
      const { diag, lines } = seen();
      const b = defineBudget('x', { target: 1, warning: 3, critical: 2, direction: 'above' }, { diagnostics: diag });
      expect(b.enabled).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('ordered');
    });

    it('should report an invalid field by its path and use its default', () => {
      const { diag, lines } = seen();
      const b = defineBudget('x', { target: 1, warning: 2, critical: 3, for: 'soon' as never }, { diagnostics: diag });
      expect(b.enabled).toBe(true);
      expect(b.forMs).toBe(300_000);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('for');
    });

    it('should disable a ratio that selects the whole total', () => {
      const { diag, lines } = seen();
      const b = defineBudget('calls_total', { aggregation: 'ratio', target: 0.01, warning: 0.02, critical: 0.05 }, { diagnostics: diag });
      expect(b.enabled).toBe(false);
      expect(lines.join('\n')).toContain('ratio');
    });

    it('should throw LookoutConfigError with strict: true', () => {
      expect(() => defineBudget('x', { target: 1, warning: 2, critical: 3, window: -1, strict: true })).toThrow(LookoutConfigError);
    });
  });

  describe('profiles', () => {
    const options = {
      target: 0.05,
      warning: 0.1,
      critical: 0.25,
      profiles: { development: { target: 0.1, warning: 0.2, critical: 0.5, for: '1m' } },
    };

    it("should apply the chosen profile's overrides", () => {
      const b = defineBudget('s_seconds', { ...options, profile: 'development' });
      expect([b.target, b.warning, b.critical, b.forMs]).toEqual([0.1, 0.2, 0.5, 60_000]);
    });

    it('should switch profiles back and forth with withBudgetProfile', () => {
      const dev = defineBudget('s_seconds', { ...options, profile: 'development' });
      const prod = withBudgetProfile(dev, 'production');
      expect([prod.target, prod.warning, prod.critical, prod.forMs]).toEqual([0.05, 0.1, 0.25, 300_000]);
      const again = withBudgetProfile(prod, 'development');
      expect([again.target, again.warning, again.critical]).toEqual([0.1, 0.2, 0.5]);
    });

    it('should round-trip through budgetToOptions and JSON', () => {
      const b = defineBudget('calls_total', { aggregation: 'ratio', labels: { outcome: 'error' }, target: 0.001, warning: 0.01, critical: 0.05, runbookUrl: 'https://runbooks.example/errors' });
      const copy = defineBudget(b.metric, JSON.parse(JSON.stringify(budgetToOptions(b))));
      expect(copy).toEqual(b);
    });
  });
});
