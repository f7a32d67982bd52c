interface UrlLike {
  protocol: string;
  origin: string;
  toString(): string;
}

/**
 * Parses `input` with the platform's `URL` (every supported runtime has one), reached through
 * `globalThis` so platform-neutral code needs no DOM or Node types. Undefined when it does not parse.
 */
export function parseUrl(input: string): UrlLike | undefined {
  try {
    return new (globalThis as unknown as { URL: new (s: string) => UrlLike }).URL(input);
  } catch {
    return undefined;
  }
}

/** Whether `input` is an absolute http(s) URL. */
export function isHttpUrl(input: string): boolean {
  const u = parseUrl(input);
  return u !== undefined && (u.protocol === 'http:' || u.protocol === 'https:');
}
