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

/**
 * Error events of a Sentry envelope (what `@sentry/node` and `@sentry/browser` post to a DSN)
 * as viewer records: type and value of the first exception, level, fingerprint, tags.
 * Items other than `event` are ignored. Throws on a malformed envelope.
 */
export function mapSentryEnvelope(text: string, now: number): RecordDraft[] {
  const out: RecordDraft[] = [];
  let pos = text.indexOf('\n');
  if (pos < 0) return out;
  pos++;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const headerLine = text.slice(pos, end).trim();
    pos = end + 1;
    if (headerLine === '') continue;
    const header = JSON.parse(headerLine) as { type?: string; length?: number };
    let payload: string;
    if (typeof header.length === 'number' && header.length >= 0) {
      // `length` is in bytes; the envelope is decoded text, so measure through a byte view.
      const bytes = new TextEncoder().encode(text.slice(pos));
      payload = new TextDecoder().decode(bytes.subarray(0, header.length));
      pos += payload.length + 1;
    } else {
      let pend = text.indexOf('\n', pos);
      if (pend < 0) pend = text.length;
      payload = text.slice(pos, pend);
      pos = pend + 1;
    }
    if (header.type !== 'event') continue;
    const event = JSON.parse(payload) as SentryEvent;
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
  return out;
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
