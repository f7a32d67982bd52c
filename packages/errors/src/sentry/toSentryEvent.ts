import type { ErrorRecord, Severity, StackFrame } from '../types.js';

/** Sentry level of each severity. */
export const SEVERITY_TO_SENTRY_LEVEL: Readonly<Record<Severity, 'info' | 'warning' | 'error' | 'fatal'>> = {
  low: 'info',
  medium: 'warning',
  high: 'error',
  critical: 'fatal',
};

/** A Sentry event (the subset Lookout fills in). */
export interface SentryEventLike {
  event_id: string;
  timestamp: number;
  level: string;
  message?: string;
  exception?: { values: SentryExceptionLike[] };
  tags: Record<string, string>;
  fingerprint: string[];
  contexts: Record<string, Record<string, unknown>>;
  user?: { id: string };
  breadcrumbs: { timestamp: number; category: string; message: string; level: string; data?: Record<string, unknown> }[];
}

interface SentryExceptionLike {
  type: string;
  value: string;
  stacktrace?: { frames: SentryFrameLike[] };
  mechanism: { type: string; handled: boolean; synthetic?: boolean; source?: string };
}

interface SentryFrameLike {
  filename?: string;
  function?: string;
  lineno?: number;
  colno?: number;
  in_app: boolean;
}

const MECHANISM: Readonly<Record<ErrorRecord['mechanism'], string>> = {
  manual: 'lookout',
  uncaughtException: 'onuncaughtexception',
  unhandledRejection: 'onunhandledrejection',
  onerror: 'onerror',
  retry: 'lookout.retry',
  fallback: 'lookout.fallback',
};

/**
 * Maps a record to a Sentry event: category and severity become tags (`category`, `severity`)
 * beside the record's own tags; severity becomes the level; the group id becomes the
 * fingerprint, so Sentry groups exactly as Lookout does; typed fields become the `details`
 * context, free context the `context` context, and Lookout's view of the group the `lookout`
 * context. Frames are reversed into Sentry's oldest-first order; causes come before the error.
 */
export function toSentryEvent(record: ErrorRecord): SentryEventLike {
  const event: SentryEventLike = {
    event_id: record.id,
    timestamp: record.timestamp / 1000,
    level: SEVERITY_TO_SENTRY_LEVEL[record.severity],
    tags: { ...record.tags, category: String(record.category), severity: record.severity },
    fingerprint: [record.fingerprint],
    contexts: {
      lookout: {
        category: record.category,
        severity: record.severity,
        group: record.fingerprint,
        group_count: record.groupCount,
        ...(record.sessionId === undefined ? {} : { session_id: record.sessionId }),
      },
    },
    breadcrumbs: record.breadcrumbs.map((b) => ({
      timestamp: b.timestamp / 1000,
      category: b.category,
      message: b.message,
      level: b.level,
      ...(b.data === undefined ? {} : { data: b.data }),
    })),
  };
  if (Object.keys(record.details).length > 0) event.contexts['details'] = record.details;
  if (Object.keys(record.context).length > 0) event.contexts['context'] = record.context;
  if (record.userId !== undefined) event.user = { id: record.userId };
  if (record.kind === 'message') {
    event.message = record.message;
    return event;
  }
  const mechanism = { type: MECHANISM[record.mechanism] ?? 'lookout', handled: record.handled };
  const values: SentryExceptionLike[] = [];
  for (let i = record.causes.length - 1; i >= 0; i--) {
    const cause = record.causes[i];
    if (cause !== undefined) values.push(exception(cause.type, cause.message, cause.stack, { ...mechanism, type: 'chained', source: cause.source ?? 'cause' }));
  }
  values.push(exception(record.type, record.message, record.stack, mechanism));
  event.exception = { values };
  return event;
}

function exception(type: string, value: string, stack: readonly StackFrame[], mechanism: SentryExceptionLike['mechanism']): SentryExceptionLike {
  const out: SentryExceptionLike = { type, value, mechanism };
  if (stack.length > 0) {
    const frames: SentryFrameLike[] = [];
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i] as StackFrame;
      const frame: SentryFrameLike = { in_app: f.inApp };
      if (f.filename !== undefined) frame.filename = f.filename;
      if (f.function !== undefined) frame.function = f.function;
      if (f.lineno !== undefined) frame.lineno = f.lineno;
      if (f.colno !== undefined) frame.colno = f.colno;
      frames.push(frame);
    }
    out.stacktrace = { frames };
  }
  return out;
}
