import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, instrument, observeDeliveryStats, renderPrometheus } from '@lookout/core';

describe('MetricsRegistry', () => {
  describe('clear', () => {
    it('should let instrument() define its metrics again, for functions wrapped before and after', async () => {
      const registry = createMetricsRegistry();
      const a = instrument('a', () => 1, { registry });
      a();
      registry.clear();
      const b = instrument('b', () => 2, { registry });
      b();
      b();
      a();
      const text = await renderPrometheus(registry);
      expect(text).toContain('app_function_calls_total{function="b",outcome="success"} 2\n');
      expect(text).toContain('app_function_calls_total{function="a",outcome="success"} 1\n');
    });

    it('should let observeDeliveryStats define its metrics again', async () => {
      const registry = createMetricsRegistry();
      const queue = { stats: { sent: 3, retried: 0, circuitOpened: 0, queuedItems: 0, dropped: {} } };
      observeDeliveryStats(queue, 'events', registry);
      registry.clear();
      observeDeliveryStats(queue, 'events', registry);
      expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_sent_total{signal="events"} 3\n');
    });
  });
});
