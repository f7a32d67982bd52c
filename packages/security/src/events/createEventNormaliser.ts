import { neutraliseControlChars, randomId } from '@lookout/core';
import type { Diagnostics, Redactor } from '@lookout/core';
import type { RiskLevel, SecurityEvent, SecurityEventInput, SecurityOutcome } from '../types.js';
import { defaultAction, defaultRisk, OUTCOMES, RISK_LEVELS } from './vocabulary.js';

/** Longest kept `actor`, `target` and `userAgent`, in characters; longer values are cut. */
export const MAX_EVENT_FIELD_LENGTH = 1024;
const TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const ACTION_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
const IP_PATTERN = /^[0-9A-Fa-f:.]{2,45}$/;
const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Characters {@link neutraliseControlChars} rewrites; keys are only copied when one occurs. */
const CONTROL_CHAR_TEST = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const MAX_KEY_WALK_DEPTH = 16;
/**
 * Earliest event time: 0001-01-01T00:00:00.000Z. RFC 5424 timestamps are RFC 3339 dates, whose
 * year has four digits (and strict receivers refuse year 0000), so years 0001 to 9999 are what
 * every sink can write.
 */
export const MIN_EVENT_TIME_MS = -62_135_596_800_000;
/** Latest event time: 9999-12-31T23:59:59.999Z (see {@link MIN_EVENT_TIME_MS}). */
export const MAX_EVENT_TIME_MS = 253_402_300_799_999;

/** Whether `ms` is an event time: whole epoch milliseconds from year 0001 to 9999. */
export function isEventTime(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isInteger(ms) && ms >= MIN_EVENT_TIME_MS && ms <= MAX_EVENT_TIME_MS;
}

/** Turns host input into a {@link SecurityEvent}, or `undefined` (with one diagnostic) when it cannot. */
export type EventNormaliser = (input: SecurityEventInput) => SecurityEvent | undefined;

/**
 * Builds the function that validates, completes and redacts events. Strings go through
 * `redactor` (secrets and PII) and then have control characters neutralised, so no field can
 * forge a log line; the object keys of `details` are neutralised too. Bad fields are corrected
 * or dropped with a diagnostic naming the field; an event without a valid `type` is dropped.
 */
export function createEventNormaliser(redactor: Redactor, diagnostics: () => Diagnostics, now: () => number): EventNormaliser {
  const warn = (field: string, message: string): void => {
    diagnostics().warn('security/invalid-event', `logSecurityEvent: ${field} ${message}`, `security/invalid-event:${field}`);
  };

  const text = (value: unknown, field: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      warn(field, `must be a string; the field was dropped`);
      return undefined;
    }
    const raw = String(value);
    const cut = raw.length > MAX_EVENT_FIELD_LENGTH ? raw.slice(0, MAX_EVENT_FIELD_LENGTH) : raw;
    return neutraliseControlChars(redactor.redactString(cut, field));
  };

  return (input) => {
    if (input === null || typeof input !== 'object') {
      warn('event', 'must be an object; the event was dropped');
      return undefined;
    }
    const type = input.type;
    if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
      warn('type', 'must be a snake_case string such as "authentication"; the event was dropped');
      return undefined;
    }
    let outcome: SecurityOutcome = 'unknown';
    if (input.outcome !== undefined) {
      if (OUTCOMES.includes(input.outcome)) outcome = input.outcome;
      else warn('outcome', `must be one of ${OUTCOMES.join(', ')}; "unknown" is used`);
    }
    let action = defaultAction(type, outcome);
    if (input.action !== undefined) {
      if (typeof input.action === 'string' && ACTION_PATTERN.test(input.action)) action = input.action;
      else warn('action', `must be an OWASP-style name such as "authn_login_fail"; "${action}" is used`);
    }
    let risk: RiskLevel = defaultRisk(action, outcome);
    if (input.risk !== undefined) {
      if (RISK_LEVELS.includes(input.risk)) risk = input.risk;
      else warn('risk', `must be one of ${RISK_LEVELS.join(', ')}; "${risk}" is used`);
    }
    let id: string | undefined;
    if (input.id !== undefined) {
      if (typeof input.id === 'string' && ID_PATTERN.test(input.id)) id = input.id;
      else warn('id', 'must be 1-128 characters of [A-Za-z0-9_.:-]; a random id is used');
    }
    const event: SecurityEvent = { id: id ?? randomId(), time: eventTime(input.time, now, warn), type, action, outcome, risk };
    const actor = text(input.actor, 'actor');
    if (actor !== undefined) event.actor = actor;
    if (input.sourceIp !== undefined && input.sourceIp !== null) {
      if (typeof input.sourceIp === 'string' && IP_PATTERN.test(input.sourceIp)) event.sourceIp = input.sourceIp;
      else warn('sourceIp', 'must be an IPv4 or IPv6 address; the field was dropped');
    }
    const userAgent = text(input.userAgent, 'userAgent');
    if (userAgent !== undefined) event.userAgent = userAgent;
    const target = text(input.target, 'target');
    if (target !== undefined) event.target = target;
    if (input.details !== undefined && input.details !== null) {
      if (typeof input.details === 'object' && !Array.isArray(input.details)) {
        const onBigInt = (): void =>
          diagnostics().warn('security/invalid-event', 'logSecurityEvent: details holds BigInt values, which JSON cannot write; they are sent as decimal strings', 'security/invalid-event:details-bigint');
        event.details = cleanDetails(redactor.redact(input.details), 0, onBigInt) as Record<string, unknown>;
      } else {
        warn('details', 'must be a plain object; the field was dropped');
      }
    }
    return event;
  };
}

function eventTime(value: unknown, now: () => number, warn: (field: string, message: string) => void): number {
  if (value === undefined) return now();
  let ms = NaN;
  if (typeof value === 'number') ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    warn('time', 'must be epoch ms, a Date or an ISO-8601 string; now is used');
    return now();
  }
  const time = Math.trunc(ms);
  if (isEventTime(time)) return time;
  // Most often microseconds or nanoseconds passed as milliseconds.
  warn('time', `must be epoch milliseconds between years 0001 and 9999 (${MIN_EVENT_TIME_MS} to ${MAX_EVENT_TIME_MS}; was it in µs or ns?); now is used`);
  return now();
}

/**
 * `details` made safe for every sink, in place: object keys carry no control characters, and
 * BigInts (which JSON cannot write) become decimal strings, reported through `onBigInt`.
 */
function cleanDetails(value: unknown, depth: number, onBigInt: () => void): unknown {
  if (typeof value === 'bigint') {
    onBigInt();
    return value.toString();
  }
  if (value === null || typeof value !== 'object' || depth > MAX_KEY_WALK_DEPTH) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanDetails(value[i], depth + 1, onBigInt);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = cleanDetails(record[key], depth + 1, onBigInt);
    if (CONTROL_CHAR_TEST.test(key)) {
      delete record[key];
      Object.defineProperty(record, neutraliseControlChars(key), { value: child, enumerable: true, writable: true, configurable: true });
    } else if (child !== record[key]) {
      record[key] = child;
    }
  }
  return record;
}
