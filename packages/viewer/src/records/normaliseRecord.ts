import type { AttributeValue, ErrorRecordLike, RecordType, SecurityEventLike, ViewerRecord } from '../types.js';

/** Most attributes kept per record; the rest are counted in `lookout.dropped_attributes`. */
export const MAX_ATTRIBUTES = 64;
/** Longest attribute value, name or message kept (characters). */
export const MAX_TEXT_LENGTH = 1024;
/** Longest message kept (characters). */
export const MAX_MESSAGE_LENGTH = 4096;

const RECORD_TYPES: ReadonlySet<string> = new Set<RecordType>(['event', 'error', 'security', 'budget', 'vital', 'log']);

/** A record without its sequence number: what a source produces before the hub numbers it. */
export type RecordDraft = Omit<ViewerRecord, 'seq'>;

/** Why an input was refused: a field path and what is wrong there. */
export interface RecordIssue {
  path: string;
  message: string;
}

/** A record, or why there is none. */
export type RecordResult = { ok: true; record: RecordDraft } | { ok: false; issue: RecordIssue };

/**
 * Turns a `publish()` input into a record, or says which field is wrong. Reads each field once
 * inside try/catch, so hostile getters and proxies become an issue, never an exception.
 */
export function normalisePublishInput(input: unknown, defaultSource: string, now: number): RecordResult {
  try {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return fail('(record)', 'must be an object');
    const o = input as Record<string, unknown>;
    const type = o.type;
    if (typeof type !== 'string' || !RECORD_TYPES.has(type)) return fail('type', 'must be one of event, error, security, budget, vital, log');
    const time = o.time === undefined ? now : o.time;
    if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) return fail('time', 'must be milliseconds since the epoch');
    const source = o.source === undefined ? defaultSource : o.source;
    if (typeof source !== 'string' || source === '') return fail('source', 'must be a non-empty string');
    const attributes = flattenAttributes(o.attributes);
    if (attributes === undefined) return fail('attributes', 'must be an object');
    const base = { type: type as RecordType, time: Math.floor(time), source: clip(source, 128), attributes };
    switch (type as RecordType) {
      case 'event': {
        const name = requiredText(o.name);
        if (name === undefined) return fail('name', 'must be a non-empty string');
        const props = flattenAttributes(o.properties);
        if (props === undefined) return fail('properties', 'must be an object');
        return ok({ ...base, name, attributes: { ...props, ...attributes } });
      }
      case 'error': {
        const name = requiredText(o.name);
        if (name === undefined) return fail('name', 'must be the error type, a non-empty string');
        const message = optionalText(o.message, MAX_MESSAGE_LENGTH);
        if (message === null) return fail('message', 'must be a string');
        const group = optionalText(o.fingerprint, 128);
        if (group === null) return fail('fingerprint', 'must be a string');
        const level = optionalText(o.severity, 32);
        if (level === null) return fail('severity', 'must be a string');
        const extra: Record<string, AttributeValue> = {};
        if (typeof o.category === 'string') extra.category = clip(o.category, 64);
        if (typeof o.stack === 'string') extra.stack = clip(o.stack, MAX_TEXT_LENGTH);
        // Without a fingerprint the hub groups by name and message, after redacting them.
        const record: RecordDraft = { ...base, name, message: message ?? '', level: level ?? 'high', attributes: { ...extra, ...attributes } };
        if (group !== undefined) record.group = group;
        return ok(record);
      }
      case 'security': {
        const name = requiredText(o.action);
        if (name === undefined) return fail('action', 'must be a non-empty string');
        const level = requiredText(o.risk);
        if (level === undefined) return fail('risk', 'must be a non-empty string (low, medium, high, critical)');
        const extra: Record<string, AttributeValue> = {};
        for (const key of ['outcome', 'actor', 'target', 'sourceIp'] as const) if (typeof o[key] === 'string') extra[key] = clip(o[key] as string, MAX_TEXT_LENGTH);
        return ok({ ...base, name, level, attributes: { ...extra, ...attributes } });
      }
      case 'budget': {
        const name = requiredText(o.name);
        if (name === undefined) return fail('name', 'must be a non-empty string');
        const level = requiredText(o.state);
        if (level === undefined) return fail('state', 'must be a non-empty string (ok, warning, exceeded, anomaly)');
        const value = optionalNumber(o.value);
        if (value === null) return fail('value', 'must be a finite number');
        const limit = optionalNumber(o.limit);
        if (limit === null) return fail('limit', 'must be a finite number');
        const message = optionalText(o.message, MAX_MESSAGE_LENGTH);
        if (message === null) return fail('message', 'must be a string');
        const extra: Record<string, AttributeValue> = limit === undefined ? {} : { limit };
        return ok(withOptional({ ...base, name, level, attributes: { ...extra, ...attributes } }, value, message));
      }
      case 'vital': {
        const name = requiredText(o.name);
        if (name === undefined) return fail('name', 'must be a non-empty string such as LCP');
        const value = optionalNumber(o.value);
        if (value === undefined || value === null) return fail('value', 'must be a finite number');
        const level = optionalText(o.rating, 32);
        if (level === null) return fail('rating', 'must be a string');
        const extra: Record<string, AttributeValue> = typeof o.page === 'string' ? { page: clip(o.page, MAX_TEXT_LENGTH) } : {};
        const record: RecordDraft = { ...base, name, value, attributes: { ...extra, ...attributes } };
        if (level !== undefined) record.level = level;
        return ok(record);
      }
      case 'log': {
        const message = optionalText(o.message, MAX_MESSAGE_LENGTH);
        if (message === undefined || message === null) return fail('message', 'must be a string');
        const name = optionalText(o.name, MAX_TEXT_LENGTH);
        if (name === null) return fail('name', 'must be a string');
        const level = optionalText(o.severity, 32);
        if (level === null) return fail('severity', 'must be a string');
        return ok({ ...base, name: name ?? level ?? 'log', message, level: level ?? 'INFO' });
      }
    }
  } catch {
    return fail('(record)', 'could not be read');
  }
}

