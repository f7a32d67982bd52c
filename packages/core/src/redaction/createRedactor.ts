import { getDiagnostics } from '../diagnostics/index.js';
import type { Diagnostics } from '../diagnostics/index.js';
import {
  CIRCULAR_MARK,
  DEFAULT_REDACT_MAX_DEPTH,
  DEFAULT_REDACT_MAX_NODES,
  DEFAULT_REDACT_MAX_STRING_LENGTH,
  DEFAULT_SENSITIVE_KEYS,
  STRING_TRUNCATED_SUFFIX,
  TEXT_ONLY_SENSITIVE_KEYS,
  TRUNCATED_MARK,
  UNREADABLE_MARK,
} from './constants.js';
import { isLikelyCardNumber } from './luhn.js';
import { beyondRules, buildRules, mask } from './rules.js';
import type { StringRule } from './rules.js';
import { createKeyMatcher, createKeyRewriter, freeKey } from './sensitiveKeys.js';
import type { Redactor, RedactorOptions } from './types.js';

interface CustomRule {
  pattern: RegExp;
  token: string;
}

interface WalkState {
  ancestors: WeakSet<object>;
  nodes: number;
}

const KIND_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const KEY_MASK = mask('key');
const CARD_MASK = mask('credit_card');

/** How far past `maxStringLength` the rules read, so a secret the cut crosses is seen whole: the longest token they mask. */
const CUT_LOOKAHEAD = 65_536;

