import { safeGet, safeKeys, safeString } from './safe.js';

/** Most `cause` links followed. */
export const MAX_CAUSE_DEPTH = 5;
/** Keys listed in the message of a thrown non-Error object. */
const MAX_LISTED_KEYS = 8;

/** What could be read from a thrown value, before scrubbing. */
export interface ThrownInfo {
  type: string;
  message: string;
  stack: string | undefined;
  /** Whether the value was an Error (or looked like one). */
  isError: boolean;
  /** The `cause` chain, outermost first, then an AggregateError's inner errors (`source: 'errors[i]'`). */
  causes: { type: string; message: string; stack: string | undefined; source?: string }[];
  /** What else is worth keeping (a thrown object's own fields, the kind of value). */
  extra: Record<string, unknown> | undefined;
}

/**
 * Turns anything thrown into a type, a message and a stack. Errors give theirs; strings become
 * the message; other values are described (`null was thrown`, `Object thrown with keys: a, b`).
 * Reads are guarded, so throwing getters, revoked proxies and cycles never escape.
 */
export function normaliseThrown(value: unknown): ThrownInfo {
  try {
    const error = readError(value);
    if (error === undefined) return describeNonError(value);
    const causes: ThrownInfo['causes'] = [];
    const seen = new Set<unknown>([value]);
    let current = safeGet(value, 'cause');
    while (current != null && causes.length < MAX_CAUSE_DEPTH && !seen.has(current)) {
      seen.add(current);
      const cause = readError(current);
      // A non-Error cause is described, and ends the chain.
      const { type, message, stack } = cause ?? describeNonError(current);
      causes.push({ type, message, stack });
      if (cause === undefined) break;
      current = safeGet(current, 'cause');
    }
    // An AggregateError (Promise.any, driver pools) carries its failures in `errors`.
    const inner = safeGet(value, 'errors');
    if (Array.isArray(inner)) {
      for (let i = 0; i < inner.length && causes.length < MAX_CAUSE_DEPTH; i++) {
        const item: unknown = safeGet(inner, i);
        if (seen.has(item)) continue;
        seen.add(item);
        const { type, message, stack } = readError(item) ?? describeNonError(item);
        causes.push({ type, message, stack, source: `errors[${i}]` });
      }
    }
    return { ...error, isError: true, causes, extra: undefined };
  } catch {
    return { type: 'NonError', message: 'Unreadable value thrown', stack: undefined, isError: false, causes: [], extra: undefined };
  }
}

/**
 * Type, message and stack of an Error, or of an object that looks like one (a string `message`
 * with a string `stack` or `name`); `undefined` for anything else.
 */
function readError(value: unknown): { type: string; message: string; stack: string | undefined } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  let isError: boolean;
  try {
    isError = value instanceof Error;
  } catch {
    return undefined;
  }
  const message = safeGet(value, 'message');
  const stack = safeGet(value, 'stack');
  const name = safeGet(value, 'name');
  if (!isError && !(typeof message === 'string' && (typeof stack === 'string' || typeof name === 'string'))) return undefined;
  let type = typeof name === 'string' ? name : '';
  if (type === '' || type === 'Error') {
    const ctorName = safeGet(safeGet(value, 'constructor'), 'name');
    if (typeof ctorName === 'string' && ctorName !== '' && ctorName !== 'Object') type = ctorName;
  }
  return {
    type: type || 'Error',
    message: typeof message === 'string' ? message : message === undefined ? '' : safeString(message),
    stack: typeof stack === 'string' ? stack : undefined,
  };
}

function describeNonError(value: unknown): ThrownInfo {
  const thrownType = value === null ? 'null' : typeof value;
  let message: string;
  if (value == null) message = `${thrownType} was thrown`;
  else if (thrownType === 'string') message = value as string;
  else if (thrownType === 'function') {
    const name = safeGet(value, 'name');
    message = `Function thrown: ${typeof name === 'string' && name ? name : '<anonymous>'}`;
  } else if (thrownType === 'object') {
    const text = safeGet(value, 'message');
    const keys = safeKeys(value as object);
    message =
      typeof text === 'string' && text !== ''
        ? text
        : `Object thrown with keys: ${keys.length === 0 ? '(none)' : keys.slice(0, MAX_LISTED_KEYS).join(', ') + (keys.length > MAX_LISTED_KEYS ? ', …' : '')}`;
  } else message = `Non-Error thrown: ${safeString(value)}`;
  return { type: 'NonError', message, stack: undefined, isError: false, causes: [], extra: thrownType === 'object' ? { thrownType, thrown: value } : { thrownType } };
}
