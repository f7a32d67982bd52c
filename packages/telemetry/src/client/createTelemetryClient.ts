import { streamGzip } from '../delivery/compression.js';
import { createEncoder } from '../encoding/encoders.js';
import type { TelemetryClient, TelemetryClientOptions } from '../types.js';
import { createClient } from './createClient.js';
import { observeTelemetryStats } from './selfMetrics.js';

/**
 * Creates an event client that batches events to `options.endpoint` (OTLP/HTTP logs by
 * default) through core's bounded, retrying queue.
 *
 * Every event is built (id, timestamp, session, user, app version, platform), checked against
 * `telemetryEventSchema`, sampled per name, passed to `beforeSend`, scrubbed of PII, then
 * queued. Batches close on count, bytes or age (defaults 200 events, 256 KiB, 2 s); failed sends
 * retry with jittered backoff honouring `Retry-After`, behind a circuit breaker. Every drop is
 * counted by reason in `stats.dropped`, passed to `onDrop` and exported as Lookout's own
 * metrics. Bodies are gzipped where `CompressionStream` exists.
 *
 * This isomorphic client sends with `fetch`. `@lookout/telemetry/node` adds keep-alive
 * connections, zlib, `DO_NOT_TRACK`, exit handling and the on-disk spool;
 * `@lookout/telemetry/browser` adds page-hide flushing and IndexedDB persistence.
 * Never throws (unless `strict: true` and the options are invalid).
 */
export function createTelemetryClient(options?: TelemetryClientOptions): TelemetryClient {
  return createClient(options, {
    compress: streamGzip(),
    component: 'createTelemetryClient',
    createEncoder,
    // Self-metrics only into a registry the host passed: no default registry in code a page may load.
    observeStats: (stats, signal, registry) => {
      if (registry !== undefined) observeTelemetryStats(stats, signal, registry);
    },
  }).client;
}
