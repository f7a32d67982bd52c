import { observeDeliveryStats } from '@lookout/core';
import type { MetricsRegistry } from '@lookout/core';
import type { TelemetryStats } from '../types.js';

const byRegistry = new WeakMap<MetricsRegistry, Map<string, Readonly<TelemetryStats>>>();

/**
 * Exports a client's counts as Lookout's own metrics: core's `lookout_delivery_*{signal}` (with
 * the client's drop reasons, `consent` and `before_send` included, and what gzip did) plus
 * `lookout_telemetry_events_tracked_total`, `…_persisted_total`, `…_restored_total` and
 * `…_beaconed_total`, each labelled `signal`. A second client with the same signal replaces the first.
 * `registry` is required (`getDefaultRegistry()` from `@lookout/core` for the default one).
 */
export function observeTelemetryStats(stats: Readonly<TelemetryStats>, signal: string, registry: MetricsRegistry): void {
  // The client's stats are a superset of a queue's: the same counters, more drop reasons.
  observeDeliveryStats({ stats }, signal, registry);
  let clients = byRegistry.get(registry);
  if (clients === undefined) {
    const all = new Map<string, Readonly<TelemetryStats>>();
    clients = all;
    byRegistry.set(registry, all);
    const counter = (name: string, description: string, read: (s: Readonly<TelemetryStats>) => number): void => {
      registry.observableCounter(name, { description, unit: '{event}', labels: ['signal'] }, (o) => {
        for (const [s, st] of all) o.observe(read(st), { signal: s });
      });
    };
    counter('lookout.telemetry.events.tracked', 'Events passed to track() and its helpers', (s) => s.tracked);
    counter('lookout.telemetry.events.persisted', 'Events handed to the store for a later run', (s) => s.persisted);
    counter('lookout.telemetry.events.restored', 'Events a store gave back and that were queued again', (s) => s.restored);
    counter('lookout.telemetry.events.beaconed', 'Events sent by beacon or keepalive fetch when the page was hidden', (s) => s.beaconed);
  }
  clients.set(signal, stats);
}
