import {
  classifyHttpStatus,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  getBeaconBudget,
  getDiagnostics,
  isHttpUrl,
  randomId,
  scrubString,
  scrubValue,
  splitForBudget,
} from '@lookout/core/page';
import type { Diagnostics, EncodedBatch, FlushResult, TransportResult } from '@lookout/core';
import { createOtlpJsonEncoder } from '../encoding/otlpJson.js';
import type { ConsentState, EventStore, TelemetryEvent } from '../types.js';
import type { PageClient, PageClientOptions, PageClientStats, PageDropReason } from './types.js';

/** Default most events a page client holds. */
export const DEFAULT_PAGE_MAX_QUEUE_EVENTS = 500;
/** Default events per batch of a page client. */
export const DEFAULT_PAGE_MAX_BATCH_EVENTS = 50;
/** Longest event name a page client takes, in characters. */
export const MAX_PAGE_EVENT_NAME_LENGTH = 128;
/** Deepest nesting of a property value a page client takes. */
export const MAX_PAGE_PROPERTY_DEPTH = 8;
/** Every reason a page client counts drops under. */
export const PAGE_DROP_REASONS = 'consent sampled queue_full invalid before_send no_endpoint send_failed rejected page_hidden too_large expired shutdown'.split(
  ' ',
) as readonly PageDropReason[];

// Same defaults as the full client's config (which pages must not load: it brings zod).
const APP_NAME = 'unknown_service';
const APP_VERSION = '0.0.0';
const MAX_ID_LENGTH = 256;
/** Largest single keepalive body: the whole page budget. */
const MAX_KEEPALIVE_BYTES = 65_536;

// The page globals used here, looked up at call time (the package compiles without DOM types).
interface PageGlobals {
  fetch?: (url: string, init: Record<string, unknown>) => Promise<{ status: number; headers: { get(name: string): string | null } }>;
  navigator?: { doNotTrack?: string | null; globalPrivacyControl?: boolean; sendBeacon?(url: string, body: unknown): boolean };
  document?: { visibilityState?: string; addEventListener(t: string, l: () => void): void; removeEventListener(t: string, l: () => void): void };
  addEventListener?(t: string, l: () => void): void;
  removeEventListener?(t: string, l: () => void): void;
  AbortSignal?: { timeout?(ms: number): unknown };
  Blob?: new (parts: unknown[], options: { type: string }) => unknown;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

type Check = (value: unknown) => boolean;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPlain = (v: unknown): v is Record<string, unknown> => isObject(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));
const isId: Check = (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
const every = (v: unknown, check: Check): boolean => isPlain(v) && Object.keys(v).every((k) => check(v[k]));
const atLeast = (min: number, integer?: boolean): Check => (v) => typeof v === 'number' && v >= min && v < Infinity && (!integer || Number.isInteger(v));
const isBoolean: Check = (v) => typeof v === 'boolean';

/** Whether `v` is a JSON value (finite numbers, plain objects, arrays) at most {@link MAX_PAGE_PROPERTY_DEPTH} deep. */
function isJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  return depth < MAX_PAGE_PROPERTY_DEPTH && (Array.isArray(v) ? v.every((x) => isJson(x, depth + 1)) : every(v, (x) => isJson(x, depth + 1)));
}

/** Whether `e` has the shape of an event (as `beforeSend` returns it or a store gives it back). */
export function isPageEvent(e: unknown): e is TelemetryEvent {
  return isPlain(e) && isId(e.id) && typeof e.name === 'string' && typeof e.timestamp === 'number' && isPlain(e.properties) && isJson(e.properties, 0);
}

/**
 * Creates the lean event client for pages: events are validated by hand, sampled, passed to
 * `beforeSend`, scrubbed with core's lean redaction, queued (bounded) and POSTed as OTLP/HTTP
 * logs JSON (the same records as the full client) in batches by count and interval, one request
 * at a time, with `keepalive` while the page's shared 64 KiB budget allows. Network errors, 408,
 * 429 and 5xx are retried with exponential backoff and jitter (`Retry-After` honoured, up to
 * 5 minutes); other 4xx are dropped as `rejected`. When the page is hidden or closed, everything
 * queued leaves at once in chunks inside core's shared keepalive budget (`fetch` keepalive, or
 * `sendBeacon` where there is no `fetch` and no custom header); what does not fit is persisted
 * (with `persistence`) or counted `page_hidden`. An event sent at page hide is never sent again.
 * IndexedDB persistence and self-metrics are loaded with `import()` only when asked for.
 * Never throws.
 */
export function createPageClient(options?: PageClientOptions): PageClient {
  try {
    return create(options);
  } catch (error) {
    // Options that throw when read in a way the checks did not foresee (hostile proxies).
    getDiagnostics().internalError(error, 'telemetry.page.create');
    return create(undefined);
  }
}

