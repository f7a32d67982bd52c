/**
 * Returns `map`'s entry for `key`, created with `create()` when missing, and moves it to the end
 * of the Map's order, so the first key is always the least recently used. A new entry evicts
 * that first key once the map holds `max` entries. O(1).
 */
export function touchLru<K, V>(map: Map<K, V>, key: K, max: number, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    if (map.size >= max) {
      const oldest = map.keys().next();
      if (oldest.done !== true) map.delete(oldest.value);
    }
  } else {
    map.delete(key);
  }
  map.set(key, value);
  return value;
}
