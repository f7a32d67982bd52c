import { observeDeliveryStats } from '@lookout/core';
import type { MetricsRegistry } from '@lookout/core';
import type { PageClientStats } from './types.js';

/** `signal` label of the page client's delivery metrics. */
export const PAGE_SIGNAL = 'events';

/**
 * Exports a page client's counters through core's `observeDeliveryStats` (loaded on demand when
 * the client has a `registry`): `lookout_delivery_items_sent_total`, `…_items_dropped_total{reason}`,
 * `…_retries_total` and `…_queue_items`, each with `signal="events"`.
 */
export function observePageStats(stats: Readonly<PageClientStats>, registry: MetricsRegistry): void {
  observeDeliveryStats(
    {
      get stats() {
        return { sent: stats.sent, retried: stats.retried, circuitOpened: 0, queuedItems: stats.queued, dropped: stats.dropped };
      },
    },
    PAGE_SIGNAL,
    registry,
  );
}
