const SECRET_KEY = /(auth|token|secret|password|passwd|api[-_]?key|dsn|cookie|credential|signature|session)/i;
const MASK = '***';

/** A URL with credentials and secret-looking query values masked; a DSN's key too. */
export function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.username !== '') u.username = MASK;
    if (u.password !== '') u.password = MASK;
    for (const key of [...u.searchParams.keys()]) if (SECRET_KEY.test(key)) u.searchParams.set(key, MASK);
    return u.toString().replace(/\*\*\*/g, '***').replace(/%2A%2A%2A/gi, MASK);
  } catch {
    return MASK;
  }
}

/**
 * A copy of resolved options fit to print: header values, keys, DSNs and anything whose name
 * looks secret are masked; URLs lose their credentials; functions and objects such as loggers
 * and registries are named, not printed.
 */
export function maskConfig(value: unknown, key = '', depth = 0): unknown {
  if (depth > 8) return '…';
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && !/^(https?:)/.test(value)) return MASK;
    return /^https?:\/\//.test(value) ? maskUrl(value) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskConfig(v, key, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return `[${(value as object).constructor?.name ?? 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'headers' && v !== null && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.keys(v).map((h) => [h, MASK]));
    } else if (k === 'key' || k === 'env') {
      out[k] = v === undefined ? undefined : k === 'env' ? '[environment]' : MASK;
    } else {
      out[k] = maskConfig(v, k, depth + 1);
    }
  }
  return out;
}
