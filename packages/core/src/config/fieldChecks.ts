// Field checks the zod-free option checks share (each package builds its table from these), in a
// module of their own: a page that only needs them loads neither quickResolve nor diagnostics.

/**
 * Whether one option's value is acceptable (`true`); must agree with the field's schema. An
 * unacceptable value gives `false`, or the key inside it that is wrong (named in the diagnostic as
 * `field.key`).
 */
export type FieldCheck = (value: unknown) => boolean | string;

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
/** The methods Lookout calls on a host's `Diagnostics`: one missing would throw from inside a catch. */
export const DIAGNOSTICS_METHODS = ['warn', 'error', 'info', 'debug', 'internalError'] as const;

/** Accepts a host's `Diagnostics` (every method of {@link DIAGNOSTICS_METHODS}); every option table's `diagnostics` check. */
export const diagnosticsField: FieldCheck = (v) => methodsField(...DIAGNOSTICS_METHODS)(v);

/** Accepts an object that has each of `names` as a method (a registry, a sink, a diagnostics). */
export function methodsField(...names: string[]): FieldCheck {
  return (v) => typeof v === 'object' && v !== null && names.every((name) => typeof (v as Record<string, unknown>)[name] === 'function');
}
/** Accepts an integer from `min` to `max` (a safe integer by default). */
export function integerField(min: number, max = Number.MAX_SAFE_INTEGER): FieldCheck {
  return (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
/** Accepts a finite number of at least `min`. */
export function finiteNumberField(min: number): FieldCheck {
  return (v) => typeof v === 'number' && Number.isFinite(v) && v >= min;
}
/** Accepts one of `values` (compared with `===`). */
export function oneOfField(...values: readonly unknown[]): FieldCheck {
  return (v) => values.includes(v);
}
