import * as z from 'zod/mini';
import { MAX_EVENT_NAME_LENGTH } from '../config.js';
import type { JsonValue, TelemetryEvent } from '../types.js';

/** Longest property key, in characters. */
export const MAX_PROPERTY_KEY_LENGTH = 256;

const finiteNumber = z.number().check(z.refine((n) => Number.isFinite(n), 'must be a finite number'));

/** Any JSON value with finite numbers. */
export const jsonValueSchema: z.ZodMiniType<JsonValue> = z.union([
  z.string(),
  finiteNumber,
  z.boolean(),
  z.null(),
  z.array(z.lazy(() => jsonValueSchema)),
  z.record(z.string(), z.lazy(() => jsonValueSchema)),
]);

/**
 * The schema every event is checked against at the edge (in `track()`, again after
 * `beforeSend`, and when a store gives events back). Unknown keys are refused.
 */
export const telemetryEventSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  name: z.string().check(z.minLength(1), z.maxLength(MAX_EVENT_NAME_LENGTH)),
  timestamp: z.int().check(z.nonnegative()),
  sessionId: z.string().check(z.minLength(1), z.maxLength(128)),
  userId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  anonymousId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  appVersion: z.string().check(z.minLength(1), z.maxLength(128)),
  platform: z.string().check(z.minLength(1), z.maxLength(128)),
  sampleRate: z.optional(z.number().check(z.positive(), z.maximum(1))),
  properties: z.record(z.string().check(z.minLength(1), z.maxLength(MAX_PROPERTY_KEY_LENGTH)), jsonValueSchema),
});

/** The first problem found in an event: a dotted field path and what is wrong there. */
export interface EventIssue {
  path: string;
  message: string;
}

/** Checks one event. Returns `undefined` when it is valid, else its first issue. Never throws. */
export function findEventIssue(event: unknown): EventIssue | undefined {
  try {
    const result = telemetryEventSchema.safeParse(event);
    if (result.success) return undefined;
    const issue = result.error.issues[0];
    if (issue === undefined) return { path: '(event)', message: 'invalid' };
    const path = issue.path.map(String).join('.') || '(event)';
    return { path, message: describeIssue(issue as { code?: string; message: string; expected?: string }) };
  } catch (error) {
    // Deeply nested properties can overflow the stack of a recursive schema.
    return { path: 'properties', message: `could not be checked (${(error as Error)?.name ?? 'error'})` };
  }
}

/** Whether `value` is a valid {@link TelemetryEvent}. */
export function isTelemetryEvent(value: unknown): value is TelemetryEvent {
  return findEventIssue(value) === undefined;
}

function describeIssue(issue: { code?: string; message: string; expected?: string }): string {
  if (issue.code === 'invalid_union') return 'must be a JSON value (string, finite number, boolean, null, array or object)';
  if (issue.code === 'invalid_type' && issue.expected !== undefined) return `expected ${issue.expected}`;
  return issue.message;
}
