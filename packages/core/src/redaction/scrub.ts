import {
  CIRCULAR_MARK,
  DEFAULT_REDACT_MAX_DEPTH,
  DEFAULT_REDACT_MAX_NODES,
  DEFAULT_SENSITIVE_KEYS,
  TEXT_ONLY_SENSITIVE_KEYS,
  TRUNCATED_MARK,
  UNREADABLE_MARK,
} from './constants.js';
import { isLikelyCardNumber } from './luhn.js';
import { API_KEY_RULE, AUTH_SCHEME_RULE, beyondRules, CARD_RULE, EMAIL_RULE, JWT_RULE, mask, sensitivePairsRule, URL_CREDENTIALS_RULE } from './rules.js';
import type { StringRule } from './rules.js';
import type { Redactor } from './types.js';
import { createKeyMatcher, createKeyRewriter, freeKey } from './sensitiveKeys.js';

// The lean path of the redaction module, for pages: the default rules of `createRedactor()`
// (the same rule objects, so the same masks), without its options, hooks, Maps, Sets, Errors
// or string truncation. Built on first use, never at import.
let rules: StringRule[] | undefined;
let isKeySensitive: ((key: string) => boolean) | undefined;
let scrubKey: ((key: string) => string) | undefined;

/**
 * Masks what `createRedactor()` masks by default in one string: credentials in URLs, Bearer and
 * Basic tokens, JWTs, API keys with a vendor prefix, values of sensitive `key=value` pairs,
 * email addresses and card numbers (Luhn-checked), as `[REDACTED:<kind>]`. IP addresses are
 * kept, as by default. A non-string comes back as is. Never throws.
 */
export function scrubString(value: string): string {
  if (typeof value !== 'string' || beyondRules(value)) return value;
  try {
    rules ??= [
      URL_CREDENTIALS_RULE,
      AUTH_SCHEME_RULE,
      JWT_RULE,
      API_KEY_RULE,
      sensitivePairsRule(createKeyMatcher([...DEFAULT_SENSITIVE_KEYS, ...TEXT_ONLY_SENSITIVE_KEYS])),
      EMAIL_RULE,
      CARD_RULE,
    ];
    let s = value;
    for (const rule of rules) s = rule(s);
    return s;
  } catch {
    return UNREADABLE_MARK;
  }
}

/**
 * Returns a scrubbed copy of `value`: strings and object keys go through {@link scrubString},
 * numbers that are card numbers are masked, plain objects and arrays are copied, and the whole
 * value of a sensitive key (`DEFAULT_SENSITIVE_KEYS`: `password`, `token`, `authorization`…),
 * or of an array item after one (`['password', 'hunter2']`), becomes `[REDACTED:key]` unless it
 * is `null` or `undefined`. Anything else (dates, class instances,
 * functions) is kept as is. Past 12 levels or 20,000 values the rest is `'[Truncated]'`; a
 * cycle is `'[Circular]'`; a value that throws when read makes the result `'[Unreadable]'`.
 * Never throws, never mutates `value`.
 */
export function scrubValue<T>(value: T): T {
  const keyTest = (isKeySensitive ??= createKeyMatcher(DEFAULT_SENSITIVE_KEYS));
  const seen: object[] = [];
  let nodes = 0;
  const walk = (v: unknown, depth: number): unknown => {
    nodes++;
    if (typeof v === 'string') return scrubString(v);
    if (typeof v === 'number') return v > 0 && Number.isSafeInteger(v) && isLikelyCardNumber(String(v)) ? mask('credit_card') : v;
    if (typeof v !== 'object' || v === null) return v;
    const isArray = Array.isArray(v);
    if (!isArray && ![Object.prototype, null].includes(Object.getPrototypeOf(v))) return v;
    if (depth >= DEFAULT_REDACT_MAX_DEPTH || nodes > DEFAULT_REDACT_MAX_NODES) return TRUNCATED_MARK;
    if (seen.includes(v)) return CIRCULAR_MARK;
    seen.push(v);
    const masked = (key: unknown, item: unknown): unknown => (item != null && typeof key === 'string' && keyTest(key) ? mask('key') : walk(item, depth + 1));
    let copy: unknown[] | Record<string, unknown>;
    if (isArray) copy = (v as unknown[]).map((item, i, all) => masked(all[i - 1], item));
    else {
      copy = {};
      for (const key of Object.keys(v)) {
        // defineProperty: a `__proto__` key stays an own property and never changes the prototype.
        Object.defineProperty(copy, freeKey(copy, (scrubKey ??= createKeyRewriter(scrubString))(key)), {
          value: masked(key, (v as Record<string, unknown>)[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    seen.pop();
    return copy;
  };
  try {
    return walk(value, 0) as T;
  } catch {
    return UNREADABLE_MARK as T;
  }
}

/**
 * The lean path as a {@link Redactor}, for code that takes one (`@lookout/errors/page`), so a
 * page that already scrubs its events bundles no second redactor.
 */
export const scrubber: Redactor = {
  redact: scrubValue,
  redactString: (value, key) => (typeof key === 'string' && scrubber.isSensitiveKey(key) && value != null ? mask('key') : scrubString(value)),
  isSensitiveKey: (key) => (isKeySensitive ??= createKeyMatcher(DEFAULT_SENSITIVE_KEYS))(key),
};
