import { createDiagnostics } from './createDiagnostics.js';
import type { Diagnostics, DiagnosticsOptions } from './types.js';

// Kept on `globalThis`, so every copy of core in a process or page (ESM and CJS builds, or
// `@lookout/core` and `@lookout/core/page`) reports through the one the host configured.
const DIAGNOSTICS_KEY = Symbol.for('@lookout/core:diagnostics@1');
const slot = (): Record<symbol, Diagnostics | undefined> => globalThis as unknown as Record<symbol, Diagnostics | undefined>;

/**
 * The process-wide Diagnostics every Lookout package reports through unless it was given its
 * own. Created on first use (level `warn`, console), never at import.
 */
export function getDiagnostics(): Diagnostics {
  return (slot()[DIAGNOSTICS_KEY] ??= createDiagnostics());
}

/** Replaces the process-wide Diagnostics, e.g. to route Lookout's messages to the host's logger. */
export function configureDiagnostics(options: DiagnosticsOptions): Diagnostics {
  const created = createDiagnostics(options);
  slot()[DIAGNOSTICS_KEY] = created;
  return created;
}

/** Test helper: forget the process-wide Diagnostics so the next use starts fresh. */
export function resetDiagnosticsForTests(): void {
  slot()[DIAGNOSTICS_KEY] = undefined;
}
