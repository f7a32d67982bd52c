import * as z from 'zod/mini';
import { MAX_EVENT_NAME_LENGTH } from '../constants.js';
import type { JsonValue, TelemetryEvent } from '../types.js';

/** Longest property key, in characters. */
export const MAX_PROPERTY_KEY_LENGTH = 256;

/** Deepest nesting of arrays and objects a property value may have. */
export const MAX_PROPERTY_DEPTH = 16;

/**
 * Whether `value` is a JSON value with finite numbers, plain objects and arrays only, nested at
 * most {@link MAX_PROPERTY_DEPTH} deep (which also rules out cycles). A hand-written check: a
 * recursive zod union costs several microseconds per event, this a fraction of one.
 */
export function isJsonValue(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_PROPERTY_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isJsonValue(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Any JSON value with finite numbers (see {@link isJsonValue}). */
export const jsonValueSchema = z.custom<JsonValue>(
  (value) => isJsonValue(value),
  `must be a JSON value (string, finite number, boolean, null, array or plain object, at most ${MAX_PROPERTY_DEPTH} deep)`,
);

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

const EVENT_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'timestamp', 'sessionId', 'userId', 'anonymousId', 'appVersion', 'platform', 'sampleRate', 'properties']);

function isText(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

/**
 * A hand-written check that accepts a subset of what {@link telemetryEventSchema} accepts (a
 * property test holds the two together). The hot path runs it alone; only an event it refuses
 * goes through the schema, which then decides and names the field.
 */
function passesFastCheck(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Object.getPrototypeOf(event) !== Object.prototype) return false;
  const e = event as Record<string, unknown>;
  for (const key in e) if (!EVENT_KEYS.has(key)) return false;
  if (!isText(e.id, 64) || !isText(e.name, MAX_EVENT_NAME_LENGTH) || !isText(e.sessionId, 128) || !isText(e.appVersion, 128) || !isText(e.platform, 128)) return false;
  if (!Number.isSafeInteger(e.timestamp) || (e.timestamp as number) < 0) return false;
  if (e.userId !== undefined && !isText(e.userId, 256)) return false;
  if (e.anonymousId !== undefined && !isText(e.anonymousId, 256)) return false;
  if (e.sampleRate !== undefined && !(typeof e.sampleRate === 'number' && e.sampleRate > 0 && e.sampleRate <= 1)) return false;
  const properties = e.properties;
  if (typeof properties !== 'object' || properties === null || Object.getPrototypeOf(properties) !== Object.prototype) return false;
  for (const key in properties) {
    if (key.length > MAX_PROPERTY_KEY_LENGTH || key.length === 0) return false;
    if (!isJsonValue((properties as Record<string, unknown>)[key], 1)) return false;
  }
  return Object.getOwnPropertySymbols(properties).length === 0;
}

/**
 * Checks one event against {@link telemetryEventSchema}. Returns `undefined` when it is valid,
 * else its first issue. Never throws.
 */
export function findEventIssue(event: unknown): EventIssue | undefined {
  try {
    if (passesFastCheck(event)) return undefined;
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
  if (issue.code === 'invalid_type' && issue.expected !== undefined) return `expected ${issue.expected}`;
  return issue.message;
}
