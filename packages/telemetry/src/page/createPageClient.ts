import {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  diagnosticsIn,
  getDiagnostics,
  isHeader,
  isHttpUrl,
  quickResolve,
  randomId,
  scrubString,
  scrubValue,
  booleanField,
  functionField,
  isPlainObject,
  textField,
} from '@lookout/core/page';
import type { FieldCheck, FlushResult } from '@lookout/core/page';
import { DEFAULT_APP_NAME, DEFAULT_APP_VERSION, DEFAULT_PAGE_MAX_BATCH_EVENTS, DEFAULT_PAGE_MAX_QUEUE_EVENTS } from '../constants.js';
import { createOtlpJsonEncoder } from '../encoding/otlpJson.js';
import { createPageDelivery } from '../internal/pageDelivery.js';
import type { ConsentState, EventStore, TelemetryEvent } from '../types.js';
import type { PageClient, PageClientOptions, PageClientStats, PageDropReason } from './types.js';

/** Longest event name a page client takes, in characters. */
export const MAX_PAGE_EVENT_NAME_LENGTH = 128;
/** Deepest nesting of a property value a page client takes. */
export const MAX_PAGE_PROPERTY_DEPTH = 8;
/** Every reason a page client counts drops under. */
export const PAGE_DROP_REASONS = 'consent sampled queue_full invalid before_send no_endpoint send_failed rejected page_hidden too_large expired shutdown'.split(
  ' ',
) as readonly PageDropReason[];

// The page globals used here, looked up at call time (the package compiles without DOM types).
interface PageGlobals {
  navigator?: { doNotTrack?: string | null; globalPrivacyControl?: boolean; sendBeacon?(url: string, body: unknown): boolean };
  Blob?: new (parts: unknown[], options: { type: string }) => unknown;
}

const isId = (v: unknown): v is string => textField(1, 256)(v) === true;
/** A plain object whose values all pass `check`. */
const recordOf = (check: (v: unknown) => boolean) => (v: unknown) => isPlainObject(v) && Object.values(v).every(check);
const atLeast = (min: number, integer?: boolean) => (v: unknown) => typeof v === 'number' && v >= min && v < Infinity && !(integer && v % 1);
/** A plain object whose known fields pass their checks (unknown ones are ignored). */
const fieldsOf = (checks: Record<string, (v: unknown) => boolean>) => (v: unknown) => isPlainObject(v) && Object.keys(v).every((k) => v[k] === undefined || !checks[k] || checks[k](v[k]));

/** What each option accepts (one diagnostic per refused option, which then takes its default). */
const FIELDS: Record<string, FieldCheck> = {
  endpoint: (v) => typeof v === 'string' && isHttpUrl(v),
  headers: (v) => isPlainObject(v) && Object.keys(v).every((k) => isHeader(k, v[k])),
  app: fieldsOf({ name: isId, version: isId }),
  resourceAttributes: recordOf((v) => ['string', 'number', 'boolean'].includes(typeof v)),
  userId: isId,
  sessionId: isId,
  consent: (v) => ['granted', 'pending', 'denied'].includes(v as string),
  respectDoNotTrack: booleanField,
  sampling: recordOf((v) => atLeast(0)(v) && (v as number) <= 1),
  beforeSend: functionField,
  redact: booleanField,
  maxQueueEvents: atLeast(1, true),
  maxBatchEvents: atLeast(1, true),
  flushIntervalMs: atLeast(0),
  sendTimeoutMs: atLeast(1),
  retry: fieldsOf({ maxAttempts: atLeast(1, true), initialBackoffMs: atLeast(0), maxBackoffMs: atLeast(0) }),
  flushOnPageHide: booleanField,
  persistence: booleanField,
  registry: (v) => functionField((v as { observableCounter?: unknown } | null)?.observableCounter),
  diagnostics: (v) => diagnosticsIn({ diagnostics: v }) !== undefined,
};

/** Whether `v` is a JSON value (finite numbers, plain objects, arrays) at most {@link MAX_PAGE_PROPERTY_DEPTH} deep. */
function isJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  const inner = (x: unknown) => isJson(x, depth + 1);
  return depth < MAX_PAGE_PROPERTY_DEPTH && (Array.isArray(v) ? v.every(inner) : recordOf(inner)(v));
}

/** Whether `e` has the shape of an event (as `beforeSend` returns it or a store gives it back). */
export function isPageEvent(e: unknown): e is TelemetryEvent {
  return (
    isPlainObject(e) &&
    isId(e.id) &&
    typeof e.name === 'string' &&
    typeof e.timestamp === 'number' &&
    [e.sessionId, e.appVersion, e.platform].every((x) => typeof x === 'string') &&
    isPlainObject(e.properties) &&
    isJson(e.properties, 0)
  );
}

