import { fail, flattenAttributes, normalisePublishInput, type RecordDraft, type RecordIssue, type RecordResult } from '../records/normaliseRecord.js';
import type { OtlpLogGroup } from './decodeOtlp.js';

/** Records mapped from one request, and how many of its items could not be read (the first one's issue). */
export interface MappedRecords {
  records: RecordDraft[];
  invalid: number;
  issue?: RecordIssue;
}

/** Collects mapped records, counting the failures. */
class Mapped implements MappedRecords {
  readonly records: RecordDraft[] = [];
  invalid = 0;
  issue?: RecordIssue;

  add(result: RecordResult): void {
    if (result.ok) {
      this.records.push(result.record);
      return;
    }
    this.invalid++;
    this.issue ??= result.issue;
  }
}

/** Source name used when a resource has no `service.name`. */
export const UNKNOWN_SOURCE = 'unknown';

/** The app a resource belongs to: its `service.name`. */
export function sourceOfResource(resource: Record<string, unknown>): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name.slice(0, 128) : UNKNOWN_SOURCE;
}

/**
 * OTLP log records as viewer records: a record with an `event_name` is an event (how
 * `@lookout/telemetry` sends events), one with `exception.type` an error, anything else a log.
 */
export function mapOtlpLogs(groups: readonly OtlpLogGroup[], now: number): MappedRecords {
  const out = new Mapped();
  for (const group of groups) {
    const source = sourceOfResource(group.resource);
    for (const log of group.logs) {
      const attributes = flattenAttributes(log.attributes) ?? {};
      const time = log.timeMs > 0 ? Math.floor(log.timeMs) : now;
      const exceptionType = log.attributes['exception.type'];
      const body = typeof log.body === 'string' ? log.body : log.body === undefined || log.body === null ? '' : JSON.stringify(log.body);
      if (typeof exceptionType === 'string' && exceptionType !== '') {
        const message = typeof log.attributes['exception.message'] === 'string' ? (log.attributes['exception.message'] as string) : body;
        out.add(
          normalisePublishInput(
            { type: 'error', name: exceptionType, message, severity: severityLevel(log.severityNumber), time, source, attributes, fingerprint: stringAttr(log.attributes, 'lookout.fingerprint') },
            source,
            now,
          ),
        );
      } else if (log.eventName !== undefined) {
        out.records.push({ type: 'event', name: log.eventName.slice(0, 1024), time, source, attributes });
      } else {
        const draft: RecordDraft = { type: 'log', name: log.severityText || 'log', time, source, attributes, message: body.slice(0, 4096) };
        draft.level = log.severityText || severityText(log.severityNumber);
        out.records.push(draft);
      }
    }
  }
  return out;
}

/**
 * Telemetry events of `@lookout/telemetry`'s plain JSON batch (`{ sdk, events }`) as viewer
 * records. Invalid entries are skipped and counted (returned `invalid`).
 */
export function mapTelemetryEvents(events: readonly unknown[], source: string | undefined, now: number): MappedRecords {
  const out = new Mapped();
  for (const raw of events) {
    const e = raw as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || e.name === '') {
      out.add(fail('events[].name', 'must be a non-empty string'));
      continue;
    }
    const attributes = flattenAttributes(e.properties) ?? {};
    if (typeof e.sessionId === 'string') attributes['session.id'] = e.sessionId;
    if (typeof e.id === 'string') attributes['event.id'] = e.id;
    out.records.push({
      type: 'event',
      name: e.name.slice(0, 1024),
      time: typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) ? e.timestamp : now,
      source: source ?? (typeof e.platform === 'string' && e.platform !== '' ? e.platform.slice(0, 128) : UNKNOWN_SOURCE),
      attributes,
    });
  }
  return out;
}

/** `\n`, which ends every line of a Sentry envelope. */
const NEWLINE = 0x0a;
/**
 * Event items decoded per envelope. Sentry SDKs send one event per envelope (Relay refuses
 * more), so this only bounds the work a hostile or broken sender can cause in one request.
 */
export const MAX_SENTRY_EVENTS_PER_ENVELOPE = 100;

/**
 * Error events of a Sentry envelope (what `@sentry/node` and `@sentry/browser` post to a DSN)
 * as viewer records: type and value of the first exception, level, fingerprint, tags.
 * Items other than `event` are skipped without being decoded; event items past
 * {@link MAX_SENTRY_EVENTS_PER_ENVELOPE} are skipped and counted in `invalid`. Throws on a
 * malformed envelope.
 *
 * Works on the body's bytes, because an item header's `length` counts bytes: each line and
 * payload is found with `indexOf` and decoded once, so the work is linear in the body size.
 */
