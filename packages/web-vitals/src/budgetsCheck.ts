import type { FieldCheck } from '@lookout/core/page';
import { VITAL_NAMES } from './constants.js';
import type { VitalName } from './types.js';

const isBudget = (v: unknown): boolean => v === undefined || v === false || (typeof v === 'number' && v > 0 && Number.isFinite(v));

/**
 * The check of the `budgets` option (held to the zod schema of `./schema`): an object of vital
 * names to positive finite numbers, `false` or `undefined`; else the first wrong key. In a module
 * of its own so that `./lite` checks budgets the same way without loading the collector's checks.
 */
export const BUDGETS_CHECK: FieldCheck = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (Object.keys(v).find((k) => !VITAL_NAMES.includes(k as VitalName) || !isBudget((v as Record<string, unknown>)[k])) ?? true) : false;
