import { makeFetchTransport } from '@lookout/core';
import { createClient } from '../client/createClient.js';
import { streamGzip } from '../delivery/compression.js';
import type { TelemetryClient, TelemetryClientOptions } from '../types.js';
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
    makeTransport: (o, endpoint) => makeFetchTransport({ url: endpoint, headers: o.headers, timeoutMs: o.sendTimeoutMs, keepalive: true }),
    component: 'createBrowserTelemetryClient',
  });
  if (flushOnPageHide !== false) internals.onShutdown(installPageHideFlush(internals));
  return client;
}
