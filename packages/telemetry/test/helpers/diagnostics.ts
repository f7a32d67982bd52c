import { createDiagnostics } from '@lookout/core';
import type { Diagnostics, Logger } from '@lookout/core';

/** Diagnostics at `warn` that keep every warning and error (no per-minute limit worth hitting in a test). */
export function recordingDiagnostics(): { diagnostics: Diagnostics; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => undefined, debug: () => undefined };
  return { diagnostics: createDiagnostics({ logger, level: 'warn', maxPerMinute: 10_000 }), warnings };
}
