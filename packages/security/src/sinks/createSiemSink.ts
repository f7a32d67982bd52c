import { createBatchQueue, getDefaultRegistry, getDiagnostics, makeFetchTransport, observeDeliveryStats } from '@lookout/core';
import type { BatchQueue, BatchQueueOptions, FlushResult, Transport } from '@lookout/core';
import { DEFAULT_SIEM_FLUSH_INTERVAL_MS, resolveSiemSinkOptions } from '../config.js';
import type { SiemSinkOptions } from '../config.js';
import { toOcsf } from '../events/toOcsf.js';
import { enqueueOrDrop } from '../internal/enqueueOrDrop.js';
import type { SecurityEvent, SecuritySink } from '../types.js';

/** A sink whose queue is visible, for tests and self-metrics. */
export interface SiemSink extends SecuritySink {
  /** The core delivery queue behind the sink (stats, circuit state). */
  readonly queue: BatchQueue<unknown>;
  flush(deadlineMs?: number): Promise<FlushResult>;
  shutdown(deadlineMs?: number): Promise<FlushResult>;
}

const FAILED_TRANSPORT: Transport = { send: () => Promise.resolve({ kind: 'failure', reason: 'createSiemSink: no url or transport' }) };

/**
 * A sink that POSTs events to a SIEM's HTTP collector, batched, bounded and retried by core's
 * `createBatchQueue` over `makeFetchTransport` (the same delivery machinery every Lookout
 * package uses): backoff with jitter, `Retry-After`, circuit breaker, drop counts exported as
 * `lookout_delivery_*{signal="security"}`. Events are mapped to OCSF by default. Invalid
 * options get a diagnostic; without a `url` or `transport` every batch is dropped as rejected.
 */
export function createSiemSink(options: SiemSinkOptions): SiemSink {
  const o = resolveSiemSinkOptions(options, (options as { diagnostics?: SiemSinkOptions['diagnostics'] } | undefined)?.diagnostics).options ?? {};
  const diagnostics = o.diagnostics ?? getDiagnostics();
  let transport = o.transport;
  if (transport === undefined && o.url !== undefined) {
    transport = makeFetchTransport(o.fetchImpl === undefined ? { url: o.url, headers: o.headers ?? {} } : { url: o.url, headers: o.headers ?? {}, fetchImpl: o.fetchImpl });
  }
  if (transport === undefined) {
    diagnostics.warn('security/siem-no-endpoint', 'createSiemSink: needs a url (or a transport); events are dropped');
    transport = FAILED_TRANSPORT;
  }
  const product = o.product;
  const format = o.format ?? 'ocsf';
  const ndjson = o.encoding === 'ndjson';
  const queueOptions: BatchQueueOptions<unknown> = {
    transport,
    name: 'security-siem',
    diagnostics,
    flushIntervalMs: o.flushIntervalMs ?? DEFAULT_SIEM_FLUSH_INTERVAL_MS,
    encode: (items) =>
      ndjson
        ? { body: items.map((i) => JSON.stringify(i)).join('\n') + '\n', contentType: 'application/x-ndjson' }
        : { body: JSON.stringify(items), contentType: 'application/json' },
  };
  if (o.maxBatchItems !== undefined) queueOptions.maxBatchItems = o.maxBatchItems;
  if (o.maxQueueItems !== undefined) queueOptions.maxQueueItems = o.maxQueueItems;
  if (o.maxQueueBytes !== undefined) queueOptions.maxQueueBytes = o.maxQueueBytes;
  if (o.sendTimeoutMs !== undefined) queueOptions.sendTimeoutMs = o.sendTimeoutMs;
  if (o.retry !== undefined) queueOptions.retry = o.retry;
  if (o.circuit !== undefined) queueOptions.circuit = o.circuit;
  const queue = createBatchQueue<unknown>(queueOptions);
  observeDeliveryStats(queue, 'security', o.registry ?? getDefaultRegistry());

  /** What the queue carries for `event`: its OCSF form, or the event itself; `undefined` when it is not an event. */
  const toItem = (event: unknown): unknown => {
    if (event === null || typeof event !== 'object') return undefined;
    if (format !== 'ocsf') return event;
    try {
      return product === undefined ? toOcsf(event as SecurityEvent) : toOcsf(event as SecurityEvent, product);
    } catch {
      // A host-built object whose fields cannot be read.
      return undefined;
    }
  };

  return {
    name: 'siem',
    queue,
    write(event: SecurityEvent) {
      enqueueOrDrop(
        queue,
        toItem(event),
        diagnostics,
        'security/siem-invalid-event',
        'SIEM sink: write() was given something that is not a security event object; it was dropped and counted (lookout_delivery_items_dropped_total{signal="security",reason="invalid"})',
      );
    },
    flush: (deadlineMs) => queue.flush(deadlineMs),
    shutdown: (deadlineMs) => queue.shutdown(deadlineMs),
  };
}
