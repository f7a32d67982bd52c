import { createDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';

/**
 * Diagnostics that keep every error, warning and info message (deduplicated as usual, never rate-limited away).
 * With `level: 'warn'` info messages are dropped, as by default.
 */
export function recordingDiagnostics(level: 'info' | 'warn' = 'info'): { diagnostics: Diagnostics; messages: string[] } {
  const messages: string[] = [];
  const push = (message: string): void => {
    messages.push(message);
  };
  return { diagnostics: createDiagnostics({ level, maxPerMinute: 100_000, logger: { error: push, warn: push, info: push, debug: () => {} } }), messages };
}
