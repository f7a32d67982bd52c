import { getDiagnostics } from '../diagnostics/index.js';
import type { Diagnostics } from '../diagnostics/index.js';
import { LookoutConfigError } from './LookoutConfigError.js';
import { diagnosticsField } from './fieldChecks.js';
import type { FieldCheck } from './fieldChecks.js';

export { isPlainObject, booleanField, functionField, textField, methodsField, diagnosticsField } from './fieldChecks.js';
export type { FieldCheck } from './fieldChecks.js';

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
  /** `false` for API arguments that have no `strict` (they never throw): a `strict` key is then unknown like any other. */
  strictAllowed = true,
): QuickResolveResult {
  const options: Record<string, unknown> = {};
  const invalid: string[] = [];
  let strict = false;
  let keys: string[] = [];
  try {
    if (input !== undefined) {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) invalid.push('');
      else keys = Object.keys(input);
    }
  } catch {
    // A proxy whose keys cannot be listed: nothing of the input is trusted.
    invalid.push('');
  }
  for (const key of keys) {
    // Each field on its own: a getter that throws costs that field only.
    try {
      const value = (input as Record<string, unknown>)[key];
      if (key === 'strict' && strictAllowed) strict = value === true;
      const known = Object.prototype.hasOwnProperty.call(fields, key);
      if (value === undefined && known) continue;
      const verdict = known ? fields[key]?.(value) : false;
      if (verdict === true) options[key] = value;
      else invalid.push(typeof verdict === 'string' ? `${key}.${verdict}` : key);
    } catch {
      invalid.push(key);
    }
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
 * The `diagnostics` of host options when it looks like a {@link Diagnostics} (its `warn`, `error`,
 * `info`, `debug` and `internalError` are functions), else `undefined`;
 * read before validation so that problems with the other options go to the host's own.
 * Never throws (hostile getters give `undefined`).
 */
export function diagnosticsIn(input: unknown): Diagnostics | undefined {
  try {
    const d = (input as { diagnostics?: Diagnostics } | null | undefined)?.diagnostics;
    return diagnosticsField(d) === true ? (d as Diagnostics) : undefined;
  } catch {
    return undefined;
  }
}
