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
  const words: string[] = [];
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      const word = normaliseKey(entry);
      if (word.length > 0) words.push(word);
    } else if (entry instanceof RegExp) {
      // Without `g`/`y`, `test` keeps no state between calls.
      patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, '')));
    }
  }
  const cache = new Map<string, boolean>();
  return (key) => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    // Bounded, so a host RegExp never sees an absurdly long key.
    const bounded = key.length > 256 ? key.slice(0, 256) : key;
    const normalised = normaliseKey(bounded);
    let verdict = words.some((word) => normalised.includes(word));
    if (!verdict) verdict = patterns.some((pattern) => pattern.test(bounded));
    if (cache.size < MAX_CACHED_KEYS) cache.set(key, verdict);
    return verdict;
  };
}
