import type { TelemetryEvent } from '../types.js';

/** Bytes of JSON punctuation and field names every event carries besides its values. */
const EVENT_OVERHEAD_BYTES = 120;

/**
 * About how many bytes `event` takes as JSON, without building the JSON: string lengths (in
 * UTF-16 units, so non-ASCII text counts low) plus punctuation. It sizes the queue's byte
 * bounds at a fraction of `JSON.stringify`'s cost; request bodies are measured exactly.
 */
export function estimateEventBytes(event: TelemetryEvent): number {
  let bytes = EVENT_OVERHEAD_BYTES + event.id.length + event.name.length + event.sessionId.length + event.appVersion.length + event.platform.length;
  if (event.userId !== undefined) bytes += event.userId.length + 12;
  if (event.anonymousId !== undefined) bytes += event.anonymousId.length + 17;
  return bytes + valueBytes(event.properties);
}

function valueBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 12;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      let bytes = 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) bytes += valueBytes(value[i]) + 1;
        return bytes;
      }
      for (const key in value) bytes += key.length + 4 + valueBytes((value as Record<string, unknown>)[key]);
      return bytes;
    }
    default:
      return 0;
  }
}
