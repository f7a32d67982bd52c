import type { MetricsRegistry, ObservableCallback } from '@lookout/core';

/** What became of the payloads pushed to one exporter, across the senders it had (`reconfigure()` replaces them). */
export interface PushStats {
  sent: number;
  spooled: number;
  dropped: number;
  /** Spooled by an earlier run, sent in this one. */
  resent: number;
}

const PUSH_OUTCOMES = ['sent', 'spooled', 'dropped', 'resent'] as const;
const SPOOL_OUTCOMES = ['saved', 'refused', 'expired'] as const;

export function newPushStats(): PushStats {
  return { sent: 0, spooled: 0, dropped: 0, resent: 0 };
}

/** Where {@link observeNodeDelivery} reads, at each collection. */
export interface NodeDeliverySources {
  /** By exporter (`pushgateway`, `remote_write`, `otlp`), those configured so far. */
  pushes: ReadonlyMap<string, Readonly<PushStats>>;
  /** By spool folder (`pushgateway`, `remote-write`, `otlp`, `errors` …), those opened so far. */
  spools: ReadonlyMap<string, { readonly stats: Readonly<Record<(typeof SPOOL_OUTCOMES)[number], number>> }>;
  /** Parts loaded in the background, whose calls made meanwhile wait in a bounded buffer. */
  parts: Readonly<Record<string, { readonly droppedCalls: number }>>;
}

/**
 * Exports what `@lookout/node`'s own delivery did, so nothing it drops is lost silently:
 * `lookout_push_payloads_total{exporter,outcome="sent"|"spooled"|"dropped"|"resent"}`,
 * `lookout_spool_payloads_total{spool,outcome="saved"|"refused"|"expired"}` (refused: the spool
 * was full or not writable) and `lookout_buffered_calls_dropped_total{part}` (calls made while a
 * part loaded, past its buffer). Returns a function that stops reading `sources` (at shutdown,
 * so a later `initMonitoring()` reports its own).
 */
export function observeNodeDelivery(registry: MetricsRegistry, sources: NodeDeliverySources): () => void {
  const pushes = registry.observableCounter('lookout.push.payloads', {
    description: 'Metric payloads pushed, by exporter and what became of them',
    unit: '{payload}',
    labels: ['exporter', 'outcome'],
  });
  const readPushes: ObservableCallback<'exporter' | 'outcome'> = (o) => {
    for (const [exporter, stats] of sources.pushes) for (const outcome of PUSH_OUTCOMES) o.observe(stats[outcome], { exporter, outcome });
  };
  const spools = registry.observableCounter('lookout.spool.payloads', {
    description: 'Payloads kept on disk for a later run, by spool and what became of them',
    unit: '{payload}',
    labels: ['spool', 'outcome'],
  });
  const readSpools: ObservableCallback<'spool' | 'outcome'> = (o) => {
    // Label values in snake_case like every other one (the folders are `remote-write` …).
    for (const [folder, { stats }] of sources.spools) for (const outcome of SPOOL_OUTCOMES) o.observe(stats[outcome], { spool: folder.replace(/-/g, '_'), outcome });
  };
  const calls = registry.observableCounter('lookout.buffered.calls.dropped', {
    description: 'Calls made while a part was loading that its buffer could not keep',
    unit: '{call}',
    labels: ['part'],
  });
  const readCalls: ObservableCallback<'part'> = (o) => {
    for (const [part, state] of Object.entries(sources.parts)) o.observe(state.droppedCalls, { part });
  };
  pushes.addCallback(readPushes);
  spools.addCallback(readSpools);
  calls.addCallback(readCalls);
  return () => {
    pushes.removeCallback(readPushes);
    spools.removeCallback(readSpools);
    calls.removeCallback(readCalls);
  };
}