function create(options: PageClientOptions | undefined): PageClient {
  const g = globalThis as unknown as PageGlobals;
  const o: Record<string, unknown> = isObject(options) ? options : {};
  const given = o.diagnostics;
  const validDiagnostics = isObject(given) && typeof given.warn === 'function';
  const diagnostics: Diagnostics = validDiagnostics ? (given as unknown as Diagnostics) : getDiagnostics();
  const warn = (what: string, key: string): void => diagnostics.warn('telemetry/page', `createPageClient: ${what}`, `page:${key}`);
  const pick = <T>(from: Record<string, unknown>, field: string, check: Check, fallback: T, path = field): T => {
    try {
      const v = from[field];
      if (v === undefined) return fallback;
      if (check(v)) return v as T;
    } catch {
      // A getter that throws is an invalid value.
    }
    warn(`option ${path} is invalid; using the default`, path);
    return fallback;
  };
  if (options !== undefined && o !== options) warn('options must be an object; using the defaults', 'options');
  if (given !== undefined && !validDiagnostics) warn('option diagnostics is invalid; using the default', 'diagnostics');

  const endpoint = pick<string | undefined>(o, 'endpoint', (v) => typeof v === 'string' && isHttpUrl(v), undefined);
  if (endpoint === undefined) warn('no valid endpoint: events are dropped (no_endpoint)', 'no-endpoint');
  const headers = { ...pick(o, 'headers', (v) => every(v, (x) => typeof x === 'string'), {} as Record<string, string>) };
  const app = pick(o, 'app', isPlain, {} as Record<string, unknown>);
  const appName = pick(app, 'name', isId, APP_NAME, 'app.name');
  const appVersion = pick(app, 'version', isId, APP_VERSION, 'app.version');
  const resourceAttributes = { ...pick(o, 'resourceAttributes', (v) => every(v, (x) => ['string', 'number', 'boolean'].includes(typeof x)), {}) };
  const redact = pick(o, 'redact', isBoolean, true);
  let userId = pick<string | undefined>(o, 'userId', isId, undefined);
  if (redact && userId !== undefined) userId = scrubString(userId);
  const sessionId = pick(o, 'sessionId', isId, randomId());
  let consent = pick<ConsentState>(o, 'consent', (v) => ['granted', 'pending', 'denied'].includes(v as string), 'granted');
  const nav = g.navigator;
  if (pick(o, 'respectDoNotTrack', isBoolean, true) && (nav?.doNotTrack === '1' || nav?.globalPrivacyControl === true)) consent = 'denied';
  const sampling = { ...pick(o, 'sampling', (v) => every(v, (x) => atLeast(0)(x) && (x as number) <= 1), {} as Record<string, number>) };
  const beforeSend = pick<PageClientOptions['beforeSend']>(o, 'beforeSend', (v) => typeof v === 'function', undefined);
  const maxQueue = pick(o, 'maxQueueEvents', atLeast(1, true), DEFAULT_PAGE_MAX_QUEUE_EVENTS);
  const maxBatch = pick(o, 'maxBatchEvents', atLeast(1, true), DEFAULT_PAGE_MAX_BATCH_EVENTS);
  const intervalMs = pick(o, 'flushIntervalMs', atLeast(0), DEFAULT_FLUSH_INTERVAL_MS);
  const timeoutMs = pick(o, 'sendTimeoutMs', atLeast(1), DEFAULT_SEND_TIMEOUT_MS);
  const retry = pick(o, 'retry', isPlain, {} as Record<string, unknown>);
  const maxAttempts = pick(retry, 'maxAttempts', atLeast(1, true), DEFAULT_RETRY_MAX_ATTEMPTS, 'retry.maxAttempts');
  const initialBackoffMs = pick(retry, 'initialBackoffMs', atLeast(0), DEFAULT_RETRY_INITIAL_BACKOFF_MS, 'retry.initialBackoffMs');
  const maxBackoffMs = pick(retry, 'maxBackoffMs', atLeast(0), DEFAULT_RETRY_MAX_BACKOFF_MS, 'retry.maxBackoffMs');
  const onPageHide = pick(o, 'flushOnPageHide', isBoolean, true);
  const persistence = pick(o, 'persistence', isBoolean, false);
  const registry = pick<PageClientOptions['registry']>(o, 'registry', (v) => isObject(v) && typeof v.observableCounter === 'function', undefined);

  const encode = createOtlpJsonEncoder({ appName, resourceAttributes });
  const dropped = {} as Record<PageDropReason, number>;
  for (const reason of PAGE_DROP_REASONS) dropped[reason] = 0;
  let queue: TelemetryEvent[] = [];
  let sending: TelemetryEvent[] | undefined;
  const stats: PageClientStats = {
    get queued() {
      return queue.length + (sending?.length ?? 0);
    },
    sent: 0,
    retried: 0,
    beaconed: 0,
    persisted: 0,
    restored: 0,
    dropped,
  };
  let store: EventStore | undefined;
  let timer: unknown;
  let backingOff = false;
  let attempts = 0;
  let closed: Promise<FlushResult> | undefined;
  let stopped = false;
  const waiters = new Set<() => void>();

  const drop = (reason: PageDropReason, count = 1, why?: string): undefined => {
    dropped[reason] += count;
    if (why !== undefined) warn(`${why}; event dropped (${reason})`, `drop:${reason}`);
    return undefined;
  };
  const keepOrDrop = (events: TelemetryEvent[], reason: PageDropReason): void => {
    if (events.length === 0) return;
    if (store?.save(events) === true) stats.persisted += events.length;
    else drop(reason, events.length);
  };
  const wake = (ms: number): void => {
    g.clearTimeout(timer);
    timer = g.setTimeout(() => {
      timer = undefined;
      backingOff = false;
      void pump();
    }, ms);
  };
  const schedule = (): void => {
    if (consent !== 'granted' || queue.length === 0 || stopped) return;
    if (queue.length >= maxBatch || waiters.size > 0) void pump();
    else if (timer === undefined) wake(intervalMs);
  };

  /** POSTs one batch; never throws. Keepalive while the shared budget has room, so it survives the page closing. */
  const post = async (body: EncodedBatch['body']): Promise<TransportResult> => {
    const budget = getBeaconBudget();
    const bytes = body.length;
    const keepalive = budget.reserve(bytes);
    try {
      const response = await (g.fetch as NonNullable<PageGlobals['fetch']>)(endpoint as string, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        keepalive,
        signal: g.AbortSignal?.timeout?.(timeoutMs),
      });
      return classifyHttpStatus(response.status, response.headers.get('retry-after'));
    } catch {
      return { kind: 'retryable', reason: 'network' };
    } finally {
      if (keepalive) budget.release(bytes);
    }
  };

  const pump = async (): Promise<void> => {
    if (sending || consent !== 'granted' || queue.length === 0 || backingOff || endpoint === undefined) return;
    g.clearTimeout(timer);
    timer = undefined;
    const batch = (sending = queue.splice(0, maxBatch));
    const result = await post(encode(batch).body);
    sending = undefined;
    if (result.kind === 'success') {
      stats.sent += batch.length;
      attempts = 0;
    } else if ((consent as ConsentState) === 'denied') {
      drop('consent', batch.length);
    } else if (result.kind === 'retryable' && ++attempts < maxAttempts && !stopped) {
      stats.retried++;
      queue.unshift(...batch);
      const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
      const delay = Math.min(result.retryAfterMs ?? backoff, DEFAULT_MAX_RETRY_AFTER_MS);
      backingOff = true;
      wake(delay);
    } else {
      attempts = 0;
      drop(result.kind === 'failure' ? 'rejected' : 'send_failed', batch.length);
    }
    for (const waiter of waiters) waiter();
    schedule();
  };

  /** Page hide: everything queued leaves now, inside the page's shared keepalive budget. */
  const hide = (): void => {
    if (consent !== 'granted' || endpoint === undefined || queue.length === 0) return;
    const events = queue;
    queue = [];
    backingOff = false;
    attempts = 0;
    const budget = getBeaconBudget();
    const split = splitForBudget(events, encode, Math.min(budget.availableBytes, MAX_KEEPALIVE_BYTES));
    const left = split.tooLarge;
    for (const { items, encoded, bytes } of split.chunks) {
      if (!budget.reserve(bytes)) {
        left.push(...items);
        continue;
      }
      stats.beaconed += items.length;
      if (g.fetch) {
        g.fetch(endpoint, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: encoded.body, keepalive: true }).then(
          (response) => {
            budget.release(bytes);
            const result = classifyHttpStatus(response.status, null);
            if (result.kind === 'success') stats.sent += items.length;
            else if (result.kind === 'failure') drop('rejected', items.length);
            else requeue(items);
          },
          // Not delivered, and the page is alive to see it: send them the normal way.
          () => {
            budget.release(bytes);
            requeue(items);
          },
        );
      } else if (Object.keys(headers).length === 0 && g.Blob && nav?.sendBeacon?.(endpoint, new g.Blob([encoded.body], { type: 'text/plain;charset=UTF-8' }))) {
        stats.sent += items.length;
      } else {
        budget.release(bytes);
        stats.beaconed -= items.length;
        left.push(...items);
      }
    }
    keepOrDrop(left, 'page_hidden');
  };

  const requeue = (events: TelemetryEvent[]): void => {
    const room = Math.max(0, maxQueue - stats.queued);
    if (events.length > room) drop('queue_full', events.length - room);
    if (consent === 'denied') drop('consent', Math.min(room, events.length));
    else queue.unshift(...events.slice(0, room));
    schedule();
  };

  const restore = (): void => {
    if (consent === 'granted' && !closed)
      void store?.load((n) => drop('expired', n)).then((events) => {
        stats.restored += events.length;
        requeue(events);
      });
  };

  const onVisibility = (): void => {
    if (g.document?.visibilityState === 'hidden') hide();
    else restore();
  };
  if (onPageHide) {
    g.document?.addEventListener('visibilitychange', onVisibility);
    g.addEventListener?.('pagehide', hide);
  }
  if (persistence) {
    import('./persistence.js').then(
      (m) => {
        store = m.openPageStore(diagnostics, isPageEvent);
        if (consent === 'denied') void store.clear();
        restore();
      },
      () => warn('persistence could not be loaded', 'persistence'),
    );
  }
  if (registry !== undefined) {
    import('./selfMetrics.js').then(
      (m) => m.observePageStats(stats, registry),
      () => warn("Lookout's own metrics could not be loaded", 'self-metrics'),
    );
  }

  const track = (name: unknown, properties?: unknown): string | undefined => {
    if (closed) return drop('shutdown');
    if (consent === 'denied') return drop('consent');
    if (endpoint === undefined) return drop('no_endpoint');
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_PAGE_EVENT_NAME_LENGTH) return drop('invalid', 1, 'track(): name must be a string of 1–128 characters');
    const props: Record<string, unknown> = {};
    if (properties !== undefined) {
      if (!isPlain(properties)) return drop('invalid', 1, `track(${name}): properties must be a plain object`);
      for (const key of Object.keys(properties)) {
        const value = properties[key];
        if (value === undefined) continue;
        if (!isJson(value, 1)) return drop('invalid', 1, `track(${name}): property ${key} is not a JSON value`);
        props[key] = value;
      }
    }
    const rate = Object.prototype.hasOwnProperty.call(sampling, name) ? (sampling[name] as number) : 1;
    if (rate < 1 && !(Math.random() < rate)) return drop('sampled');
    if (stats.queued >= maxQueue) return drop('queue_full', 1, `queue full (${maxQueue} events)`);
    let event: TelemetryEvent | null | undefined = { id: randomId(), name, timestamp: Date.now(), sessionId, appVersion, platform: 'browser', properties: props as TelemetryEvent['properties'] };
    if (userId !== undefined) event.userId = userId;
    if (rate < 1) event.sampleRate = rate;
    if (beforeSend !== undefined) {
      const original = event;
      try {
        event = beforeSend(event);
      } catch (error) {
        diagnostics.internalError(error, 'telemetry.page.beforeSend');
        event = original;
      }
      if (event == null) return drop('before_send');
      if (!isPageEvent(event)) {
        return drop('invalid', 1, 'beforeSend() must return an event or null');
      }
    }
    if (redact) event = { ...event, properties: scrubValue(event.properties) };
    queue.push(event);
    schedule();
    return event.id;
  };

  const flush = (ms?: number): Promise<FlushResult> =>
    new Promise((resolve) => {
      const check = (end?: boolean): void => {
        const pendingItems = stats.queued;
        if (pendingItems > 0 && consent === 'granted' && endpoint !== undefined && end !== true) return;
        g.clearTimeout(deadline);
        waiters.delete(check);
        resolve({ complete: pendingItems === 0, pendingItems, inFlight: sending !== undefined });
      };
      const deadline = g.setTimeout(() => check(true), atLeast(0)(ms) ? (ms as number) : 5000);
      waiters.add(check);
      void pump();
      check();
    });

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
      if (id === undefined || isId(id)) userId = redact && id !== undefined ? scrubString(id) : id;
      else warn('identify() needs a string of 1–256 characters or undefined; ignored', 'identify');
    },
    optIn() {
      if (closed) return;
      consent = 'granted';
      restore();
      schedule();
    },
    optOut() {
      consent = 'denied';
      drop('consent', queue.length);
      queue = [];
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
        stopped = true;
        g.clearTimeout(timer);
        g.document?.removeEventListener('visibilitychange', onVisibility);
        g.removeEventListener?.('pagehide', hide);
        const left = queue;
        queue = [];
        if (consent === 'granted') keepOrDrop(left, 'shutdown');
        else drop(consent === 'denied' ? 'consent' : 'shutdown', left.length);
        return result;
      }));
    },
  };
}
