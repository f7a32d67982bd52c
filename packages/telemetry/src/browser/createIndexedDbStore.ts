import { describeError, getDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import type { EventStore, TelemetryEvent } from '../types.js';

/** Default IndexedDB database name. */
export const DEFAULT_IDB_NAME = 'lookout-telemetry';
/** Default most saved batches kept; a save past it is refused (and the events counted as dropped). */
export const DEFAULT_IDB_MAX_BATCHES = 200;
/** Default age past which saved events are discarded when loaded: 7 days. */
export const DEFAULT_IDB_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const STORE_NAME = 'events';
const DB_VERSION = 1;

/** Input of {@link createIndexedDbStore}. */
export interface IndexedDbStoreOptions {
  /** Database name; one per app and endpoint. Default {@link DEFAULT_IDB_NAME}. */
  dbName?: string;
  /** Most batches kept. Default {@link DEFAULT_IDB_MAX_BATCHES}. */
  maxBatches?: number;
  /** Saved events older than this are discarded when loaded. Default 7 days. */
  maxAgeMs?: number;
  /** Where failed writes are reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
}

// The slice of the IndexedDB API used here; the package compiles without DOM types.
interface IdbRequest<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbObjectStore {
  add(value: unknown): IdbRequest<unknown>;
  getAll(): IdbRequest<unknown[]>;
  clear(): IdbRequest<undefined>;
  count(): IdbRequest<number>;
}
interface IdbTransaction {
  objectStore(name: string): IdbObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  readonly error: unknown;
}
interface IdbDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, options: { autoIncrement: boolean }): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite'): IdbTransaction;
}
interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest;
}

interface SavedBatch {
  savedAt: number;
  events: TelemetryEvent[];
}

/**
 * An {@link EventStore} in IndexedDB, for events a page could not send (queued when it was
 * hidden for good, or given up on after retries): one record per save, bounded in records and
 * age. `save` answers at once from a count kept in memory and writes in the background; a
 * failed write is reported as a diagnostic naming how many events were lost. Where IndexedDB
 * is missing (private modes, workers without it) `save` returns `false`, so the events are
 * counted as dropped. Never throws.
 */
export function createIndexedDbStore(options: IndexedDbStoreOptions = {}): EventStore {
  const dbName = typeof options.dbName === 'string' && options.dbName.length > 0 ? options.dbName : DEFAULT_IDB_NAME;
  const maxBatches = positiveOr(options.maxBatches, DEFAULT_IDB_MAX_BATCHES);
  const maxAgeMs = positiveOr(options.maxAgeMs, DEFAULT_IDB_MAX_AGE_MS);
  const diagnostics = (): Diagnostics => options.diagnostics ?? getDiagnostics();
  let db: Promise<IdbDatabase> | undefined;
  let knownBatches: number | undefined;

  const open = (): Promise<IdbDatabase> => {
    db ??= new Promise<IdbDatabase>((resolve, reject) => {
      const factory = (globalThis as { indexedDB?: IdbFactory }).indexedDB;
      if (factory === undefined) {
        reject(new Error('IndexedDB is not available'));
        return;
      }
      const request = factory.open(dbName, DB_VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE_NAME)) request.result.createObjectStore(STORE_NAME, { autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.catch(() => {
      db = undefined;
    });
    return db;
  };

  const run = async <T>(mode: 'readonly' | 'readwrite', work: (store: IdbObjectStore) => IdbRequest<T>): Promise<T> => {
    const database = await open();
    return new Promise<T>((resolve, reject) => {
      const tx = database.transaction(STORE_NAME, mode);
      const request = work(tx.objectStore(STORE_NAME));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };

  return {
    save(events) {
      if (!Array.isArray(events) || events.length === 0) return true;
      if ((globalThis as { indexedDB?: unknown }).indexedDB === undefined) return false;
      if (knownBatches !== undefined && knownBatches >= maxBatches) {
        diagnostics().warn('telemetry/idb-full', `telemetry store: ${dbName} holds ${knownBatches} batches; ${events.length} event(s) not kept`, `idb-full:${dbName}`);
        return false;
      }
      knownBatches = (knownBatches ?? 0) + 1;
      const record: SavedBatch = { savedAt: Date.now(), events: [...events] };
      void run('readwrite', (store) => store.add(record)).catch((error: unknown) => {
        knownBatches = Math.max(0, (knownBatches ?? 1) - 1);
        diagnostics().warn('telemetry/idb-write', `telemetry store: ${events.length} event(s) lost, IndexedDB write failed: ${describeError(error)}`, `idb-write:${dbName}`);
      });
      return true;
    },

    async load(onExpired) {
      const out: TelemetryEvent[] = [];
      let records: unknown[];
      try {
        // Read and clear in one transaction, so two tabs never both get the same events.
        const database = await open();
        records = await new Promise<unknown[]>((resolve, reject) => {
          const tx = database.transaction(STORE_NAME, 'readwrite');
          const store = tx.objectStore(STORE_NAME);
          const all = store.getAll();
          all.onsuccess = () => store.clear();
          tx.oncomplete = () => resolve(all.result);
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } catch {
        return out;
      }
      knownBatches = 0;
      const now = Date.now();
      for (const record of records) {
        const batch = record as Partial<SavedBatch> | null;
        if (batch === null || typeof batch !== 'object' || typeof batch.savedAt !== 'number' || !Array.isArray(batch.events)) continue;
        if (now - batch.savedAt > maxAgeMs) {
          try {
            onExpired?.(batch.events.length);
          } catch (error) {
            diagnostics().internalError(error, 'telemetry.idb.onExpired');
          }
          continue;
        }
        for (const event of batch.events) out.push(event);
      }
      return out;
    },

    async clear() {
      try {
        await run('readwrite', (store) => store.clear());
        knownBatches = 0;
      } catch {
        // Nothing stored, or no IndexedDB.
      }
    },
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
