import type { ErrorRecord, ErrorSink, StackFrame } from '@lookout/errors/page';
import { ERROR_EVENT_NAME } from '../constants.js';

/** Frames written into an error event's `stack`. */
export const MAX_EVENT_STACK_FRAMES = 30;
/** Longest `stack` text of an error event, in characters. */
export const MAX_EVENT_STACK_LENGTH = 8192;

/**
 * An error sink that sends each record as an `error` event through the page's event client, so
 * errors share its batching, consent, redaction and page-hide delivery: `{ type, message, stack,
 * category, severity, fingerprint, mechanism, handled, group_count, route }`.
 */
export function createErrorEventSink(telemetry: { track(name: string, properties?: Record<string, unknown>): unknown }, route: () => string): ErrorSink {
  return {
    name: '@lookout/browser:events',
    capture(record: ErrorRecord) {
      const properties: Record<string, unknown> = {
        type: record.type,
        message: record.message,
        stack: formatStack(record),
        category: record.category,
        severity: record.severity,
        fingerprint: record.fingerprint,
        mechanism: record.mechanism,
        handled: record.handled,
        group_count: record.groupCount,
        route: route(),
        error_id: record.id,
      };
      for (const [key, value] of Object.entries(record.tags)) if (!(key in properties)) properties[`tag.${key}`] = value;
      telemetry.track(ERROR_EVENT_NAME, properties);
    },
  };
}

/** `Type: message` then one `    at fn (file:line:col)` line per frame, innermost first, as V8 prints them. */
export function formatStack(record: Pick<ErrorRecord, 'type' | 'message' | 'stack'>): string {
  const lines = [`${record.type}: ${record.message}`];
  for (const frame of record.stack.slice(0, MAX_EVENT_STACK_FRAMES)) lines.push(`    at ${formatFrame(frame)}`);
  const text = lines.join('\n');
  return text.length > MAX_EVENT_STACK_LENGTH ? text.slice(0, MAX_EVENT_STACK_LENGTH) : text;
}

function formatFrame(frame: StackFrame): string {
  const where = frame.filename === undefined ? '<anonymous>' : `${frame.filename}${frame.lineno === undefined ? '' : `:${frame.lineno}`}${frame.colno === undefined ? '' : `:${frame.colno}`}`;
  return frame.function === undefined ? where : `${frame.function} (${where})`;
}
