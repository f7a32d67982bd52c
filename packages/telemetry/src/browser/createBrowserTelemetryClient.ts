import { describeError, makeFetchTransport } from '@lookout/core';
import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import { createClient } from '../client/createClient.js';
import { streamGzip } from '../delivery/compression.js';
import type { EventEncoder } from '../encoding/encoders.js';
import { encodeJsonBatch } from '../encoding/jsonBatch.js';
import type { EncoderContext } from '../encoding/logRecords.js';
import { createOtlpJsonEncoder } from '../encoding/otlpJson.js';
import type { TelemetryClient, TelemetryClientOptions, TelemetryFormat, TelemetryStats } from '../types.js';
import { createIndexedDbStore } from './createIndexedDbStore.js';
import type { IndexedDbStoreOptions } from './createIndexedDbStore.js';
import { installPageHideFlush } from './pageHideFlush.js';

/** Input of {@link createBrowserTelemetryClient}: the client's options plus the page's own. */
export interface BrowserTelemetryClientOptions extends TelemetryClientOptions {
  /** Send what is queued when the page is hidden or closed. Default `true`. */
  flushOnPageHide?: boolean;
  /** Keep events that could not be sent in IndexedDB and send them on a later page load. Off by default. */
  persistence?: boolean | Omit<IndexedDbStoreOptions, 'diagnostics'>;
}

/**
 * The event client for pages: `createTelemetryClient` whose requests use `fetch` with
 * `keepalive` while they fit the page's shared 64 KiB budget (so a batch in flight survives the
 * page closing), gzip through `CompressionStream`, OTLP/JSON by default, page-hide flushing
 * (see `installPageHideFlush`) and optional IndexedDB persistence. Never throws (unless
 * `strict: true` and the options are invalid).
 *
 * Sized for pages: OTLP/JSON is encoded by hand (`format: 'otlp-proto'` gets one diagnostic and
 * sends OTLP/JSON, which every OTLP/HTTP receiver takes), and Lookout's own metrics go to the
 * `registry` passed in, loaded with it on demand; without one they stay in `client.stats` (a page
 * has no default registry that anything exports).
 */
export function createBrowserTelemetryClient(options?: BrowserTelemetryClientOptions): TelemetryClient {
  const input = (typeof options === 'object' && options !== null ? options : {}) as BrowserTelemetryClientOptions;
  const { flushOnPageHide, persistence, ...shared } = input;
  const base: TelemetryClientOptions = { format: 'otlp-json', ...shared };
  if (persistence !== undefined && persistence !== false && base.store === undefined) {
    const idb: IndexedDbStoreOptions = typeof persistence === 'object' && persistence !== null ? { ...persistence } : {};
    if (base.diagnostics !== undefined) idb.diagnostics = base.diagnostics;
    base.store = createIndexedDbStore(idb);
  }
  const { client, internals } = createClient(base, {
    platform: 'browser',
    compress: streamGzip(),
    makeTransport: (o, endpoint) => makeFetchTransport({ url: endpoint, headers: o.headers, timeoutMs: o.sendTimeoutMs, keepalive: true, ...(base.diagnostics === undefined ? {} : { diagnostics: base.diagnostics }) }),
    component: 'createBrowserTelemetryClient',
    createEncoder: createPageEncoder,
    observeStats: observePageStats,
  });
  if (flushOnPageHide !== false) internals.onShutdown(installPageHideFlush(internals));
  return client;
}

function createPageEncoder(format: TelemetryFormat, context: EncoderContext, diagnostics: Diagnostics): EventEncoder {
  if (format === 'json') return encodeJsonBatch;
  if (format === 'otlp-proto') {
    diagnostics.warn('telemetry/browser-format', 'createBrowserTelemetryClient: otlp-proto is not built into the page client; sending otlp-json', 'telemetry:browser-format');
  }
  return createOtlpJsonEncoder(context);
}

function observePageStats(stats: Readonly<TelemetryStats>, signal: string, registry: MetricsRegistry | undefined, diagnostics: Diagnostics): void {
  if (registry === undefined) return;
  import('../client/selfMetrics.js')
    .then((m) => m.observeTelemetryStats(stats, signal, registry))
    .catch((error: unknown) => {
      diagnostics.warn('telemetry/self-metrics-load', `createBrowserTelemetryClient: Lookout's own metrics could not be loaded: ${describeError(error)}`, `${signal}:self-metrics-load`);
    });
}
