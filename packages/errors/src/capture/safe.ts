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

/** Whether `value` is a non-null, non-array object. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
