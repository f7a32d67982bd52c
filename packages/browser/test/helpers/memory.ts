import { createDiagnostics } from '@lookout/core';
import { vi } from 'vitest';
import type { Diagnostics } from '@lookout/core';

/** The endpoint the fake `fetch` of {@link memoryFetch} answers. */
export const MEMORY_ENDPOINT = 'https://collector.test/v1/logs';

/**
 * Replaces `globalThis.fetch` (restored by vitest's `unstubAllGlobals`) with one that answers 200
 * to every POST to {@link MEMORY_ENDPOINT} and keeps each OTLP/JSON log record it carried, decoded
 * to `{ name, attributes }`.
 */
export function memoryFetch(): { events: Array<{ name: string; attributes: Record<string, unknown> }> } {
  const events: Array<{ name: string; attributes: Record<string, unknown> }> = [];
  vi.stubGlobal('fetch', (url: string, init: { body?: string | Uint8Array }) => {
    if (url !== MEMORY_ENDPOINT) return Promise.reject(new TypeError(`unexpected URL ${url}`));
    const text = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body);
    const body = JSON.parse(text) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ eventName: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }> }> }> };
    for (const rl of body.resourceLogs) {
      for (const sl of rl.scopeLogs) {
        for (const lr of sl.logRecords) {
          const attributes: Record<string, unknown> = {};
          for (const kv of lr.attributes) attributes[kv.key] = Object.values(kv.value)[0];
          events.push({ name: lr.eventName, attributes });
        }
      }
    }
    return Promise.resolve({ status: 200, ok: true, headers: { get: () => null } });
  });
  return { events };
}

/** Diagnostics that record what they would log. */
export function recordingDiagnostics(): { diagnostics: Diagnostics; messages: Array<{ level: string; message: string }> } {
  const messages: Array<{ level: string; message: string }> = [];
  const push = (level: string) => (message: string) => messages.push({ level, message });
  const diagnostics = createDiagnostics({ level: 'debug', logger: { error: push('error'), warn: push('warn'), info: push('info'), debug: push('debug') } });
  return { diagnostics, messages };
}
