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
  /** The `cause` chain, outermost first. */
  causes: { type: string; message: string; stack: string | undefined }[];
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
    if (looksLikeError(value)) {
      const base = readError(value);
      return { ...base, isError: true, causes: readCauses(value), extra: undefined };
    }
    return describeNonError(value);
  } catch {
    return { type: 'NonError', message: 'Unreadable value thrown', stack: undefined, isError: false, causes: [], extra: undefined };
  }
}

function looksLikeError(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  try {
    if (value instanceof Error) return true;
  } catch {
    return false;
  }
  return typeof safeGet(value, 'message') === 'string' && (typeof safeGet(value, 'stack') === 'string' || typeof safeGet(value, 'name') === 'string');
}

function readError(error: object): { type: string; message: string; stack: string | undefined } {
  const name = safeGet(error, 'name');
  let type = typeof name === 'string' && name !== '' ? name : '';
  if (type === '' || type === 'Error') {
    const ctorName = safeGet(safeGet(error, 'constructor'), 'name');
    if (typeof ctorName === 'string' && ctorName !== '' && ctorName !== 'Object') type = ctorName;
  }
  if (type === '') type = 'Error';
  const message = safeGet(error, 'message');
  const stack = safeGet(error, 'stack');
  return {
    type,
    message: typeof message === 'string' ? message : message === undefined ? '' : safeString(message),
    stack: typeof stack === 'string' ? stack : undefined,
  };
}

function readCauses(error: object): ThrownInfo['causes'] {
  const causes: ThrownInfo['causes'] = [];
  const seen = new Set<unknown>([error]);
  let current: unknown = safeGet(error, 'cause');
  while (current !== undefined && current !== null && causes.length < MAX_CAUSE_DEPTH && !seen.has(current)) {
    seen.add(current);
    if (looksLikeError(current)) {
      causes.push(readError(current));
      current = safeGet(current, 'cause');
    } else {
      const info = describeNonError(current);
      causes.push({ type: info.type, message: info.message, stack: undefined });
      break;
    }
  }
  return causes;
}

function describeNonError(value: unknown): ThrownInfo {
  const base = { type: 'NonError', stack: undefined, isError: false, causes: [] as ThrownInfo['causes'] };
  if (value === null || value === undefined) {
    return { ...base, message: `${String(value)} was thrown`, extra: { thrownType: String(value) } };
  }
  switch (typeof value) {
    case 'string':
      return { ...base, message: value, extra: { thrownType: 'string' } };
    case 'function': {
      const name = safeGet(value, 'name');
      return { ...base, message: `Function thrown: ${typeof name === 'string' && name ? name : '<anonymous>'}`, extra: { thrownType: 'function' } };
    }
    case 'object': {
      const message = safeGet(value, 'message');
      const keys = safeKeys(value);
      const text =
        typeof message === 'string' && message !== ''
          ? message
          : `Object thrown with keys: ${keys.length === 0 ? '(none)' : keys.slice(0, MAX_LISTED_KEYS).join(', ') + (keys.length > MAX_LISTED_KEYS ? ', …' : '')}`;
      return { ...base, message: text, extra: { thrownType: 'object', thrown: value } };
    }
    default:
      return { ...base, message: `Non-Error thrown: ${safeString(value)}`, extra: { thrownType: typeof value } };
  }
}
