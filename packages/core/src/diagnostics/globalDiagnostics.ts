import { functionField, integerField, methodsField, oneOfField, type FieldCheck } from '../config/fieldChecks.js';
import { quickResolve } from '../config/quickResolve.js';
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

/**
 * The checks of {@link DiagnosticsOptions}, without zod (the root entry stays zod-free). Built on
 * call, not at import: a page bundle that never configures diagnostics keeps none of it.
 */
function diagnosticsFields(): Readonly<Record<keyof DiagnosticsOptions, FieldCheck>> {
  return {
    logger: methodsField('error', 'warn', 'info', 'debug'),
    level: oneOfField('none', 'error', 'warn', 'info', 'debug'),
    // 0 or a negative limit would silence every later diagnostic.
    maxPerMinute: integerField(1),
    onInternalError: functionField,
    now: functionField,
  };
}

/**
 * Replaces the process-wide Diagnostics, e.g. to route Lookout's messages to the host's logger.
 * Options are checked like every option object: an invalid or unknown field gets one
 * diagnostic naming it (`config.invalid`), reported through the new sink, and takes its
 * default. Never throws.
 */
export function configureDiagnostics(options: DiagnosticsOptions): Diagnostics {
  // Problems are held until the sink exists, and go where the host now looks for them.
  const problems: Array<[code: string, message: string, key: string | undefined]> = [];
  const holder = { warn: (code: string, message: string, key?: string) => void problems.push([code, message, key]) } as Diagnostics;
  const valid = quickResolve(options, diagnosticsFields(), 'configureDiagnostics', holder, false).options as DiagnosticsOptions;
  const created = createDiagnostics(valid);
  for (const [code, message, key] of problems) created.warn(code, message, key);
  slot()[DIAGNOSTICS_KEY] = created;
  return created;
}

/** Test helper: forget the process-wide Diagnostics so the next use starts fresh. */
export function resetDiagnosticsForTests(): void {
  slot()[DIAGNOSTICS_KEY] = undefined;
}
