import { createRequire } from 'node:module';

let requireFromHere: NodeJS.Require | undefined;

/**
 * Loads a CommonJS-compatible module synchronously, on first use only. Lookout keeps zod and
 * every optional package off the startup path: importing zod alone costs more than the whole
 * cold-start budget of `initMonitoring()`, so it is loaded only when options need a full check.
 */
export function lazyRequire<T>(id: string): T {
  requireFromHere ??= createRequire(import.meta.url);
  return requireFromHere(id) as T;
}