/**
 * Creates the lean event client for pages: events are validated by hand, sampled, passed to
 * `beforeSend`, scrubbed with core's lean redaction, queued (bounded) and POSTed as OTLP/HTTP
 * logs JSON (the same records as the full client) in batches by count and interval, one request
 * at a time, with `keepalive` while the page's shared 64 KiB budget allows. Network errors, 408,
 * 429 and 5xx are retried with exponential backoff and jitter (`Retry-After` honoured, up to
 * 5 minutes); other 4xx are dropped as `rejected`. When the page is hidden or closed, everything
 * queued leaves at once in batches inside core's shared keepalive budget (`fetch` keepalive, or
 * `sendBeacon` where there is no `fetch` and no custom header; a batch that does not fit is cut
 * to the oldest events that fit); what does not fit is persisted (with `persistence`) or counted
 * `page_hidden`. An event sent at page hide is never sent again. IndexedDB persistence and
 * self-metrics are loaded with `import()` only when asked for. Options are checked with core's
 * `quickResolve`: each refused one gets one diagnostic and its default. Never throws.
 */
export function createPageClient(options?: PageClientOptions): PageClient {
  try {
    return create(options);
  } catch (error) {
    // `strict: true` (not an option here), or options that throw in a way the checks did not foresee.
    getDiagnostics().internalError(error, 'telemetry.page.create');
    return create(undefined);
  }
}

