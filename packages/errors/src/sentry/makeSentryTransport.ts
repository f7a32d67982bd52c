import { createBatchQueue, createBodyCompressor, describeError, getDiagnostics, makeFetchTransport, observeDeliveryStats, utf8Length } from '@lookout/core';
import type {
  BatchQueue,
  CircuitOptions,
  Diagnostics,
  DropReason,
  FetchInitLike,
  FetchLike,
  FetchResponseLike,
  MetricsRegistry,
  RetryOptions as QueueRetryOptions,
  Transport,
  TransportRequest,
  TransportResult,
} from '@lookout/core';
import type { SentryDropReason, SentryTransportStats } from '../types.js';

/** Why the transport dropped envelopes: the kernel's reasons, a Sentry rate limit, or consent withdrawn ({@link LookoutSentryTransport.clear}). */
export type SentryTransportDropReason = SentryDropReason | 'consent';
import { DEFAULT_SENTRY_GZIP_MIN_BYTES } from './gzip.js';
import type { SentryGzip } from './gzip.js';
import { envelopeCategories, itemCategory, serializeEnvelope } from './envelope.js';
import type { EnvelopeLike } from './envelope.js';
import { SentryRateLimits } from './rateLimits.js';

/** Envelopes held at once by default (queued, waiting for a retry, or in flight). */
export const DEFAULT_SENTRY_MAX_QUEUE_ITEMS = 1000;
/** Bytes held at once by default: 8 MiB (an error event is typically 2–10 KB). */
export const DEFAULT_SENTRY_MAX_QUEUE_BYTES = 8 * 1024 * 1024;
/** Largest envelope sent by default: 1 MiB, Sentry's own limit for an event. */
export const DEFAULT_SENTRY_MAX_ENVELOPE_BYTES = 1024 * 1024;
/** Request timeout by default. Sentry's own Node transport has none. */
export const DEFAULT_SENTRY_SEND_TIMEOUT_MS = 5000;
/**
 * Retries by default: up to 10 attempts per envelope, backoff from 500 ms to 5 s (full jitter),
 * so a receiver that is away for about half a minute loses nothing the queue can hold.
 */
export const DEFAULT_SENTRY_RETRY: Readonly<Required<QueueRetryOptions>> = Object.freeze({
  maxAttempts: 10,
  initialBackoffMs: 500,
  maxBackoffMs: 5000,
  jitter: true,
  maxRetryAfterMs: 5 * 60_000,
});
/** Circuit breaker by default: 5 failures in a row pause sending for 5 s, then one probe. */
export const DEFAULT_SENTRY_CIRCUIT: Readonly<Required<CircuitOptions>> = Object.freeze({ failureThreshold: 5, cooldownMs: 5000 });

/** Pseudo-header carrying an envelope's categories from `encode` to the transport; never sent. */
const CATEGORIES_HEADER = 'x-lookout-sentry-categories';
const ENVELOPE_CONTENT_TYPE = 'application/x-sentry-envelope';

/** One serialised envelope, as held by the queue and handed to a spool. */
export interface SpooledEnvelope {
  /** The envelope's wire form. */
  body: string | Uint8Array;
  /** Its rate-limit categories (`error`, `session`, …). */
  categories: string[];
}

/**
 * Where envelopes go when the process ends before they could be sent, and where they come back
 * from at the next start. `@lookout/node` implements it on disk; this package writes no files.
 * Both calls are synchronous (a process `exit` handler cannot wait) and guarded.
 */
export interface SentrySpool {
  /** Keeps envelopes that could not be sent (called at shutdown and on process exit). */
  save(envelopes: readonly SpooledEnvelope[]): void;
  /** Returns envelopes kept by an earlier run (called once, when the transport is created); they are sent first. */
  load?(): readonly SpooledEnvelope[] | undefined;
}

