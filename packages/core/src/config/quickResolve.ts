import { getDiagnostics } from '../diagnostics/index.js';
import type { Diagnostics } from '../diagnostics/index.js';
import { LookoutConfigError } from './LookoutConfigError.js';

/**
 * Whether one option's value is acceptable (`true`); must agree with the field's schema. An
 * unacceptable value gives `false`, or the key inside it that is wrong (named in the diagnostic as
 * `field.key`).
 */
export type FieldCheck = (value: unknown) => boolean | string;

/** What {@link quickResolve} found. */
export interface QuickResolveResult {
  /** The acceptable fields of the input (unknown and invalid ones removed, so their defaults apply). */
  options: Record<string, unknown>;
  /** Paths of the fields removed (`''` when the input itself was not an object). */
  invalid: string[];
}

/**
 * Options checking without zod, for bundles where every kilobyte counts (pages): each own field
 * of `input` is tested by its check in `fields`; unknown fields and invalid values are removed, so
 * their defaults apply, as `resolveOptions` does with a schema. The checks must accept exactly
 * what the package's schema accepts (hold them to it with a property test).
 * Each removed field gets one diagnostic naming it (the schema, loaded by hosts that want its
 * wording, stays out of the page); with `strict: true` in the input, a `LookoutConfigError`
 * naming the fields is thrown instead. Never throws otherwise.
 */
export function quickResolve(
  input: unknown,
  fields: Readonly<Record<string, FieldCheck>>,
  component: string,
  diagnostics?: Diagnostics,
): QuickResolveResult {
  const options: Record<string, unknown> = {};
  const invalid: string[] = [];
  let strict = false;
  try {
    if (input !== undefined) {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) invalid.push('');
      else {
        strict = (input as { strict?: unknown }).strict === true;
        for (const key of Object.keys(input)) {
          const value = (input as Record<string, unknown>)[key];
          const known = Object.prototype.hasOwnProperty.call(fields, key);
          if (value === undefined && known) continue;
          const verdict = known ? fields[key]?.(value) : false;
          if (verdict === true) options[key] = value;
          else invalid.push(typeof verdict === 'string' ? `${key}.${verdict}` : key);
        }
      }
    }
  } catch {
    // Hostile getters or proxies: nothing of the input is trusted.
    for (const key of Object.keys(options)) delete options[key];
    invalid.push('');
  }
  if (invalid.length === 0) return { options, invalid };
  if (strict) throw new LookoutConfigError(component, invalid.map((path) => ({ path, message: path === '' ? 'must be an object' : 'invalid' })));
  const diag = diagnostics ?? getDiagnostics();
  for (const path of invalid) {
    diag.warn('config.invalid', `${component}: ${path || '(options)'}: ${path === '' ? 'must be an object' : 'invalid or unknown'}; the default is used`, `${component}\u0000${path}`);
  }
  return { options, invalid };
}

/**
 * The `diagnostics` of host options when it looks like a {@link Diagnostics}, else `undefined`;
 * read before validation so that problems with the other options go to the host's own.
 * Never throws (hostile getters give `undefined`).
 */
export function diagnosticsIn(input: unknown): Diagnostics | undefined {
  try {
    const d = (input as { diagnostics?: Diagnostics } | null | undefined)?.diagnostics;
    return typeof d === 'object' && d !== null && typeof d.warn === 'function' && typeof d.internalError === 'function' ? d : undefined;
  } catch {
    return undefined;
  }
}

// Field checks the zod-free option checks share (each package builds its table from these).

/** An object made by `{}` or `Object.create(null)`: not an array, not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));
}
/** Accepts a boolean. */
export const booleanField: FieldCheck = (v) => typeof v === 'boolean';
/** Accepts a function. */
export const functionField: FieldCheck = (v) => typeof v === 'function';
/** Accepts a string of `min` to `max` characters. */
export function textField(min: number, max: number): FieldCheck {
  return (v) => typeof v === 'string' && v.length >= min && v.length <= max;
}
/** Accepts an object that has each of `names` as a method (a registry, a sink, a diagnostics). */
export function methodsField(...names: string[]): FieldCheck {
  return (v) => typeof v === 'object' && v !== null && names.every((name) => typeof (v as Record<string, unknown>)[name] === 'function');
}
