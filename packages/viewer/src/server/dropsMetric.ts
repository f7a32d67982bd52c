import type { MetricsRegistry } from '@lookout/core';

/** The `reason` label values of `lookout.viewer.records.dropped`. */
const REASONS = ['sampled', 'slow_stream', 'invalid', 'series_limit'] as const;

/** What one viewer did not show so far, by reason. */
export type ViewerDrops = Record<(typeof REASONS)[number], number>;

interface Viewers {
  live: Set<() => ViewerDrops>;
  /** What the viewers that closed had counted. */
  closed: ViewerDrops;
}

const byRegistry = new WeakMap<MetricsRegistry, Viewers>();

/**
 * Counts a listening viewer's drops in `lookout.viewer.records.dropped` of `registry`. Every
 * viewer on one registry shares the one counter, which reads their sum and keeps what closed
 * viewers counted, so it never goes down. Returns what takes the viewer out when it closes.
 * Throws what the registry throws.
 */
export function countViewerDrops(registry: MetricsRegistry, read: () => ViewerDrops): () => void {
  let viewers = byRegistry.get(registry);
  if (viewers === undefined) {
    const shared: Viewers = { live: new Set(), closed: { sampled: 0, slow_stream: 0, invalid: 0, series_limit: 0 } };
    registry.observableCounter(
      'lookout.viewer.records.dropped',
      { description: 'Records and points the live viewer did not show, by reason (sampled, slow_stream, invalid, series_limit)', labels: ['reason'] },
      (observer) => {
        const total = { ...shared.closed };
        for (const viewer of shared.live) add(total, viewer());
        for (const reason of REASONS) observer.observe(total[reason], { reason });
      },
    );
    byRegistry.set(registry, (viewers = shared));
  }
  const shared = viewers;
  shared.live.add(read);
  return () => {
    if (shared.live.delete(read)) add(shared.closed, read());
  };
}

function add(into: ViewerDrops, drops: ViewerDrops): void {
  for (const reason of REASONS) into[reason] += drops[reason];
}
