/** Reads `obj[key]`, or `undefined` when the read throws (getters, revoked proxies). */
export function safeGet(obj: unknown, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `String(value)`, or a placeholder when that throws (e.g. an object whose `toString` throws). */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

/** Cuts `value` to `max` UTF-16 code units, marking the cut. */
export function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…[truncated]` : value;
}

/** Own enumerable keys, or `[]` when listing them throws (proxies). */
export function safeKeys(value: object): string[] {
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

/**
 * A shallow copy of an object's own enumerable fields, for host input that may be hostile: a
 * field whose getter throws becomes `[Unreadable]`, and an object whose keys cannot be listed
 * (a Proxy) gives `{}`. Anything but an object gives `{}`. Never throws.
 */
export function safeCopy(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const key of safeKeys(value)) {
    try {
      out[key] = (value as Record<string, unknown>)[key];
    } catch {
      out[key] = '[Unreadable]';
    }
  }
  return out;
}

/** Whether `value` is a non-null, non-array object. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
