import {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  isPlainObject,
  randomId,
  scrubValue,
} from '@lookout/core/page';
import { DEFAULT_APP_NAME, DEFAULT_APP_VERSION, DEFAULT_PAGE_MAX_BATCH_EVENTS, DEFAULT_PAGE_MAX_QUEUE_EVENTS } from '../constants.js';
import { createOtlpJsonEncoder } from '../encoding/otlpJson.js';
import { createPageDelivery } from '../internal/pageDelivery.js';
import type { ConsentState, TelemetryEvent } from '../types.js';
import type { LiteClient, LiteClientOptions, LiteDropReason } from './types.js';

/** Every reason the lite client counts drops under. */
export const LITE_DROP_REASONS = 'consent invalid queue_full no_endpoint rejected send_failed page_hidden shutdown rate_limited'.split(' ') as readonly LiteDropReason[];

/** Whether `v` is a JSON value: finite numbers, plain objects and arrays at most 8 deep. */
const isJson = (v: unknown, depth: number): boolean =>
  v === null || typeof v == 'string' || typeof v == 'boolean' || (typeof v == 'number' ? isFinite(v) : depth < 8 && (Array.isArray(v) || isPlainObject(v)) && Object.values(v).every((x) => isJson(x, depth + 1)));

/**
 * The event client of `@lookout/browser/lite`, for pages where every kilobyte counts. Events are
 * scrubbed with core's redaction, held in a bounded queue and POSTed as OTLP/HTTP logs JSON (the
 * records of the page and full clients) by count or `flushIntervalMs` after the first, one request
 * at a time. Network errors, 408, 429 and 5xx are retried with exponential backoff and jitter
 * (`Retry-After` in seconds or as a date honoured, up to 5 minutes); other answers are counted
 * `rejected`. When the page is hidden or closed, the queue leaves at once as keepalive requests
 * inside core's shared page budget, oldest events first; what does not fit is counted
 * `page_hidden`. Do Not Track and Global Privacy Control mean `denied`.
 *
 * Options are taken as given, not checked: `@lookout/browser/lite` checks them first. No method
 * throws for checked options; `flush` and `shutdown` never reject.
 */
export function createLiteClient(o: LiteClientOptions): LiteClient {
  const nav = (globalThis as { navigator?: { doNotTrack?: string | null; globalPrivacyControl?: boolean } }).navigator;
  const endpoint = o.endpoint;
  const maxQueue = o.maxQueueEvents ?? DEFAULT_PAGE_MAX_QUEUE_EVENTS;
  const sessionId = randomId();
  const dropped = {} as Record<LiteDropReason, number>;
  for (const reason of LITE_DROP_REASONS) dropped[reason] = 0;
  const stats = {
    get queued() {
      return delivery.held;
    },
    sent: 0,
    retried: 0,
    dropped,
  };
  let consent: ConsentState = nav?.doNotTrack == '1' || nav?.globalPrivacyControl ? 'denied' : (o.consent ?? 'granted');
  let userId: string | undefined;
  let stopped = false;
  const drop = (reason: LiteDropReason, n = 1): undefined => void (dropped[reason] += n);
  const delivery = createPageDelivery({
    endpoint: endpoint ?? '',
    headers: { ...o.headers, 'content-type': 'application/json' },
    encode: createOtlpJsonEncoder({ appName: o.serviceName ?? DEFAULT_APP_NAME, resourceAttributes: o.resourceAttributes ?? {} }),
    maxBatch: o.maxBatchEvents ?? DEFAULT_PAGE_MAX_BATCH_EVENTS,
    flushIntervalMs: o.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
    maxAttempts: o.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS,
    initialBackoffMs: DEFAULT_RETRY_INITIAL_BACKOFF_MS,
    maxBackoffMs: DEFAULT_RETRY_MAX_BACKOFF_MS,
    counters: stats,
    allowed: () => consent == 'granted' && !!endpoint,
    denied: () => consent == 'denied',
    drop,
  });

  let closing: Promise<void> | undefined;
  const client: LiteClient = {
    track(name, properties) {
      if (stopped) return drop('shutdown');
      if (consent == 'denied') return drop('consent');
      if (!endpoint) return drop('no_endpoint');
      let props: Record<string, unknown> | undefined;
      try {
        // Spread: a `__proto__` key stays an own property. Getters that throw, at any depth, make the event invalid.
        props = { ...properties };
        for (const key in props) if (props[key] === undefined) delete props[key];
        if (!isPlainObject(properties ?? {}) || !isJson(props, 0)) props = undefined;
      } catch {
        props = undefined;
      }
      if (typeof name != 'string' || !name || name.length > 128 || !props) {
        o.warn?.('lite/invalid', 'track: an invalid event was dropped (name: 1–128 characters; properties: a plain object of JSON values)');
        return drop('invalid');
      }
      if (delivery.held >= maxQueue) {
        o.warn?.('lite/queue-full', `track: queue full (${maxQueue} events); events are dropped (queue_full)`);
        return drop('queue_full');
      }
      const event: TelemetryEvent = { id: randomId(), name, timestamp: Date.now(), sessionId, appVersion: o.serviceVersion ?? DEFAULT_APP_VERSION, platform: 'browser', properties: scrubValue(props!) as TelemetryEvent['properties'] };
      if (userId) event.userId = userId;
      delivery.queue.push(event);
      delivery.schedule();
      return event.id;
    },
    identify(id) {
      userId = id && scrubValue(id);
    },
    optIn() {
      if (!stopped) consent = 'granted';
      delivery.schedule();
    },
    optOut() {
      consent = 'denied';
      drop('consent', delivery.clear().length);
    },
    get consent() {
      return consent;
    },
    sessionId,
    stats,
    flush: (ms) => delivery.flush(ms),
    shutdown(ms) {
      return (closing ??= delivery.flush(ms).then(() => {
        stopped = true;
        drop(consent == 'denied' ? 'consent' : 'shutdown', delivery.stop().length);
      }));
    },
  };
  if (o.userId) client.identify(o.userId);
  return client;
}
