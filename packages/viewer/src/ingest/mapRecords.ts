import { flattenAttributes, normalisePublishInput, type RecordDraft } from '../records/normaliseRecord.js';
import type { OtlpLogGroup } from './decodeOtlp.js';

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
export function mapOtlpLogs(groups: readonly OtlpLogGroup[], now: number): RecordDraft[] {
  const out: RecordDraft[] = [];
  for (const group of groups) {
    const source = sourceOfResource(group.resource);
    for (const log of group.logs) {
      const attributes = flattenAttributes(log.attributes) ?? {};
      const time = log.timeMs > 0 ? Math.floor(log.timeMs) : now;
      const exceptionType = log.attributes['exception.type'];
      const body = typeof log.body === 'string' ? log.body : log.body === undefined || log.body === null ? '' : JSON.stringify(log.body);
      if (typeof exceptionType === 'string' && exceptionType !== '') {
        const message = typeof log.attributes['exception.message'] === 'string' ? (log.attributes['exception.message'] as string) : body;
        const result = normalisePublishInput(
          { type: 'error', name: exceptionType, message, severity: severityLevel(log.severityNumber), time, source, attributes, fingerprint: stringAttr(log.attributes, 'lookout.fingerprint') },
          source,
          now,
        );
        if (result.ok) out.push(result.record);
      } else if (log.eventName !== undefined) {
        out.push({ type: 'event', name: log.eventName.slice(0, 1024), time, source, attributes });
      } else {
        const draft: RecordDraft = { type: 'log', name: log.severityText || 'log', time, source, attributes, message: body.slice(0, 4096) };
        draft.level = log.severityText || severityText(log.severityNumber);
        out.push(draft);
      }
    }
  }
  return out;
}

/**
 * Telemetry events of `@lookout/telemetry`'s plain JSON batch (`{ sdk, events }`) as viewer
 * records. Invalid entries are skipped and counted by the caller (returned `invalid`).
 */
export function mapTelemetryEvents(events: readonly unknown[], source: string | undefined, now: number): { records: RecordDraft[]; invalid: number } {
  const records: RecordDraft[] = [];
  let invalid = 0;
  for (const raw of events) {
    const e = raw as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || e.name === '') {
      invalid++;
      continue;
    }
    const attributes = flattenAttributes(e.properties) ?? {};
    if (typeof e.sessionId === 'string') attributes['session.id'] = e.sessionId;
    if (typeof e.id === 'string') attributes['event.id'] = e.id;
    records.push({
      type: 'event',
      name: e.name.slice(0, 1024),
      time: typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) ? e.timestamp : now,
      source: source ?? (typeof e.platform === 'string' && e.platform !== '' ? e.platform.slice(0, 128) : UNKNOWN_SOURCE),
      attributes,
    });
  }
  return { records, invalid };
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
export function mapSentryEnvelope(body: Uint8Array, now: number): { records: RecordDraft[]; invalid: number } {
  const out: RecordDraft[] = [];
  let events = 0;
  let invalid = 0;
  const decoder = new TextDecoder();
  const text = (start: number, end: number): string => decoder.decode(body.subarray(start, end));
  const lineEnd = (from: number): number => {
    const end = body.indexOf(NEWLINE, from);
    return end < 0 ? body.length : end;
  };
  let pos = body.indexOf(NEWLINE);
  if (pos < 0) return { records: out, invalid };
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
      invalid++;
      continue;
    }
    const event = JSON.parse(text(payloadStart, payloadEnd)) as SentryEvent;
    const exception = event.exception?.values?.[event.exception.values.length - 1];
    const name = exception?.type ?? (event.message === undefined ? 'Event' : 'Message');
    const message = exception?.value ?? (typeof event.message === 'string' ? event.message : event.message?.formatted ?? '');
    const source = event.release ?? event.server_name ?? event.platform ?? 'sentry';
    const attributes: Record<string, unknown> = { ...(event.tags ?? {}) };
    if (event.environment !== undefined) attributes.environment = event.environment;
    if (event.request?.url !== undefined) attributes.url = event.request.url;
    const result = normalisePublishInput(
      {
        type: 'error',
        name,
        message,
        severity: sentryLevel(event.level),
        fingerprint: Array.isArray(event.fingerprint) && !event.fingerprint.includes('{{ default }}') ? event.fingerprint.join(' ') : undefined,
        time: typeof event.timestamp === 'number' ? event.timestamp * 1000 : now,
        source: String(source).slice(0, 128),
        attributes,
      },
      'sentry',
      now,
    );
    if (result.ok) out.push(result.record);
  }
  return { records: out, invalid };
}

interface SentryEvent {
  exception?: { values?: { type?: string; value?: string }[] };
  message?: string | { formatted?: string };
  level?: string;
  fingerprint?: string[];
  timestamp?: number;
  release?: string;
  server_name?: string;
  platform?: string;
  environment?: string;
  tags?: Record<string, unknown>;
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
