/** Most distinct keys whose verdict is remembered; keys are few in practice, this bounds abuse. */
const MAX_CACHED_KEYS = 2000;
const NON_ALPHANUMERIC_PATTERN = /[^a-z0-9]/g;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(NON_ALPHANUMERIC_PATTERN, '');
}

/**
 * Builds a key test from string entries (matched by containment after lower-casing and
 * dropping non-alphanumerics) and RegExp entries (tested on the raw key). Verdicts are cached.
 */
export function createKeyMatcher(entries: ReadonlyArray<string | RegExp>): (key: string) => boolean {
  const words = entries.filter((e): e is string => typeof e === 'string').map(normaliseKey).filter(Boolean);
  // Without `g`/`y`, `test` keeps no state between calls.
  const patterns = entries.filter((e) => e instanceof RegExp).map((e) => new RegExp(e.source, e.flags.replace(/[gy]/g, '')));
  const cache = new Map<string, boolean>();
  return (key) => {
    let verdict = cache.get(key);
    if (verdict === undefined) {
      // Bounded, so a host RegExp never sees an absurdly long key.
      const bounded = key.slice(0, 256);
      const normalised = normaliseKey(bounded);
      verdict = words.some((word) => normalised.includes(word)) || patterns.some((pattern) => pattern.test(bounded));
      if (cache.size < MAX_CACHED_KEYS) cache.set(key, verdict);
    }
    return verdict;
  };
}

/**
 * `rewrite(key)` for object keys (an address or a token used as a key), remembered for the first
 * {@link MAX_CACHED_KEYS} keys: keys repeat, objects of one shape after another.
 */
export function createKeyRewriter(rewrite: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let out = cache.get(key);
    if (out === undefined) {
      out = rewrite(key);
      if (cache.size < MAX_CACHED_KEYS) cache.set(key, out);
    }
    return out;
  };
}

/** `key`, or `key#2`, `key#3`… when `target` has it already (two keys masked to the same text). */
export function freeKey(target: object, key: string): string {
  let free = key;
  for (let n = 2; Object.prototype.hasOwnProperty.call(target, free); n++) free = `${key}#${n}`;
  return free;
}
