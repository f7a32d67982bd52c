import { neutraliseControlChars } from '@lookout/core/page';
import { MAX_ROUTE_LENGTH } from '../constants.js';

/** The route label when nothing better is known (no `location`). */
export const UNKNOWN_ROUTE = 'unknown';

// A path segment that is an id, a token or personal data rather than a name: digits, a UUID, long
// hex, 16 or more characters with a digit or one of `=~%+` (JWTs, base64, dotted or encoded
// tokens), an email (`@`, `%40`), or a run of 3 digits (`ORD-2024-000123`: one label per order).
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|(?=.{16}).*[\d=~%+].*)$|@|%40|\d{3}/i;
const MAX_SEGMENTS = 8;

/**
 * A route label of bounded cardinality from a URL path: query and fragment dropped, id-like
 * segments replaced by `:id`, at most 8 segments (the rest become `…`), at most 128 characters.
 */
export function routeFromPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  const segments = bare.split('/').filter((s) => s.length > 0);
  const named = segments.slice(0, MAX_SEGMENTS);
  if (segments.length > MAX_SEGMENTS) named.push('…');
  return cleanRoute(`/${named.join('/')}`) ?? '/';
}

/**
 * A host-given label, trimmed, stripped of control characters, and with each word (between `/`
 * or spaces) that looks like an id, a token or an email replaced by `:id` (as in paths: labels go into
 * events and, unredacted, into histogram labels); `undefined` when empty or not a string. A label
 * over 128 characters is cut before the word (after `/` or a space) that crosses the limit, and
 * ends in `…`: a token cut in its middle would no longer match the event client's scrubber (a JWT
 * needs its three parts), so no part of one is left.
 */
export function cleanRoute(route: unknown): string | undefined {
  if (typeof route !== 'string') return undefined;
  const trimmed = neutraliseControlChars(route)
    .trim()
    .split(/([\s/])/)
    .map((s) => (ID_SEGMENT.test(s) ? ':id' : s))
    .join('');
  if (trimmed.length === 0) return undefined;
  return trimmed.length > MAX_ROUTE_LENGTH ? `${trimmed.slice(0, MAX_ROUTE_LENGTH - 1).replace(/[^/\s]*$/, '')}…` : trimmed;
}

/** The route of the current document, from `location.pathname`. */
export function routeFromLocation(): string {
  const path = (globalThis as { location?: { pathname?: unknown } }).location?.pathname;
  return typeof path === 'string' ? routeFromPath(path) : UNKNOWN_ROUTE;
}
