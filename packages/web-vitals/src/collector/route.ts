import { neutraliseControlChars } from '@lookout/core/page';
import { MAX_ROUTE_LENGTH } from '../constants.js';

/** The route label when nothing better is known (no `location`). */
export const UNKNOWN_ROUTE = 'unknown';

// A path segment that is an id rather than a name: digits, a UUID, long hex, or a long token with digits.
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|(?=[^/]*\d)[A-Za-z0-9_-]{20,})$/i;
const MAX_SEGMENTS = 8;

/**
 * A route label of bounded cardinality from a URL path: query and fragment dropped, id-like
 * segments replaced by `:id`, at most 8 segments (the rest become `…`), at most 128 characters.
 */
export function routeFromPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  const segments = bare.split('/').filter((s) => s.length > 0);
  const named = segments.slice(0, MAX_SEGMENTS).map((s) => (ID_SEGMENT.test(s) ? ':id' : s));
  if (segments.length > MAX_SEGMENTS) named.push('…');
  return cleanRoute(`/${named.join('/')}`) ?? '/';
}

/** A host-given label, trimmed, stripped of control characters and cut to 128 characters; `undefined` when empty or not a string. */
export function cleanRoute(route: unknown): string | undefined {
  if (typeof route !== 'string') return undefined;
  const trimmed = neutraliseControlChars(route).trim();
  if (trimmed.length === 0) return undefined;
  return trimmed.length > MAX_ROUTE_LENGTH ? trimmed.slice(0, MAX_ROUTE_LENGTH) : trimmed;
}

/** The route of the current document, from `location.pathname`. */
export function routeFromLocation(): string {
  const path = (globalThis as { location?: { pathname?: unknown } }).location?.pathname;
  return typeof path === 'string' ? routeFromPath(path) : UNKNOWN_ROUTE;
}