/** Options of {@link makeSentryTransport}. Every field is optional. */
export interface SentryTransportOptions {
  /** Default {@link DEFAULT_SENTRY_MAX_QUEUE_ITEMS}. */
  maxQueueItems?: number;
  /** Default {@link DEFAULT_SENTRY_MAX_QUEUE_BYTES}. */
  maxQueueBytes?: number;
  /** Larger envelopes are dropped as `too_large`. Default {@link DEFAULT_SENTRY_MAX_ENVELOPE_BYTES}. */
  maxEnvelopeBytes?: number;
  /** Default {@link DEFAULT_SENTRY_SEND_TIMEOUT_MS}. */
  sendTimeoutMs?: number;
  /** Default {@link DEFAULT_SENTRY_RETRY}. */
  retry?: QueueRetryOptions;
  /** Default {@link DEFAULT_SENTRY_CIRCUIT}. */
  circuit?: CircuitOptions;
  /**
   * `Content-Type` of each request. Default `application/x-sentry-envelope`; browsers use
   * `text/plain;charset=UTF-8`, which needs no CORS preflight. A gzipped envelope carries
   * `Content-Encoding`, which does: Sentry allows it, and the preflight is cached.
   */
  contentType?: string;
  /** Send with `keepalive` (browsers, within the page's beacon budget). Default `false`. */
  keepalive?: boolean;
  /**
   * How envelopes of at least `gzipMinBytes` are compressed before sending (`Content-Encoding:
   * gzip`, which Sentry's ingestion accepts). Default: zlib's `gzip` on Node's thread pool from
   * `./sentry-node`; `CompressionStream` elsewhere, and uncompressed where there is none. `false`
   * never compresses. A gzip that fails sends the envelope uncompressed (one diagnostic).
   */
  gzip?: SentryGzip | false;
  /**
   * Smallest envelope compressed, in bytes before compression. Default
   * {@link DEFAULT_SENTRY_GZIP_MIN_BYTES} (32 KiB, as `@sentry/node`). Queue bounds,
   * `maxEnvelopeBytes` and drop counts always use the uncompressed size.
   */
  gzipMinBytes?: number;
  /** The fetch to use. Default: the global `fetch`, looked up at each send. */
  fetchImpl?: FetchLike;
  /** See {@link SentrySpool}. */
  spool?: SentrySpool;
  /** Registry of Lookout's delivery metrics (`lookout_delivery_*{signal}`). Default: none, and no delivery metrics (`@lookout/node` passes its registry). */
  registry?: MetricsRegistry;
  /** The `signal` label of those metrics. Default `'errors'`. */
  signal?: string;
  diagnostics?: Diagnostics;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** What a Sentry client passes to a transport factory. */
export interface SentryTransportFactoryOptions {
  url: string;
  headers?: Record<string, string>;
  recordDroppedEvent?: (reason: string, category: string, count?: number) => void;
}

/** The transport a Sentry client gets from {@link makeSentryTransport}, with Lookout's extras. */
export interface LookoutSentryTransport {
  /** Serialises and queues the envelope; resolves at once (delivery is the queue's job). */
  send(envelope: EnvelopeLike): Promise<{ statusCode?: number }>;
  /** Resolves `true` once nothing is held, `false` at `timeoutMs` (default 5000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /**
   * Flushes until `timeoutMs`, hands what is left to the spool (if any), the send it aborts
   * included, then stops. An envelope whose request went out unanswered (that one, or one waiting
   * for a retry after a timeout) may already be in Sentry: it is spooled only when it holds events
   * (Sentry drops an `event_id` it already has), else dropped, counted as `shutdown` with one
   * `errors/sentry-not-resent` diagnostic (sessions and client reports would be counted twice).
   */
  shutdown(timeoutMs?: number): Promise<boolean>;
  /** Hands every envelope not in flight to the spool now (as `shutdown` does), synchronously; returns how many. */
  spoolNow(): number;
  /**
   * For process `exit` (synchronous): every envelope still held, the one in flight included (its
   * request cannot finish now), goes to the spool, by the rule of `shutdown` (the one in flight
   * may have reached Sentry); without a spool (or when it fails) they are dropped, counted as
   * `shutdown`, with one diagnostic saying so. Returns how many were spooled.
   */
  exitNow(): number;
  /**
   * For consent withdrawn (the page's `optOut()`): drops every envelope held, queued or waiting
   * for a retry, counted as `consent` and reported to Sentry as nothing (no client report: nothing
   * more is sent). The one in flight cannot be called back; should it fail, it is not retried but
   * dropped the same way. Later envelopes are sent as usual. Returns how many were dropped now.
   */
  clear(): number;
  /** A snapshot of the queue's counters. */
  readonly stats: SentryTransportStats & { dropped: Record<SentryTransportDropReason, number> };
}

/**
 * A Sentry transport factory (for `transport` in Sentry's client options) built on Lookout's
 * delivery kernel instead of Sentry's fire-and-forget buffer: a queue bounded in envelopes and
 * bytes, retries with backoff and jitter that honour `Retry-After`, a request timeout, a circuit
 * breaker, flush with a deadline and a spool hook. Sentry's rate limits (`X-Sentry-Rate-Limits`,
 * a 429) apply per category, as in Sentry's SDK: items of a limited category are dropped while
 * the limit lasts (counted as `rate_limited`, reported as `ratelimit_backoff`), those already
 * queued included, and other categories keep flowing; a known limit is never a failed attempt. Envelopes of 32 KiB and more are sent
 * gzip-compressed (see `gzip`), each compressed once however often it is retried. Every drop is
 * counted by reason in `lookout_delivery_items_dropped_total{signal="errors"}` and reported to
 * the Sentry client as a client report (`recordDroppedEvent`).
 */
export function makeSentryTransport(options: SentryTransportOptions = {}): (sentryOptions: SentryTransportFactoryOptions) => LookoutSentryTransport {
  const o: SentryTransportOptions = typeof options === 'object' && options !== null ? options : {};
  return (sentryOptions) => createLookoutSentryTransport(o, sentryOptions);
}

function createLookoutSentryTransport(o: SentryTransportOptions, sentry: SentryTransportFactoryOptions): LookoutSentryTransport {
  const diagnostics = (): Diagnostics => o.diagnostics ?? getDiagnostics();
  const now = typeof o.now === 'function' ? o.now : Date.now;
  const limits = new SentryRateLimits();
  let spooled = 0;
  /** Envelopes dropped because of a Sentry rate limit (the `rate_limited` drop reason). */
  let rateLimited = 0;
  /** Envelopes dropped by `clear()` (the `consent` drop reason). */
  let withdrawnCount = 0;
  /** The envelope in flight at `clear()`: should it come back for a retry, it is dropped instead. */
  let withdrawn: SpooledEnvelope | undefined;
  /** Envelopes the queue was told were sent though they were dropped here (rate limit, consent), so that it neither retries them nor counts a failure: taken off `sent`. */
  let limitedAsSent = 0;
  /** Items put back into the queue after a `drain()`: taken off `enqueued`. */
  let requeued = 0;
  /** Envelopes still held at process exit, without a spool to take them: added to `shutdown`. */
  let exitDropped = 0;
  /**
   * Envelopes whose request went out and got no answer (a timeout, a reset, the abort at shutdown,
   * the one in flight at exit): Sentry may have them. Not one that never left (connection refused,
   * DNS failure, no fetch: see {@link mayHaveReached}). See {@link resendable}.
   */
  const maybeDelivered = new WeakSet<SpooledEnvelope>();
  /** The envelope sent last: while a send is in flight, the one in flight. */
  let current: (SpooledEnvelope & { bytes: number }) | undefined;
  const last: {
    response: { status: number; rateLimits: string | null; retryAfter: string | null } | undefined;
    /** Whether the request was handed to fetch at all (not when fetch is missing or the send was aborted first). */
    called: boolean;
    /** What fetch threw, if it did. */
    error: unknown;
    /** Counts sends: a fetch that rejects after its send gave up (timed out) does not write over the next one's `error`. */
    send: number;
  } = { response: undefined, called: false, error: undefined, send: 0 };

  // Wraps fetch only to read Sentry's rate-limit headers; core's fetch transport does the rest
  // (timeout, abort, keepalive budget, status classification). The queue sends one request at
  // a time, so `last.response` always belongs to the request being awaited.
  const capturingFetch: FetchLike = async (url: string, init: FetchInitLike): Promise<FetchResponseLike> => {
    const impl = o.fetchImpl ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (typeof impl !== 'function') throw new Error('fetch is not available');
    last.called = true;
    const send = last.send;
    let response: FetchResponseLike;
    try {
      response = await impl(url, init);
    } catch (error) {
      if (last.send === send) last.error = error;
      throw error;
    }
    last.response = {
      status: response.status,
      rateLimits: response.headers.get('x-sentry-rate-limits'),
      retryAfter: response.headers.get('retry-after'),
    };
    return response;
  };
  const compressor = createBodyCompressor({
    gzip: gzipOption(o.gzip, diagnostics),
    minBytes: gzipMinBytesOption(o.gzipMinBytes, diagnostics),
    onFailure: (error) => {
      diagnostics().warn('errors/sentry-gzip-failed', `Sentry transport: gzip failed, envelopes are sent uncompressed: ${describeError(error)}`, 'errors/sentry-gzip-failed');
    },
  });
  const fetchOptions: Parameters<typeof makeFetchTransport>[0] = {
    url: sentry.url,
    fetchImpl: capturingFetch,
    timeoutMs: positive(o.sendTimeoutMs, DEFAULT_SENTRY_SEND_TIMEOUT_MS),
    keepalive: o.keepalive === true,
  };
  if (sentry.headers !== undefined) fetchOptions.headers = sentry.headers;
  const http = makeFetchTransport(fetchOptions);

  /**
   * Counts envelopes dropped for a Sentry rate limit, with one diagnostic per set of categories;
   * `report`: also as `ratelimit_backoff` client reports (not for the envelope a 429 refused:
   * Sentry counted that one itself).
   */
  const dropLimited = (categoryLists: readonly (readonly string[])[], report: boolean): void => {
    if (categoryLists.length === 0) return;
    rateLimited += categoryLists.length;
    for (const categories of categoryLists) {
      if (report) reportDropped(sentry, 'ratelimit_backoff', categories);
      const names = categories.join(', ');
      diagnostics().warn('errors/sentry-rate-limited', `Sentry transport: Sentry rate-limits ${names}; such envelopes are dropped while it lasts (counted as rate_limited)`, `errors/sentry-rate-limited:${names}`);
    }
  };
  /** The queue's answer for an envelope dropped for a rate limit: `success`, so it is neither retried nor a failed send (the receiver is answering); taken off `sent` in the stats. */
  const limitedAnswer = (categories: readonly string[], report: boolean): TransportResult => {
    compressor.release();
    dropLimited([categories], report);
    limitedAsSent++;
    return { kind: 'success' };
  };

  const transport: Transport = {
    async send(request: TransportRequest): Promise<TransportResult> {
      const item = current;
      const { [CATEGORIES_HEADER]: categoryList, ...headers } = request.headers ?? {};
      const categories = typeof categoryList === 'string' && categoryList !== '' ? categoryList.split(',') : [];
      // The envelope in flight when consent was withdrawn, back for a retry (`current` is the one the queue sends).
      if (current !== undefined && current === withdrawn) {
        withdrawn = undefined;
        compressor.release();
        withdrawnCount++;
        limitedAsSent++;
        return { kind: 'success' };
      }
      // Queued envelopes are dropped when a limit arrives; this catches one that slipped through.
      if (limits.waitMs(categories, now()) > 0) return limitedAnswer(categories, true);
      const outgoing = await compressor.compress({ ...request, headers });
      last.response = undefined;
      last.called = false;
      last.error = undefined;
      last.send++;
      const result = await http.send(outgoing);
      const response = readLast(last);
      if (response === undefined && result.kind !== 'success' && item !== undefined && mayHaveReached(last.called, last.error)) maybeDelivered.add(item);
      if (response !== undefined && (response.status === 429 || response.rateLimits !== null)) {
        limits.update(response.status, response.rateLimits, response.retryAfter, now());
        dropQueuedLimited();
        // Sentry refused this envelope for a rate limit and counted it: it is not sent again.
        if (response.status === 429) return limitedAnswer(categories, false);
      }
      // A retryable envelope comes back with the same body: keep its compressed form until then.
      if (result.kind !== 'retryable') compressor.release();
      return result;
    },
  };

  const queue: BatchQueue<SpooledEnvelope & { bytes: number }> = createBatchQueue({
    name: 'sentry',
    transport,
    // An envelope carries at most one event, so each envelope is its own request.
    maxBatchItems: 1,
    maxBatchBytes: positive(o.maxEnvelopeBytes, DEFAULT_SENTRY_MAX_ENVELOPE_BYTES),
    maxQueueItems: positive(o.maxQueueItems, DEFAULT_SENTRY_MAX_QUEUE_ITEMS),
    maxQueueBytes: positive(o.maxQueueBytes, DEFAULT_SENTRY_MAX_QUEUE_BYTES),
    flushIntervalMs: 0,
    sendTimeoutMs: positive(o.sendTimeoutMs, DEFAULT_SENTRY_SEND_TIMEOUT_MS),
    retry: { ...DEFAULT_SENTRY_RETRY, ...(o.retry ?? {}) },
    circuit: { ...DEFAULT_SENTRY_CIRCUIT, ...(o.circuit ?? {}) },
    sizeOf: (item) => item.bytes,
    encode: (items) => {
      const item = items[0];
      current = item;
      return {
        body: item?.body ?? '',
        contentType: typeof o.contentType === 'string' && o.contentType !== '' ? o.contentType : ENVELOPE_CONTENT_TYPE,
        headers: { [CATEGORIES_HEADER]: (item?.categories ?? []).join(',') },
      };
    },
    // The send that shutdown aborted (or any envelope left at its deadline) goes to the spool when
    // one is set: kept for the next start, so counted as spooled, not as dropped.
    keep: (reason, items) => reason === 'shutdown' && settle(items) !== undefined,
    onDrop: (reason, items) => {
      for (const item of items) reportDropped(sentry, SENTRY_DROP_REASON[reason], item.categories);
    },
    ...(o.diagnostics === undefined ? {} : { diagnostics: o.diagnostics }),
    ...(typeof o.now === 'function' ? { now: o.now } : {}),
  });
  /** The envelope in flight, if any: what the queue still holds after a drain. */
  const inFlight = (): (SpooledEnvelope & { bytes: number }) | undefined => (queue.stats.queuedItems > 0 ? current : undefined);
  // The queue's counters, corrected for what the transport did around it, and what the gzip step did.
  const stats = (): LookoutSentryTransport['stats'] => {
    const q = queue.stats;
    const dropped: Record<SentryTransportDropReason, number> = { ...q.dropped, shutdown: q.dropped.shutdown + exitDropped + notResent, rate_limited: rateLimited, consent: withdrawnCount };
    return { ...q, enqueued: q.enqueued - requeued, sent: q.sent - limitedAsSent, sentBatches: q.sentBatches - limitedAsSent, dropped, spooled, compression: { ...compressor.stats } };
  };
  try {
    const source = {
      get stats() {
        return stats();
      },
    };
    if (o.registry !== undefined) observeDeliveryStats(source, typeof o.signal === 'string' && o.signal !== '' ? o.signal : 'errors', o.registry);
  } catch (error) {
    diagnostics().internalError(error, 'errors.sentryTransport.observe');
  }

  const enqueue = (item: SpooledEnvelope): boolean => {
    const bytes = typeof item.body === 'string' ? utf8Length(item.body) : item.body.length;
    return queue.enqueue({ body: item.body, categories: item.categories, bytes });
  };

  /** Puts drained items back, oldest first. */
  const requeue = (items: readonly SpooledEnvelope[]): void => {
    for (const item of items) if (enqueue(item)) requeued++;
  };

  /** Drops the queued envelopes (not the one in flight) that a rate limit now covers; the others keep their place. */
  function dropQueuedLimited(): void {
    const held = queue.drain();
    const at = now();
    const limited = held.filter((item) => limits.waitMs(item.categories, at) > 0);
    dropLimited(
      limited.map((item) => item.categories),
      true,
    );
    requeue(limited.length === 0 ? held : held.filter((item) => !limited.includes(item)));
  }

  /**
   * Whether an envelope may be sent again in a later run. One Sentry may already have (see
   * `maybeDelivered`) only when every item is an event: Sentry's ingestion drops an event whose
   * `event_id` it processed in the last hour; sessions, client reports, transactions (their
   * metrics) and the rest would be counted twice.
   */
  const resendable = (item: SpooledEnvelope): boolean => !maybeDelivered.has(item) || item.categories.every((c) => c === 'error' || c === 'attachment');
  /** Envelopes Sentry may have, not spooled because a resend would be counted twice: added to `shutdown`. */
  let notResent = 0;

  /**
   * At the end of a run: spools what may be sent again and drops (counted as `shutdown`, one
   * diagnostic) what Sentry may already have and would count twice. Returns how many were
   * spooled, or `undefined` without a spool or when it failed (nothing counted: the caller drops).
   */
  const settle = (items: readonly SpooledEnvelope[]): number | undefined => {
    if (o.spool === undefined) return undefined;
    const safe = items.filter(resendable);
    if (safe.length > 0 && !spool(safe)) return undefined;
    const unsure = items.length - safe.length;
    if (unsure > 0) {
      notResent += unsure;
      const categories = [...new Set(items.filter((item) => !resendable(item)).flatMap((item) => item.categories))].join(', ');
      diagnostics().warn(
        'errors/sentry-not-resent',
        `Sentry transport: ${unsure} envelope(s) (${categories}) may have reached Sentry before their request was cut short; they are not spooled, as Sentry would count them twice (counted as dropped: shutdown)`,
        'errors/sentry-not-resent',
      );
    }
    return safe.length;
  };

  const spool = (items: readonly SpooledEnvelope[]): boolean => {
    if (items.length === 0 || o.spool === undefined) return false;
    try {
      o.spool.save(items.map((i) => ({ body: i.body, categories: i.categories })));
      spooled += items.length;
      diagnostics().info('errors/sentry-spooled', `Sentry transport: ${items.length} envelope(s) not sent yet were spooled, to be sent at the next start`, 'errors/sentry-spooled');
      return true;
    } catch (error) {
      diagnostics().internalError(error, 'errors.sentryTransport.spool');
      return false;
    }
  };

  if (o.spool !== undefined && typeof o.spool.load === 'function') {
    try {
      const restored = o.spool.load();
      if (Array.isArray(restored)) {
        for (const item of restored) {
          if (isSpooled(item)) enqueue(item);
          else queue.recordDrop('invalid');
        }
      }
    } catch (error) {
      diagnostics().internalError(error, 'errors.sentryTransport.load');
    }
  }

  return {
    send(envelope) {
      try {
        // As Sentry's own transport: items of a rate-limited category are dropped, not queued.
        const at = now();
        const limited = envelope[1].filter(([headers]) => limits.waitMs([itemCategory(headers)], at) > 0);
        if (limited.length > 0) {
          for (const [headers] of limited) reportDropped(sentry, 'ratelimit_backoff', [itemCategory(headers)]);
          const kept = envelope[1].filter((item) => !limited.includes(item));
          if (kept.length === 0) {
            dropLimited([envelopeCategories(envelope)], false);
            return Promise.resolve({});
          }
          envelope = [envelope[0], kept];
        }
        const body = serializeEnvelope(envelope);
        enqueue({ body, categories: envelopeCategories(envelope) });
      } catch (error) {
        diagnostics().internalError(error, 'errors.sentryTransport.send');
        queue.recordDrop('invalid');
      }
      return Promise.resolve({});
    },
    flush(timeoutMs) {
      return queue.flush(timeoutMs).then((r) => r.complete);
    },
    async shutdown(timeoutMs) {
      const flushed = await queue.flush(timeoutMs);
      if (!flushed.complete && o.spool !== undefined) {
        const left = queue.drain();
        if (settle(left) === undefined) requeue(left);
      }
      const result = await queue.shutdown(0);
      return flushed.complete || result.complete;
    },
    spoolNow() {
      try {
        if (o.spool === undefined) return 0;
        const left = queue.drain();
        const kept = settle(left);
        if (kept !== undefined) return kept;
        requeue(left);
        return 0;
      } catch (error) {
        diagnostics().internalError(error, 'errors.sentryTransport.spoolNow');
        return 0;
      }
    },
    exitNow() {
      try {
        const left = queue.drain();
        const sending = inFlight();
        if (sending !== undefined) {
          // Its request is out and cannot finish now: Sentry may have it.
          maybeDelivered.add(sending);
          left.unshift(sending);
        }
        if (left.length === 0) return 0;
        const kept = settle(left);
        if (kept !== undefined) return kept;
        exitDropped += left.length;
        for (const item of left) reportDropped(sentry, SENTRY_DROP_REASON.shutdown, item.categories);
        const categories = [...new Set(left.flatMap((item) => item.categories))].join(', ');
        diagnostics().warn(
          'errors/sentry-unsent-at-exit',
          `Sentry transport: ${left.length} envelope(s) (${categories}) were not sent before the process exited and are lost; set transport.spool to keep them for the next start`,
          'errors/sentry-unsent-at-exit',
        );
        return 0;
      } catch (error) {
        diagnostics().internalError(error, 'errors.sentryTransport.exitNow');
        return 0;
      }
    },
    clear() {
      try {
        const left = queue.drain();
        withdrawn = inFlight();
        withdrawnCount += left.length;
        return left.length;
      } catch (error) {
        diagnostics().internalError(error, 'errors.sentryTransport.clear');
        return 0;
      }
    },
    get stats() {
      return stats();
    },
  };
}

/**
 * Error codes (Node's, undici's) of a request that certainly never reached the server: no
 * connection was made, so nothing was sent.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

/**
 * Whether a send that got no HTTP response may still have reached Sentry: its request went to
 * fetch and did not fail before connecting (a timeout, an abort in flight, a reset, or an error
 * we cannot read, as a browser's bare `Failed to fetch`). Not when fetch was missing, the send
 * was aborted before it started, or the error (or its `cause`, or one of an AggregateError's
 * errors) carries a code of {@link NEVER_SENT_CODES} (connection refused, DNS failure, network
 * unreachable).
 */
function mayHaveReached(called: boolean, error: unknown): boolean {
  if (!called) return false;
  return error === undefined || !neverSent(error, 0);
}

function neverSent(error: unknown, depth: number): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  try {
    const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => neverSent(e, depth + 1))) return true;
    return neverSent(cause, depth + 1);
  } catch {
    return false;
  }
}

