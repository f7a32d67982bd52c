import { createDiagnostics } from '@lookout/core';
import type { Diagnostics, Transport } from '@lookout/core';

/** A transport that keeps every OTLP/JSON batch it is given, decoded to `[name, attributes]`. */
export function memoryTransport(): { transport: Transport; events: Array<{ name: string; attributes: Record<string, unknown> }> } {
  const events: Array<{ name: string; attributes: Record<string, unknown> }> = [];
  const transport: Transport = {
    send(request) {
      const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
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
      return Promise.resolve({ kind: 'success' });
    },
  };
  return { transport, events };
}

/** Diagnostics that record what they would log. */
export function recordingDiagnostics(): { diagnostics: Diagnostics; messages: Array<{ level: string; message: string }> } {
  const messages: Array<{ level: string; message: string }> = [];
  const push = (level: string) => (message: string) => messages.push({ level, message });
  const diagnostics = createDiagnostics({ level: 'debug', logger: { error: push('error'), warn: push('warn'), info: push('info'), debug: push('debug') } });
  return { diagnostics, messages };
}
