/**
 * A Map that keeps at most `max` keys: inserting past the bound evicts the least recently
 * touched key (Map iteration order is insertion order, and `touch` re-inserts). Per-key state
 * (detectors, error groups, rate limits) lives in one, so a flood of distinct keys cannot grow
 * memory without bound. Every operation is O(1) but `sweep`.
 */
export class BoundedMap<K, V> {
  private readonly _map = new Map<K, V>();
  /** Keys evicted because the map was full. */
  evictions = 0;

  constructor(private readonly _max: number) {}

  get size(): number {
    return this._map.size;
  }

  get(key: K): V | undefined {
    return this._map.get(key);
  }

  has(key: K): boolean {
    return this._map.has(key);
  }

  /**
   * Returns the value for `key`, creating it with `create()` when missing, and marks it as
   * recently used (evicting the least recently used key when full).
   */
  upsert(key: K, create: () => V): V {
    const value = this.touch(key);
    if (value !== undefined) return value;
    const created = create();
    this.set(key, created);
    return created;
  }

  /** Gets and marks `key` as recently used. */
  touch(key: K): V | undefined {
    const value = this._map.get(key);
    if (value !== undefined) {
      this._map.delete(key);
      this._map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this._map.has(key)) this._map.delete(key);
    else if (this._map.size >= this._max) {
      const oldest = this._map.keys().next();
      if (oldest.done !== true) {
        this._map.delete(oldest.value);
        this.evictions++;
      }
    }
    this._map.set(key, value);
  }

  delete(key: K): boolean {
    return this._map.delete(key);
  }

  clear(): void {
    this._map.clear();
  }

  entries(): IterableIterator<[K, V]> {
    return this._map.entries();
  }

  values(): IterableIterator<V> {
    return this._map.values();
  }

  /** Deletes every entry for which `expired` is true; returns how many. */
  sweep(expired: (value: V, key: K) => boolean): number {
    let n = 0;
    for (const [k, v] of this._map) {
      if (expired(v, k)) {
        this._map.delete(k);
        n++;
      }
    }
    return n;
  }
}
