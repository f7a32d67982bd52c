import type { Profile } from '../config/profiles.js';
import type { Diagnostics } from '../diagnostics/index.js';
import { withBudgetProfile } from './defineBudget.js';
import type { Budget } from './types.js';

/** Whether `value` looks like a budget made by `defineBudget()`. */
export function isBudget(value: unknown): value is Budget {
  if (value === null || typeof value !== 'object') return false;
  const b = value as Partial<Budget>;
  return typeof b.id === 'string' && typeof b.metric === 'string' && typeof b.aggregation === 'string' && typeof b.enabled === 'boolean' && typeof b.windowMs === 'number';
}

/**
 * The budgets a monitor or generator can use: enabled ones (disabled ones were reported when
 * defined), others reported once, with the profile applied and ids made unique (`-2`, `-3` …).
 */
export function usableBudgets(input: unknown, diag: Diagnostics, component: string, profile?: Profile): Budget[] {
  const out: Budget[] = [];
  const ids = new Set<string>();
  let list: unknown[];
  try {
    list = Array.isArray(input) ? [...(input as unknown[])] : input === undefined ? [] : [input];
  } catch {
    list = [];
  }
  for (const item of list) {
    if (!isBudget(item)) {
      diag.warn('budget.not-a-budget', `${component}: ignored a value that is not a budget (make budgets with defineBudget())`, `${component}\u0000not-a-budget`);
      continue;
    }
    if (!item.enabled) continue;
    let b = profile !== undefined ? withBudgetProfile(item, profile, { diagnostics: diag }) : item;
    if (!b.enabled) continue;
    if (ids.has(b.id)) {
      let n = 2;
      while (ids.has(`${b.id}-${n}`)) n++;
      diag.warn('budget.duplicate-id', `${component}: two budgets are named "${b.name}"; the second is "${b.id}-${n}"`, `${component}\u0000${b.id}`);
      b = Object.freeze({ ...b, id: `${b.id}-${n}` });
    }
    ids.add(b.id);
    out.push(b);
  }
  return out;
}
