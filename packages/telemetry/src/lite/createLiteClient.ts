import {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  getBeaconBudget,
  isPlainObject,
  randomId,
  scrubValue,
} from '@lookout/core/page';
import { DEFAULT_APP_NAME, DEFAULT_APP_VERSION, DEFAULT_PAGE_MAX_BATCH_EVENTS, DEFAULT_PAGE_MAX_QUEUE_EVENTS } from '../constants.js';
import { createOtlpJsonEncoder } from '../encoding/otlpJson.js';
import type { ConsentState, TelemetryEvent } from '../types.js';
import type { LiteClient, LiteClientOptions, LiteDropReason } from './types.js';

/** Every reason the lite client counts drops under. */
export const LITE_DROP_REASONS = 'consent invalid queue_full no_endpoint rejected send_failed page_hidden shutdown rate_limited'.split(' ') as readonly LiteDropReason[];

interface Page {
  fetch?: (url: string, init: object) => Promise<{ status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<unknown> }>;
  navigator?: { doNotTrack?: string | null; globalPrivacyControl?: boolean };
  document?: { visibilityState?: string; addEventListener(t: string, l: () => void): void; removeEventListener(t: string, l: () => void): void };
  addEventListener?(t: string, l: () => void): void;
  removeEventListener?(t: string, l: () => void): void;
  AbortSignal?: { timeout?(ms: number): unknown };
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Whether `v` is a JSON value: finite numbers, plain objects and arrays at most 8 deep. */
const isJson = (v: unknown, depth: number): boolean =>
  v === null || /^[sb]/.test(typeof v) || (typeof v == 'number' ? isFinite(v) : depth < 8 && (Array.isArray(v) || isPlainObject(v)) && Object.values(v).every((x) => isJson(x, depth + 1)));

/**
 * The event client of `@lookout/browser/lite`, for pages where every kilobyte counts. Events are
 * scrubbed with core's redaction, held in a bounded queue and POSTed as OTLP/HTTP logs JSON (the
 * records of the page and full clients) by count or `flushIntervalMs` after the first, one request
 * at a time. Network errors, 408, 429 and 5xx are retried with exponential backoff and jitter
 * (`Retry-After` in seconds or as a date honoured, up to 5 minutes); other answers are counted
 * `rejected`. When the page is hidden or closed, the queue leaves at once as keepalive requests
 * inside core's shared page budget: a batch that does not fit is halved, and one event that does
 * not fit is counted `page_hidden`. Do Not Track and Global Privacy Control mean `denied`.
 *
 * Options are taken as given, not checked: `@lookout/browser/lite` checks them first. No method
 * throws for checked options; `flush` and `shutdown` never reject.
 */
export function createLiteClient(o: LiteClientOptions): LiteClient {
  const g = globalThis as unknown as Page;
  const nav = g.navigator;
  const endpoint = o.endpoint;
  const headers = { ...o.headers, 'content-type': 'application/json' };
  const encode = createOtlpJsonEncoder({ appName: o.serviceName ?? DEFAULT_APP_NAME, resourceAttributes: o.resourceAttributes ?? {} });
  const maxQueue = o.maxQueueEvents ?? DEFAULT_PAGE_MAX_QUEUE_EVENTS;
  const maxBatch = o.maxBatchEvents ?? DEFAULT_PAGE_MAX_BATCH_EVENTS;
  const sessionId = randomId();
  const dropped = {} as Record<LiteDropReason, number>;
  for (const reason of LITE_DROP_REASONS) dropped[reason] = 0;
  let queue: TelemetryEvent[] = [];
  let inflight = 0;
  const stats = {
    get queued() {
      return queue.length + inflight;
    },
    sent: 0,
    retried: 0,
    dropped,
  };
  let consent: ConsentState = nav?.doNotTrack == '1' || nav?.globalPrivacyControl ? 'denied' : (o.consent ?? 'granted');
  let userId: string | undefined;
  let timer: unknown;
  /** A batch of the normal path is in flight, or the next waits for its backoff. */
  let busy = false;
  let attempts = 0;
  let stopped = false;
  const waiters = new Set<() => void>();

  const drop = (reason: LiteDropReason, n = 1): undefined => void (dropped[reason] += n);
  const sending = (): boolean => consent == 'granted' && !!endpoint && !stopped;
  const wake = (ms: number): void => {
    g.clearTimeout(timer);
    timer = g.setTimeout(() => {
      timer = undefined;
      busy = false;
      pump();
    }, ms);
  };
  const pump = (): void => {
    if (busy || !queue.length || !sending()) return;
    g.clearTimeout(timer);
    timer = undefined;
    busy = true;
    void send(queue.splice(0, maxBatch));
  };
  const schedule = (): void => {
    if (!queue.length || !sending()) return;
    if (queue.length >= maxBatch || waiters.size) pump();
    else if (!timer) wake(o.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
  };

  /** The one send path; at page hide (`hide`) only keepalive requests leave. */
  const send = async (events: TelemetryEvent[], hide?: boolean): Promise<void> => {
    const body = encode(events).body;
    const bytes = body.length;
    const n = events.length;
    const budget = getBeaconBudget();
    const keepalive = budget.reserve(bytes);
    if (hide && !keepalive) {
      if (n < 2) return drop('page_hidden', n);
      void send(events.splice(n >> 1), hide);
      return send(events, hide);
    }
    // 0: accepted, 1: retry (after `wait` ms when the receiver says), 2: refused.
    let verdict = 1;
    let wait = NaN;
    inflight += n;
    try {
      const response = await g.fetch!(endpoint!, { method: 'POST', headers, body, keepalive, signal: hide ? undefined : g.AbortSignal?.timeout?.(DEFAULT_SEND_TIMEOUT_MS) });
      const status = response.status;
      verdict = status > 199 && status < 300 ? 0 : status == 408 || status == 429 || status > 499 ? 1 : 2;
      const after = response.headers.get('retry-after');
      if (after) wait = /^\d+$/.test(after) ? +after * 1e3 : Date.parse(after) - Date.now();
      // A keepalive body counts against the page's quota until its response is read.
      await response.arrayBuffer().catch(() => 0);
    } catch {
      // A network error or a timeout: retried.
    }
    if (keepalive) budget.release(bytes);
    inflight -= n;
    if (!hide) busy = false;
    if (!verdict) {
      stats.sent += n;
      attempts = 0;
    } else if (consent == 'denied') drop('consent', n);
    else if (verdict < 2 && ++attempts < (o.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS) && !stopped) {
      stats.retried++;
      queue.unshift(...events);
      busy = true;
      const backoff = Math.min(DEFAULT_RETRY_MAX_BACKOFF_MS, DEFAULT_RETRY_INITIAL_BACKOFF_MS * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
      wake(Math.min(wait >= 0 ? wait : backoff, DEFAULT_MAX_RETRY_AFTER_MS));
    } else {
      attempts = 0;
      drop(verdict < 2 ? 'send_failed' : 'rejected', n);
    }
    for (const waiter of waiters) waiter();
    schedule();
  };

  /** Page hide: everything queued leaves now, inside the page's shared keepalive budget. */
  const hide = (): void => {
    if (!sending()) return;
    attempts = 0;
    while (queue.length) void send(queue.splice(0, maxBatch), true);
  };
  const onVisibility = (): void => void (g.document?.visibilityState == 'hidden' && hide());
  g.document?.addEventListener('visibilitychange', onVisibility);
  g.addEventListener?.('pagehide', hide);

  const flush = (ms = 5000): Promise<boolean> =>
    new Promise((resolve) => {
      const check = (end?: boolean): void => {
        const left = stats.queued;
        if (left && sending() && !end) return;
        g.clearTimeout(deadline);
        waiters.delete(check);
        resolve(!left);
      };
      const deadline = g.setTimeout(() => check(true), ms);
      waiters.add(check);
      pump();
      check();
    });

  let closing: Promise<void> | undefined;
  const client: LiteClient = {
    track(name, properties) {
      if (stopped) return drop('shutdown');
      if (consent == 'denied') return drop('consent');
      if (!endpoint) return drop('no_endpoint');
      // Spread: a `__proto__` key stays an own property.
      const props: Record<string, unknown> = { ...properties };
      for (const key in props) if (props[key] === undefined) delete props[key];
      if (typeof name != 'string' || !name || name.length > 128 || !isPlainObject(properties ?? {}) || !isJson(props, 0)) {
        o.warn?.('lite/invalid', 'track: an invalid event was dropped (name: 1–128 characters; properties: a plain object of JSON values)');
        return drop('invalid');
      }
      if (stats.queued >= maxQueue) {
        o.warn?.('lite/queue-full', `track: queue full (${maxQueue} events); events are dropped (queue_full)`);
        return drop('queue_full');
      }
      const event: TelemetryEvent = { id: randomId(), name, timestamp: Date.now(), sessionId, appVersion: o.serviceVersion ?? DEFAULT_APP_VERSION, platform: 'browser', properties: scrubValue(props) as TelemetryEvent['properties'] };
      if (userId) event.userId = userId;
      queue.push(event);
      schedule();
      return event.id;
    },
    identify(id) {
      userId = id && scrubValue(id);
    },
    optIn() {
      if (!stopped) consent = 'granted';
      schedule();
    },
    optOut() {
      consent = 'denied';
      drop('consent', queue.length);
      queue = [];
    },
    get consent() {
      return consent;
    },
    sessionId,
    stats,
    flush,
    shutdown(ms) {
      return (closing ??= flush(ms).then(() => {
        stopped = true;
        g.clearTimeout(timer);
        g.document?.removeEventListener('visibilitychange', onVisibility);
        g.removeEventListener?.('pagehide', hide);
        drop(consent == 'denied' ? 'consent' : 'shutdown', queue.length);
        queue = [];
      }));
    },
  };
  if (o.userId) client.identify(o.userId);
  return client;
}