/** A record for an `@lookout/errors` `ErrorRecord`. */
export function fromErrorRecord(record: ErrorRecordLike, source: string, now: number): RecordResult {
  if (record === null || typeof record !== 'object') return fail('(record)', 'must be an object');
  const attributes: Record<string, unknown> = { ...(record.tags ?? {}) };
  if (typeof record.category === 'string') attributes.category = record.category;
  if (typeof record.handled === 'boolean') attributes.handled = record.handled;
  if (typeof record.mechanism === 'string') attributes.mechanism = record.mechanism;
  if (typeof record.groupCount === 'number') attributes.groupCount = record.groupCount;
  return normalisePublishInput(
    { type: 'error', name: record.type ?? 'Error', message: record.message ?? '', fingerprint: record.fingerprint, severity: record.severity, time: record.timestamp ?? now, attributes },
    source,
    now,
  );
}

/** A record for an `@lookout/security` `SecurityEvent`. */
export function fromSecurityEvent(event: SecurityEventLike, source: string, now: number): RecordResult {
  if (event === null || typeof event !== 'object') return fail('(record)', 'must be an object');
  const attributes: Record<string, unknown> = { ...(event.details ?? {}) };
  if (typeof event.type === 'string') attributes.eventType = event.type;
  return normalisePublishInput(
    { type: 'security', action: event.action ?? event.type, risk: event.risk ?? 'low', outcome: event.outcome, actor: event.actor, target: event.target, sourceIp: event.sourceIp, time: event.time ?? now, attributes },
    source,
    now,
  );
}

/**
 * Flattens attributes to shown values: strings (clipped), finite numbers, booleans, null; other
 * values become JSON text. Undefined input is no attributes; a non-object is `undefined`.
 */
export function flattenAttributes(input: unknown): Record<string, AttributeValue> | undefined {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) return undefined;
  const out: Record<string, AttributeValue> = {};
  let n = 0;
  let dropped = 0;
  for (const key of Object.keys(input)) {
    if (n >= MAX_ATTRIBUTES) {
      dropped++;
      continue;
    }
    const value = toAttributeValue((input as Record<string, unknown>)[key]);
    if (value === undefined) continue;
    out[clip(key, 128)] = value;
    n++;
  }
  if (dropped > 0) out['lookout.dropped_attributes'] = dropped;
  return out;
}

/** One shown value, or undefined for functions, symbols and undefined. */
export function toAttributeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return clip(value, MAX_TEXT_LENGTH);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return null;
      try {
        const json = JSON.stringify(value);
        return json === undefined ? undefined : clip(json, MAX_TEXT_LENGTH);
      } catch {
        return '[Unserializable]';
      }
    }
    default:
      return undefined;
  }
}

function withOptional(record: RecordDraft, value: number | undefined, message: string | undefined): RecordDraft {
  if (value !== undefined) record.value = value;
  if (message !== undefined) record.message = message;
  return record;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function requiredText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? clip(value, MAX_TEXT_LENGTH) : undefined;
}

/** Undefined when absent, null when present but not a string. */
function optionalText(value: unknown, max: number): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? clip(value, max) : null;
}

/** Undefined when absent, null when present but not a finite number. */
function optionalNumber(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function ok(record: RecordDraft): RecordResult {
  return { ok: true, record };
}

/** A refusal: `path` names the field, `message` says what is wrong. */
export function fail(path: string, message: string): RecordResult {
  return { ok: false, issue: { path, message } };
}
