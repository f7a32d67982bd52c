import type { Diagnostics } from '@lookout/core';
import { createIndexedDbStore } from '../browser/createIndexedDbStore.js';
import type { EventStore, TelemetryEvent } from '../types.js';

/** IndexedDB database of page clients (apart from the full browser client's). */
export const PAGE_IDB_NAME = 'lookout-page-telemetry';

/**
 * The page client's store, loaded on demand (`persistence: true`): telemetry's IndexedDB store,
 * whose `load` keeps only entries `isEvent` accepts (passed in, so this chunk never imports the client).
 */
export function openPageStore(diagnostics: Diagnostics, isEvent: (e: unknown) => e is TelemetryEvent): EventStore {
  const store = createIndexedDbStore({ dbName: PAGE_IDB_NAME, diagnostics });
  return {
    save: (events) => store.save(events),
    load: async (onExpired) => (await store.load(onExpired)).filter(isEvent),
    clear: () => store.clear(),
  };
}
