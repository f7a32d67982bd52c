import { getDiagnostics, safeString } from '../diagnostics/index.js';
import type { CompressionStats } from '../delivery/gzip.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import type { InstrumentOptions, ObservableCallback, ObservableGauge } from '../metrics/types.js';

/**
 * What a delivery queue reports about itself: core's `BatchQueue` has it, and a package may pass
 * its own with more drop reasons than core's (`consent`, `expired` …).
 */
export interface DeliveryStatsSource {
  readonly stats: {
    readonly sent: number;
    readonly retried: number;
    readonly circuitOpened: number;
    readonly queuedItems: number;
    readonly dropped: Readonly<Record<string, number>>;
    /** What its gzip step did, where it has one (core's `BodyCompressor.stats`). */
    readonly compression?: Readonly<CompressionStats>;
  };
}

interface DeliveryInstruments {
  /** The registry's generation the instruments were defined in: `registry.clear()` drops them. */
  generation: number;
  queues: Map<string, DeliveryStatsSource>;
  /** Its counters, restarted for a signal whose queue is replaced (its totals start again from 0). */
  counters: ObservableGauge[];
}

/** What a registry's observable instruments offer beyond the public type (see `ObservableGaugeImpl`). */
interface Restartable {
  restartWhere?(key: string, value: string): void;
}

const byRegistry = new WeakMap<MetricsRegistry, DeliveryInstruments>();

/**
 * Exports a delivery queue's counts as Lookout's own metrics, read at each collection:
 * `lookout_delivery_items_sent_total{signal}`, `lookout_delivery_items_dropped_total{signal,reason}`,
 * `lookout_delivery_retries_total{signal}`, `lookout_delivery_circuit_opened_total{signal}`,
 * `lookout_delivery_queue_items{signal}` and, for queues whose stats carry `compression`,
 * `lookout_delivery_compressed_bytes_total{signal,stage="before"|"after"}` (bodies compressed,
 * their size before and after) and `lookout_delivery_compression_failures_total{signal}`
 * (bodies sent uncompressed because gzip failed). `signal` names what the queue carries (`events`,
 * `errors`, `security`…); registering the same signal again replaces the earlier queue.
 *
 * `registry` is required (pass `getDefaultRegistry()` for the default one): with no default here,
 * a browser bundle whose callers observe only when the host gave them a registry does not carry
 * the registry implementation.
 */
export function observeDeliveryStats(queue: DeliveryStatsSource, signal: string, registry: MetricsRegistry): void {
  if (registry === undefined || registry === null || typeof (registry as { observableCounter?: unknown }).observableCounter !== 'function') {
    getDiagnostics().warn('metric.registry-missing', `observeDeliveryStats(${safeString(signal)}): \`registry\` must be a MetricsRegistry; nothing is exported`, 'observeDeliveryStats');
    return;
  }
  let state = byRegistry.get(registry);
  if (state === undefined || state.generation !== registry.generation) {
    const queues = new Map<string, DeliveryStatsSource>();
    const counters: ObservableGauge[] = [];
    state = { generation: registry.generation, queues, counters };
    byRegistry.set(registry, state);
    const counter = (name: string, options: InstrumentOptions<string>, callback: ObservableCallback<string>): void => {
      counters.push(registry.observableCounter(name, options, callback));
    };
    const each = (fn: (signal: string, q: DeliveryStatsSource) => void): void => {
      for (const [s, q] of queues) fn(s, q);
    };
    counter('lookout.delivery.items.sent', { description: 'Items the receiver accepted', unit: '{item}', labels: ['signal'] }, (o) =>
      each((s, q) => o.observe(q.stats.sent, { signal: s })),
    );
    counter(
      'lookout.delivery.items.dropped',
      { description: 'Items dropped before delivery, by reason', unit: '{item}', labels: ['signal', 'reason'] },
      (o) =>
        each((s, q) => {
          for (const [reason, n] of Object.entries(q.stats.dropped)) o.observe(n, { signal: s, reason });
        }),
    );
    counter('lookout.delivery.retries', { description: 'Sends that retried a batch', unit: '{request}', labels: ['signal'] }, (o) =>
      each((s, q) => o.observe(q.stats.retried, { signal: s })),
    );
    counter('lookout.delivery.circuit.opened', { description: 'Times the circuit breaker opened', labels: ['signal'] }, (o) =>
      each((s, q) => o.observe(q.stats.circuitOpened, { signal: s })),
    );
    registry.observableGauge('lookout.delivery.queue.items', { description: 'Items waiting for delivery', unit: '{item}', labels: ['signal'] }, (o) =>
      each((s, q) => o.observe(q.stats.queuedItems, { signal: s })),
    );
    counter(
      'lookout.delivery.compressed',
      { description: 'Bytes of the bodies gzip compressed, before and after', unit: 'By', labels: ['signal', 'stage'] },
      (o) =>
        each((s, q) => {
          const c = q.stats.compression;
          if (c === undefined) return;
          o.observe(c.bytesIn, { signal: s, stage: 'before' });
          o.observe(c.bytesOut, { signal: s, stage: 'after' });
        }),
    );
    counter('lookout.delivery.compression.failures', { description: 'Bodies sent uncompressed because gzip failed', unit: '{body}', labels: ['signal'] }, (o) =>
      each((s, q) => {
        if (q.stats.compression !== undefined) o.observe(q.stats.compression.failures, { signal: s });
      }),
    );
  }
  const previous = state.queues.get(signal);
  state.queues.set(signal, queue);
  if (previous !== undefined && previous !== queue) {
    // The new queue counts from 0: its series start again, so OTLP consumers see a reset, not a decrease.
    for (const c of state.counters) (c as Restartable).restartWhere?.('signal', signal);
  }
}
