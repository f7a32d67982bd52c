// An in-memory stand-in for the slice of IndexedDB that telemetry's store uses (open with an
// upgrade, one object store with autoIncrement, add/getAll/clear/count in transactions that
// complete after their requests). Values are structured-cloned, as IndexedDB does. Unit tests
// only: the real thing is exercised in headless Chromium.

type Handler = (() => void) | null;

interface FakeRequest<T> {
  result: T;
  error: unknown;
  onsuccess: Handler;
  onerror: Handler;
}

/** A fake `indexedDB` whose databases live as long as the object: two clients on it are two page loads. */
export function createFakeIndexedDb() {
  const databases = new Map<string, Map<string, unknown[]>>();
  const later = (fn: () => void) => void Promise.resolve().then(fn);

  const request = <T>(compute: () => T): FakeRequest<T> => {
    const req: FakeRequest<T> = { result: undefined as T, error: null, onsuccess: null, onerror: null };
    later(() => {
      req.result = compute();
      req.onsuccess?.();
    });
    return req;
  };

  const database = (stores: Map<string, unknown[]>) => ({
    objectStoreNames: { contains: (name: string) => stores.has(name) },
    createObjectStore(name: string) {
      stores.set(name, []);
    },
    transaction(name: string) {
      let pending = 0;
      const tx = { oncomplete: null as Handler, onerror: null as Handler, onabort: null as Handler, error: null as unknown, objectStore: () => store };
      const track = <T>(compute: () => T) => {
        pending++;
        const req = request(compute);
        // The transaction completes once its requests (and those their handlers add) have run.
        later(() => later(() => --pending === 0 && later(() => later(() => tx.oncomplete?.()))));
        return req;
      };
      const rows = () => stores.get(name) as unknown[];
      const store = {
        add: (value: unknown) => track(() => void rows().push(structuredClone(value))),
        getAll: () => track(() => rows().map((r) => structuredClone(r))),
        clear: () => track(() => void rows().splice(0)),
        count: () => track(() => rows().length),
      };
      return tx;
    },
  });

  return {
    open(name: string) {
      const req = { result: undefined as unknown, error: null, onsuccess: null as Handler, onerror: null as Handler, onupgradeneeded: null as Handler };
      later(() => {
        let stores = databases.get(name);
        const fresh = stores === undefined;
        if (stores === undefined) databases.set(name, (stores = new Map()));
        req.result = database(stores);
        if (fresh) req.onupgradeneeded?.();
        req.onsuccess?.();
      });
      return req;
    },
    /** Whether `db` has been opened (the store chunk has loaded and read it). */
    opened: (db: string) => databases.has(db),
    /** Rows stored in `db`'s `store` (for assertions). */
    rows: (db: string, store = 'events') => databases.get(db)?.get(store) ?? [],
  };
}
