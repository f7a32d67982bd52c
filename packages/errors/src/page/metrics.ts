// Loaded with a dynamic import() only when the page capture was given a registry.
import { createStandardMetrics } from '@lookout/core';
import type { Counter, MetricsRegistry } from '@lookout/core';

/** The page capture's counters: core's `{ns}_errors_total{category,severity}` and the full tracker's `lookout_errors_suppressed_total{reason}`. */
export function createPageCounters(registry: MetricsRegistry, namespace: string): { errors: Counter<'category' | 'severity'>; suppressed: Counter<'reason'> } {
  return {
    errors: createStandardMetrics({ namespace, registry }).errors,
    suppressed: registry.counter('lookout.errors.suppressed', {
      description: 'Error records not forwarded to sinks, by reason (rate_limited, before_capture, ignored)',
      unit: '{error}',
      labels: ['reason'],
    }),
  };
}