function create(input: PageClientOptions | undefined): PageClient {
  const g = globalThis as unknown as PageGlobals;
  const diagnostics = diagnosticsIn(input) ?? getDiagnostics();
  const o = quickResolve(input, FIELDS, 'telemetry/page', diagnostics).options as PageClientOptions;
  const warn = (code: string, message: string): void => diagnostics.warn(`telemetry/page:${code}`, `telemetry/page: ${message}`);
  const { endpoint, beforeSend, registry } = o;
  if (!endpoint) warn('no-endpoint', 'no valid endpoint; events are dropped (no_endpoint)');
  const beaconable = !o.headers || !Object.keys(o.headers).length;
  const appVersion = o.app?.version ?? DEFAULT_APP_VERSION;
  const redact = o.redact !== false;
  const clean = (id: string | undefined) => (redact && id ? scrubString(id) : id);
  let userId = clean(o.userId);
  const sessionId = o.sessionId ?? randomId();
  const nav = g.navigator;
  let consent: ConsentState = o.respectDoNotTrack !== false && (nav?.doNotTrack === '1' || nav?.globalPrivacyControl === true) ? 'denied' : (o.consent ?? 'granted');
  const sampling = o.sampling ?? {};
  const maxQueue = o.maxQueueEvents ?? DEFAULT_PAGE_MAX_QUEUE_EVENTS;
  const retry = o.retry ?? {};

  const dropped = {} as Record<PageDropReason, number>;
  for (const reason of PAGE_DROP_REASONS) dropped[reason] = 0;
  const stats: PageClientStats = {
    get queued() {
      return delivery.held;
    },
    sent: 0,
    retried: 0,
    beaconed: 0,
    persisted: 0,
    restored: 0,
    dropped,
  };
  let store: EventStore | undefined;
  let closed: Promise<FlushResult> | undefined;

  const drop = (reason: PageDropReason, count = 1): undefined => {
    dropped[reason] += count;
  };
  /** Persists `events` when there is a store; `false` when there is none or it refused. */
  const persist = (events: TelemetryEvent[]): boolean => {
    const kept = !!store?.save(events);
    if (kept) stats.persisted += events.length;
    return kept;
  };
  const delivery = createPageDelivery({
    endpoint: endpoint ?? '',
    headers: { ...o.headers, 'content-type': 'application/json' },
    encode: createOtlpJsonEncoder({ appName: o.app?.name ?? DEFAULT_APP_NAME, resourceAttributes: o.resourceAttributes ?? {} }),
    maxBatch: o.maxBatchEvents ?? DEFAULT_PAGE_MAX_BATCH_EVENTS,
    flushIntervalMs: o.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    sendTimeoutMs: o.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    maxAttempts: retry.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS,
    initialBackoffMs: retry.initialBackoffMs ?? DEFAULT_RETRY_INITIAL_BACKOFF_MS,
    maxBackoffMs: retry.maxBackoffMs ?? DEFAULT_RETRY_MAX_BACKOFF_MS,
    counters: stats,
    allowed: () => consent === 'granted' && !!endpoint,
    denied: () => consent === 'denied',
    drop,
    keep: persist,
    beacon: (body) => !!(beaconable && g.Blob && nav?.sendBeacon?.(endpoint as string, new g.Blob([body], { type: 'text/plain;charset=UTF-8' }))),
    flushOnPageHide: o.flushOnPageHide,
    onVisible: () => restore(),
  });
  const schedule = (): void => delivery.schedule();

  /** Queues again what an earlier page persisted, in the room the queue has; the rest goes back to the store. */
  const restore = (): void => {
    if (consent === 'granted' && !closed)
      void store?.load((n) => drop('expired', n)).then((events) => {
        const room = Math.max(0, maxQueue - stats.queued);
        const kept = events.slice(0, room);
        const over = events.slice(room);
        if (over.length && !persist(over)) drop('queue_full', over.length);
        stats.restored += kept.length;
        if (consent === 'denied') drop('consent', kept.length);
        else delivery.queue.unshift(...kept);
        schedule();
      });
  };

  const failed = () => warn('load', 'persistence or self-metrics could not be loaded');
  if (o.persistence) {
    import('./persistence.js').then((m) => {
      store = m.openPageStore(diagnostics, isPageEvent);
      if (consent === 'denied') void store.clear();
      restore();
    }, failed);
  }
  if (registry) import('./selfMetrics.js').then((m) => m.observePageStats(stats, registry), failed);

  const track = (name: unknown, properties?: unknown): string | undefined => {
    if (closed) return drop('shutdown');
    if (consent === 'denied') return drop('consent');
    if (!endpoint) return drop('no_endpoint');
    const invalid = () => {
      warn('invalid', 'an invalid event was dropped (name: 1–128 characters; properties: a plain object of JSON values; beforeSend: an event or null)');
      return drop('invalid');
    };
    if (typeof name !== 'string' || !name || name.length > MAX_PAGE_EVENT_NAME_LENGTH || !(properties === undefined || isPlainObject(properties))) return invalid();
    // Spread: a `__proto__` key stays an own property.
    const props = { ...properties };
    for (const key of Object.keys(props)) {
      if (props[key] === undefined) delete props[key];
      else if (!isJson(props[key], 1)) return invalid();
    }
    const rate = Object.prototype.hasOwnProperty.call(sampling, name) ? (sampling[name] as number) : 1;
    if (rate < 1 && !(Math.random() < rate)) return drop('sampled');
    if (stats.queued >= maxQueue) {
      warn('queue-full', `queue full (${maxQueue} events); events are dropped (queue_full)`);
      return drop('queue_full');
    }
    let event: TelemetryEvent | null | undefined = { id: randomId(), name, timestamp: Date.now(), sessionId, appVersion, platform: 'browser', properties: props as TelemetryEvent['properties'] };
    if (userId) event.userId = userId;
    if (rate < 1) event.sampleRate = rate;
    if (beforeSend) {
      const original = event;
      try {
        event = beforeSend(event);
      } catch (error) {
        diagnostics.internalError(error, 'telemetry.page.beforeSend');
        event = original;
      }
      if (event == null) return drop('before_send');
      if (!isPageEvent(event)) return invalid();
    }
    if (redact) event = { ...event, properties: scrubValue(event.properties) };
    delivery.queue.push(event);
    schedule();
    return event.id;
  };

  const flush = (ms?: number): Promise<FlushResult> =>
    delivery.flush(atLeast(0)(ms) ? (ms as number) : 5000).then((complete) => ({ complete, pendingItems: delivery.held, inFlight: delivery.inflight > 0 }));

  return {
    track(name, properties) {
      try {
        return track(name, properties);
      } catch (error) {
        diagnostics.internalError(error, 'telemetry.page.track');
        return drop('invalid');
      }
    },
    identify(id) {
      if (id === undefined || isId(id)) userId = clean(id);
      else warn('identify', 'identify() needs a string of 1–256 characters or undefined; ignored');
    },
    optIn() {
      if (closed) return;
      consent = 'granted';
      restore();
      schedule();
    },
    optOut() {
      consent = 'denied';
      drop('consent', delivery.clear().length);
      void store?.clear();
    },
    get consent() {
      return consent;
    },
    sessionId,
    stats,
    flush,
    shutdown(ms) {
      return (closed ??= flush(ms).then((result) => {
        const left = delivery.stop();
        if (consent !== 'granted' || !persist(left)) drop(consent === 'denied' ? 'consent' : 'shutdown', left.length);
        return result;
      }));
    },
  };
}
