import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * A fresh token: 32 random bytes as 64 hex characters. Hex rather than base64url because the
 * token is also the public key of the viewer's Sentry DSN, which Sentry SDKs accept as `\w+` only.
 */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compares in constant time (for equal lengths), so response times do not leak the token. */
export function tokenEquals(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The token a request carries: `?token=`, `Authorization: Bearer …`, `x-lookout-token`, or, for
 * Sentry SDKs whose DSN key is the token, `?sentry_key=` / `X-Sentry-Auth: … sentry_key=…`.
 */
export function tokenOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token') ?? query.get('sentry_key');
  if (fromQuery !== null) return fromQuery;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-lookout-token'];
  if (typeof header === 'string') return header;
  const sentry = req.headers['x-sentry-auth'];
  if (typeof sentry === 'string') {
    const match = /sentry_key=([^,\s]+)/.exec(sentry);
    if (match !== null) return match[1];
  }
  return undefined;
}

/**
 * The `Host` values the viewer answers to: loopback names with its port. Anything else (a DNS
 * name that rebinds to 127.0.0.1, another port) is refused, which defeats DNS rebinding.
 */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** Whether `origin` is an `http://` page served from this machine (any port). */
export function isLoopbackOrigin(origin: string): boolean {
  return LOOPBACK_ORIGIN.test(origin);
}