export function mapSentryEnvelope(body: Uint8Array, now: number): MappedRecords {
  const out = new Mapped();
  let events = 0;
  const decoder = new TextDecoder();
  const text = (start: number, end: number): string => decoder.decode(body.subarray(start, end));
  const lineEnd = (from: number): number => {
    const end = body.indexOf(NEWLINE, from);
    return end < 0 ? body.length : end;
  };
  let pos = body.indexOf(NEWLINE);
  if (pos < 0) return out;
  pos++;
  while (pos < body.length) {
    const end = lineEnd(pos);
    const headerLine = text(pos, end).trim();
    pos = end + 1;
    if (headerLine === '') continue;
    const header = JSON.parse(headerLine) as { type?: string; length?: number };
    const payloadStart = Math.min(pos, body.length);
    const payloadEnd = typeof header.length === 'number' && header.length >= 0 ? Math.min(payloadStart + header.length, body.length) : lineEnd(payloadStart);
    pos = payloadEnd + 1;
    if (header.type !== 'event') continue;
    if (++events > MAX_SENTRY_EVENTS_PER_ENVELOPE) {
      out.add(fail('(envelope)', `more than ${MAX_SENTRY_EVENTS_PER_ENVELOPE} events`));
      continue;
    }
    out.add(sentryEventRecord(text(payloadStart, payloadEnd), now));
  }
  return out;
}

/**
 * One Sentry event as a record. Fields of another type than the protocol's are shown as text
 * (`type: 42` as "42"), a string timestamp is parsed; only an event that is not a JSON object
 * (or has an unusable time) is refused.
 */
function sentryEventRecord(payload: string, now: number): RecordResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return fail('(event)', 'is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('(event)', 'must be an object');
  const event = parsed as SentryEvent;
  const values = Array.isArray(event.exception?.values) ? event.exception.values : [];
  const exception = values[values.length - 1] as { type?: unknown; value?: unknown } | undefined;
  const formatted = typeof event.message === 'object' && event.message !== null ? event.message.formatted : event.message;
  const name = textOr(exception?.type, event.message === undefined ? 'Event' : 'Message');
  const message = textOr(exception?.value, textOr(formatted, ''));
  const tags = event.tags;
  const attributes: Record<string, unknown> = Array.isArray(tags) ? Object.fromEntries(tags.filter((t): t is [string, unknown] => Array.isArray(t) && t.length === 2)) : { ...(typeof tags === 'object' && tags !== null ? tags : {}) };
  if (event.environment !== undefined) attributes.environment = event.environment;
  if (event.request?.url !== undefined) attributes.url = event.request.url;
  return normalisePublishInput(
    {
      type: 'error',
      name,
      message,
      severity: sentryLevel(event.level),
      fingerprint: Array.isArray(event.fingerprint) && !event.fingerprint.includes('{{ default }}') ? event.fingerprint.map(String).join(' ') : undefined,
      time: sentryTime(event.timestamp, now),
      source: textOr(event.release, textOr(event.server_name, textOr(event.platform, 'sentry'))).slice(0, 128),
      attributes,
    },
    'sentry',
    now,
  );
}

/** A field as text: strings as they are, other values as JSON text; `fallback` when absent or empty. */
function textOr(value: unknown, fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Sentry timestamps are seconds since the epoch or RFC 3339 text; a missing one is `now`. */
function sentryTime(timestamp: unknown, now: number): unknown {
  if (typeof timestamp === 'number') return timestamp * 1000;
  if (typeof timestamp === 'string') return Date.parse(timestamp);
  return now;
}

/** The fields read from a Sentry event, as the protocol defines them (a sender may not follow it). */
interface SentryEvent {
  exception?: { values?: unknown[] };
  message?: string | { formatted?: unknown };
  level?: string;
  fingerprint?: unknown[];
  timestamp?: unknown;
  release?: unknown;
  server_name?: unknown;
  platform?: unknown;
  environment?: string;
  tags?: Record<string, unknown> | unknown[];
  request?: { url?: string };
}

function sentryLevel(level: string | undefined): string {
  switch (level) {
    case 'fatal':
      return 'critical';
    case 'warning':
      return 'medium';
    case 'info':
    case 'debug':
    case 'log':
      return 'low';
    default:
      return 'high';
  }
}

/** OTLP severity number (1–24) as an error severity. */
function severityLevel(n: number | undefined): string {
  if (n === undefined || n === 0) return 'high';
  if (n >= 21) return 'critical';
  if (n >= 17) return 'high';
  if (n >= 13) return 'medium';
  return 'low';
}

function severityText(n: number | undefined): string {
  if (n === undefined || n === 0) return 'INFO';
  return n >= 21 ? 'FATAL' : n >= 17 ? 'ERROR' : n >= 13 ? 'WARN' : n >= 9 ? 'INFO' : n >= 5 ? 'DEBUG' : 'TRACE';
}

function stringAttr(attributes: Record<string, unknown>, key: string): string | undefined {
  const v = attributes[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
