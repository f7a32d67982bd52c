import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, observeDeliveryStats, renderPrometheus } from '../../src/index.js';
import type { DeliveryStatsSource } from '../../src/index.js';
import { promtoolCheckMetrics } from '../../../../testing/backends.js';

const queue = (sent: number, compression?: DeliveryStatsSource['stats']['compression']): DeliveryStatsSource => ({
  stats: { sent, retried: 1, circuitOpened: 0, queuedItems: 3, dropped: { queue_full: 2 }, ...(compression === undefined ? {} : { compression }) },
});

describe('observeDeliveryStats', () => {
  it('should export each queue by signal, with what its gzip step did where it has one, promtool-clean', async () => {
    const registry = createMetricsRegistry();
    registry.enable();
    const compression = { bodies: 2, bytesIn: 8000, bytesOut: 700, failures: 1 };
    observeDeliveryStats(queue(5, compression), 'events', registry);
    observeDeliveryStats(queue(7), 'security', registry);
    const text = await renderPrometheus(registry);
    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'lookout_delivery_items_sent_total{signal="events"} 5',
        'lookout_delivery_items_sent_total{signal="security"} 7',
        'lookout_delivery_items_dropped_total{signal="events",reason="queue_full"} 2',
        'lookout_delivery_queue_items{signal="security"} 3',
        'lookout_delivery_compressed_bytes_total{signal="events",stage="before"} 8000',
        'lookout_delivery_compressed_bytes_total{signal="events",stage="after"} 700',
        'lookout_delivery_compression_failures_total{signal="events"} 1',
      ]),
    );
    // A queue without a gzip step has no compression series.
    expect(lines.filter((l) => l.includes('compress') && l.includes('security'))).toEqual([]);
    // Read at each collection: later counts show up.
    compression.bytesIn += 1000;
    expect(await renderPrometheus(registry)).toContain('lookout_delivery_compressed_bytes_total{signal="events",stage="before"} 9000');
    expect(promtoolCheckMetrics(text).problems).toEqual([]);
  });
});