/**
 * Creates a {@link Redactor}. With no options it masks emails, tokens, JWTs, API keys,
 * `password=…`-style pairs and card numbers, and the values of sensitive keys
 * ({@link DEFAULT_SENSITIVE_KEYS}); IP addresses only with `ips: true`. Masks look like
 * `[REDACTED:email]`. Invalid options are reported once and replaced by their defaults.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const o: RedactorOptions = typeof options === 'object' && options !== null ? options : {};
  const diagnostics = (): Diagnostics => o.diagnostics ?? getDiagnostics();
  const invalid: string[] = [];
  if (o !== options) invalid.push('options');

  const flag = (name: keyof RedactorOptions, fallback: boolean): boolean => {
    const value = o[name];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    invalid.push(name);
    return fallback;
  };
  const limit = (name: keyof RedactorOptions, fallback: number): number => {
    const value = o[name];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    invalid.push(name);
    return fallback;
  };
  const keyList = (name: 'sensitiveKeys' | 'additionalSensitiveKeys', fallback: ReadonlyArray<string | RegExp>) => {
    const value = o[name];
    if (value === undefined) return fallback;
    if (Array.isArray(value)) {
      const good = value.filter((k): k is string | RegExp => typeof k === 'string' || k instanceof RegExp);
      if (good.length !== value.length) invalid.push(name);
      return good;
    }
    invalid.push(name);
    return fallback;
  };

  const maxDepth = limit('maxDepth', DEFAULT_REDACT_MAX_DEPTH);
  const maxStringLength = limit('maxStringLength', DEFAULT_REDACT_MAX_STRING_LENGTH);
  const maxNodes = limit('maxNodes', DEFAULT_REDACT_MAX_NODES);
  const creditCards = flag('creditCards', true);
  const objectKeys = [...keyList('sensitiveKeys', DEFAULT_SENSITIVE_KEYS), ...keyList('additionalSensitiveKeys', [])];
  const isSensitiveKey = createKeyMatcher(objectKeys);
  const isTextKeySensitive = createKeyMatcher([...objectKeys, ...TEXT_ONLY_SENSITIVE_KEYS]);
  const rules: StringRule[] = buildRules({
    emails: flag('emails', true),
    secrets: flag('secrets', true),
    creditCards,
    ips: flag('ips', false),
    isTextKeySensitive,
  });

  const custom: CustomRule[] = [];
  if (o.patterns !== undefined) {
    const list: unknown[] = Array.isArray(o.patterns) ? o.patterns : [];
    if (!Array.isArray(o.patterns)) invalid.push('patterns');
    for (const entry of list) {
      const pattern = (entry as { pattern?: unknown } | null)?.pattern;
      const kind = (entry as { kind?: unknown } | null)?.kind;
      if (!(pattern instanceof RegExp) || (kind !== undefined && (typeof kind !== 'string' || !KIND_PATTERN.test(kind)))) {
        invalid.push('patterns');
        continue;
      }
      const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
      custom.push({ pattern: new RegExp(pattern.source, flags), token: mask(kind ?? 'custom') });
    }
  }
  const hook = o.redact;
  if (hook !== undefined && typeof hook !== 'function') invalid.push('redact');
  if (invalid.length > 0) {
    diagnostics().warn('redaction/invalid-options', `ignoring invalid redaction options: ${[...new Set(invalid)].join(', ')}`);
  }

  /** The built-in rules, then the host's patterns. */
  const applyRules = (value: string): string => {
    let s = value;
    if (!beyondRules(s)) for (const rule of rules) s = rule(s);
    for (const rule of custom) {
      try {
        rule.pattern.lastIndex = 0;
        s = s.replace(rule.pattern, () => rule.token);
      } catch (error) {
        diagnostics().internalError(error, 'redaction.patterns');
      }
    }
    return s;
  };
  /** An object key, through the rules and patterns (not the host's hook, which sees values). */
  const redactKey = createKeyRewriter(applyRules);

  const redactString = (value: string, key?: string): string => {
    // A long string is cut after the rules, which read past the cut as far as the longest token
    // (64 KiB): cut first, a secret the cut crosses (an address, a JWT) was not recognised and its
    // first part went out in clear.
    let s = value.length > maxStringLength ? applyRules(value.slice(0, maxStringLength + CUT_LOOKAHEAD)).slice(0, maxStringLength) + STRING_TRUNCATED_SUFFIX : applyRules(value);
    if (typeof hook === 'function') {
      try {
        const result = hook(s, key);
        if (typeof result === 'string') s = result;
      } catch (error) {
        diagnostics().internalError(error, 'redaction.redact');
      }
    }
    return s;
  };

  const walk = (value: unknown, key: string | undefined, depth: number, state: WalkState): unknown => {
    state.nodes++;
    if (typeof value === 'string') return redactString(value, key);
    if (typeof value === 'number') {
      return creditCards && Number.isSafeInteger(value) && value > 0 && isLikelyCardNumber(String(value)) ? CARD_MASK : value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (depth >= maxDepth || state.nodes > maxNodes) return TRUNCATED_MARK;
    if (state.ancestors.has(value)) return CIRCULAR_MARK;
    state.ancestors.add(value);
    try {
      return copyObject(value, depth, state);
    } catch {
      return UNREADABLE_MARK;
    } finally {
      state.ancestors.delete(value);
    }
  };

  /** The value under `key` of `source`, masked whole when the key is sensitive. */
  const child = (source: object, key: string, depth: number, state: WalkState): unknown => {
    let value: unknown;
    try {
      value = (source as Record<string, unknown>)[key];
    } catch {
      return UNREADABLE_MARK;
    }
    if (isSensitiveKey(key)) {
      state.nodes++;
      return value === null || value === undefined ? value : KEY_MASK;
    }
    return walk(value, key, depth + 1, state);
  };

  const copyObject = (value: object, depth: number, state: WalkState): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      const length = value.length;
      let previous: unknown;
      for (let i = 0; i < length; i++) {
        if (state.nodes > maxNodes) {
          out.push(TRUNCATED_MARK);
          break;
        }
        let item: unknown;
        try {
          item = value[i];
        } catch {
          item = UNREADABLE_MARK;
        }
        // `['password', 'hunter2']` pairs and flat header lists (`rawHeaders`): a value after a sensitive key.
        out.push(item != null && typeof previous === 'string' && isSensitiveKey(previous) ? KEY_MASK : walk(item, undefined, depth + 1, state));
        previous = item;
      }
      return out;
    }
    if (value instanceof Date) return new Date(value.getTime());
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value) {
        if (state.nodes > maxNodes) break;
        const masked = typeof k === 'string' && isSensitiveKey(k) && v != null ? KEY_MASK : walk(v, typeof k === 'string' ? k : undefined, depth + 1, state);
        out.set(typeof k === 'string' ? redactKey(k) : walk(k, undefined, depth + 1, state), masked);
      }
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<unknown>();
      for (const v of value) {
        if (state.nodes > maxNodes) break;
        out.add(walk(v, undefined, depth + 1, state));
      }
      return out;
    }
    if (value instanceof RegExp || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;

    const proto: unknown = Object.getPrototypeOf(value);
    const isError = value instanceof Error;
    // Errors keep their prototype (instanceof, name); plain objects keep theirs (possibly null);
    // other class instances become plain objects, as JSON would serialise them.
    const out: Record<string, unknown> =
      isError || proto === null || proto === Object.prototype ? Object.create(proto as object | null) : {};
    if (isError) {
      for (const field of ['name', 'message', 'stack', 'cause']) {
        if (Object.prototype.hasOwnProperty.call(value, field) || field === 'name') {
          setOwn(out, field, child(value, field, depth, state));
        }
      }
    }
    for (const key of Object.keys(value)) {
      const name = freeKey(out, redactKey(key));
      if (state.nodes > maxNodes) {
        setOwn(out, name, TRUNCATED_MARK);
        break;
      }
      setOwn(out, name, child(value, key, depth, state));
    }
    return out;
  };

  return {
    redact<T>(value: T): T {
      try {
        return walk(value, undefined, 0, { ancestors: new WeakSet(), nodes: 0 }) as T;
      } catch (error) {
        diagnostics().internalError(error, 'redaction.redact');
        return UNREADABLE_MARK as T;
      }
    },
    redactString(value, key) {
      try {
        // As under that key in an object: a sensitive key masks the value whole.
        if (typeof key === 'string' && isSensitiveKey(key) && value != null) return KEY_MASK;
        return typeof value === 'string' ? redactString(value, key) : (walk(value, key, 0, { ancestors: new WeakSet(), nodes: 0 }) as string);
      } catch (error) {
        diagnostics().internalError(error, 'redaction.redactString');
        return UNREADABLE_MARK;
      }
    },
    isSensitiveKey(key) {
      try {
        return typeof key === 'string' && isSensitiveKey(key);
      } catch {
        return false;
      }
    },
  };
}

/** Defines `key` as an own data property, so a `__proto__` key never changes the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

let defaultRedactor: Redactor | undefined;

/**
 * Redacts `value` with the default rules (see {@link createRedactor}); the shared redactor is
 * created on first use. Never throws; never mutates `value`.
 */
export function redact<T>(value: T): T {
  return (defaultRedactor ??= createRedactor()).redact(value);
}
