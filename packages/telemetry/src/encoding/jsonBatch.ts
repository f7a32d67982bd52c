import type { EncodedBatch } from '@lookout/core';
import { globals } from '../internal/globals.js';
import type { TelemetryEvent } from '../types.js';
import { JSON_CONTENT_TYPE, SCOPE } from './logRecords.js';

/** The plain JSON batch: `{ "sdk": { name, version }, "events": [TelemetryEvent…] }`. */
export function encodeJsonBatch(events: readonly TelemetryEvent[]): EncodedBatch {
  return { body: utf8(JSON.stringify({ sdk: SCOPE, events })), contentType: JSON_CONTENT_TYPE };
}

/** UTF-8 bytes of `text`, or the text itself where there is no `TextEncoder`. */
export function utf8(text: string): Uint8Array | string {
  const Encoder = globals().TextEncoder;
  return typeof Encoder === 'function' ? new Encoder().encode(text) : text;
}
