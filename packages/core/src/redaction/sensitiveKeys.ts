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
