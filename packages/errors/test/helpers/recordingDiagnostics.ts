import { createDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';

/** Diagnostics at level `warn` whose warnings and errors are kept in `messages`, and internal errors in `internal`. */
export function recordingDiagnostics(): { diagnostics: Diagnostics; messages: string[]; internal: string[] } {
  const messages: string[] = [];
  const internal: string[] = [];
  const diagnostics = createDiagnostics({
    level: 'warn',
    logger: { error: (m) => messages.push(m), warn: (m) => messages.push(m), info: () => {}, debug: () => {} },
    onInternalError: (error, where) => internal.push(`${where}: ${String(error)}`),
  });
  return { diagnostics, messages, internal };
}
