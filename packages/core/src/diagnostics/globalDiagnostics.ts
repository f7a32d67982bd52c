import { createDiagnostics } from './createDiagnostics.js';
import type { Diagnostics, DiagnosticsOptions } from './types.js';

let current: Diagnostics | undefined;

/**
 * The process-wide Diagnostics every Lookout package reports through unless it was given its
 * own. Created on first use (level `warn`, console), never at import.
 */
export function getDiagnostics(): Diagnostics {
  return (current ??= createDiagnostics());
}

/** Replaces the process-wide Diagnostics, e.g. to route Lookout's messages to the host's logger. */
export function configureDiagnostics(options: DiagnosticsOptions): Diagnostics {
  current = createDiagnostics(options);
  return current;
}

/** Test helper: forget the process-wide Diagnostics so the next use starts fresh. */
export function resetDiagnosticsForTests(): void {
  current = undefined;
}
