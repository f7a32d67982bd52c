import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, observeDeliveryStats, renderPrometheus, type MetricsRegistry } from '@lookout/core';
import { createBudgetMonitor, defineBudget } from '@lookout/core/budgets';

const T0 = 1_700_000_000_000;

function clocked(options: { seriesTtlMs?: number; maxLabelValueLength?: number }): { registry: MetricsRegistry; clock: { ms: number } } {
  const clock = { ms: T0 };
  const registry = createMetricsRegistry({ now: () => clock.ms, diagnostics: createDiagnostics({ level: 'none' }), ...options });
  return { registry, clock };
}

/** Collections every 30 s for `ms`, as a scraper would. */
async function scrapeFor(registry: MetricsRegistry, clock: { ms: number }, ms: number): Promise<string> {
  let text = '';
  for (let t = 0; t < ms; t += 30_000) {
    clock.ms += 30_000;
    text = await renderPrometheus(registry);
  }
  return text;
}

describe('MetricsRegistry', () => {
  describe("Lookout's own series under seriesTtlMs", () => {
    it('should keep the drop, overflow and eviction counts past the TTL, while user series are dropped', async () => {
      const { registry, clock } = clocked({ seriesTtlMs: 60_000 });
      registry.counter('a.b').add(-1); // dropped: invalid value
      const capped = registry.counter('capped', { labels: ['k'], cardinalityLimit: 1 });
      capped.add(1, { k: 'x' });
      capped.add(1, { k: 'y' }); // to the overflow series
      registry.counter('user', { labels: ['k'] }).add(1, { k: 'v' });
      const text = await scrapeFor(registry, clock, 300_000);
      expect(text).toContain('lookout_metric_records_dropped_total{metric="a_b_total",reason="invalid_value"} 1');
      expect(text).toContain('lookout_metric_series_overflow_total{metric="capped_total"} 1');
      // The user's series were evicted (counted once each) and their count is still there.
      expect(text).not.toMatch(/^user_total\{/m);
      expect(text).toMatch(/^lookout_metric_series_evicted_total\{metric="user_total"\} 1$/m);
    });

    // The other packages' own metrics (security, errors, telemetry, node, viewer) live in the same namespace.
    it('should keep every lookout.* series past the TTL and uncut, whichever package defined it', async () => {
      const { registry, clock } = clocked({ seriesTtlMs: 60_000, maxLabelValueLength: 5 });
      registry.counter('lookout.security.events.dropped', { labels: ['reason'] }).add(2, { reason: 'queue_full' });
      registry.counter('lookoutish', { labels: ['reason'] }).add(1, { reason: 'queue_full' });
      const text = await scrapeFor(registry, clock, 300_000);
      expect(text).toMatch(/^lookout_security_events_dropped_total\{reason="queue_full"\} 2$/m);
      expect(text).not.toMatch(/^lookoutish_total\{/m);
    });

    it("should keep the budget monitor's series between evaluations further apart than the TTL", async () => {
      const { registry, clock } = clocked({ seriesTtlMs: 60_000 });
      registry.gauge('heap', { unit: 'By' }).set(5);
      const monitor = createBudgetMonitor({ registry, budgets: [defineBudget('heap_bytes', { aggregation: 'last', target: 10, warning: 20, critical: 30, for: 0 })], autoStart: false });
      await monitor.evaluate();
      expect(await scrapeFor(registry, clock, 300_000)).toMatch(/^lookout_budget_state\{budget="heap-bytes-last"\} 0$/m);
    });
  });

  describe("Lookout's own label values under maxLabelValueLength", () => {
    it('should never cut them, while user label values are cut', async () => {
      const { registry } = clocked({ maxLabelValueLength: 5 });
      registry.counter('a.b').add(-1);
      registry.counter('user', { labels: ['k'] }).add(1, { k: 'longer' });
      observeDeliveryStats({ stats: { sent: 3, retried: 0, circuitOpened: 0, queuedItems: 0, dropped: { queue_full: 2 } } }, 'events', registry);
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_metric_records_dropped_total{metric="a_b_total",reason="invalid_value"} 1');
      expect(text).toContain('lookout_delivery_items_sent_total{signal="events"} 3');
      expect(text).toContain('lookout_delivery_items_dropped_total{signal="events",reason="queue_full"} 2');
      expect(text).toContain('user_total{k="longe"} 1');
    });
  });
});