/** Sentry's client-report reason for each of the kernel's drop reasons. */
const SENTRY_DROP_REASON: Readonly<Record<DropReason, string>> = {
  queue_full: 'queue_overflow',
  too_large: 'send_error',
  retries_exhausted: 'network_error',
  rejected: 'send_error',
  shutdown: 'network_error',
  invalid: 'internal_sdk_error',
  sampled_out: 'sample_rate',
};

/** Tells the Sentry client, for its client reports, that one item of each category was dropped for `reason`. */
function reportDropped(sentry: SentryTransportFactoryOptions, reason: string, categories: readonly string[]): void {
  if (typeof sentry.recordDroppedEvent !== 'function') return;
  for (const category of categories) {
    // A dropped client report is not itself reported, or reports would never end.
    if (category !== 'internal') sentry.recordDroppedEvent(reason, category, 1);
  }
}

function isSpooled(value: unknown): value is SpooledEnvelope {
  const v = value as Partial<SpooledEnvelope> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    (typeof v.body === 'string' || v.body instanceof Uint8Array) &&
    Array.isArray(v.categories) &&
    v.categories.every((c) => typeof c === 'string')
  );
}

function gzipOption(value: unknown, diagnostics: () => Diagnostics): SentryGzip | false | undefined {
  if (value === undefined || value === false || typeof value === 'function') return value as SentryGzip | false | undefined;
  diagnostics().warn('errors/invalid-options', 'makeSentryTransport: gzip must be a function or false; using the default', 'errors/sentry-transport:gzip');
  return undefined;
}

function gzipMinBytesOption(value: unknown, diagnostics: () => Diagnostics): number {
  if (value === undefined) return DEFAULT_SENTRY_GZIP_MIN_BYTES;
  if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) return value;
  diagnostics().warn('errors/invalid-options', `makeSentryTransport: gzipMinBytes must be a number of bytes from 0; using ${DEFAULT_SENTRY_GZIP_MIN_BYTES}`, 'errors/sentry-transport:gzipMinBytes');
  return DEFAULT_SENTRY_GZIP_MIN_BYTES;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Reads the holder through a call, so the compiler does not assume it is still `undefined` after an await. */
function readLast<T>(holder: { response: T | undefined }): T | undefined {
  return holder.response;
}
