// Page-lifecycle parts of @lookout/telemetry: page-hide flushing and IndexedDB persistence.
export { createBrowserTelemetryClient } from './createBrowserTelemetryClient.js';
export type { BrowserTelemetryClientOptions } from './createBrowserTelemetryClient.js';
export { createIndexedDbStore, DEFAULT_IDB_NAME, DEFAULT_IDB_MAX_BATCHES, DEFAULT_IDB_MAX_AGE_MS } from './createIndexedDbStore.js';
export type { IndexedDbStoreOptions } from './createIndexedDbStore.js';
export { MAX_KEEPALIVE_REQUEST_BYTES } from './pageHideFlush.js';
