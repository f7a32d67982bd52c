import type { Diagnostics } from '../diagnostics/index.js';

/**
 * The smallest view of an `AbortSignal` Lookout relies on. Core is compiled without DOM or Node
 * types, so it names only what it uses; a real `AbortSignal` satisfies it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One encoded batch handed to a {@link Transport}. */
export interface TransportRequest {
  /** The encoded payload. Sent as is; a transport never re-encodes it. */
  body: string | Uint8Array;
  /** The `Content-Type` of `body`, e.g. `application/json` or `application/x-sentry-envelope`. */
  contentType: string;
  /** Extra headers for this request only; a transport's own headers are sent too. */
  headers?: Readonly<Record<string, string>>;
  /** How many items the body carries (for the transport's own accounting and logs). */
  items: number;
  /** Size of `body` in bytes (UTF-8 for strings). */
  bytes: number;
  /** Give up after this many milliseconds and report a `retryable` timeout. */
  timeoutMs?: number;
  /** Aborted when the caller no longer wants the result (e.g. at shutdown). */
  signal?: AbortSignalLike;
}

/**
 * What became of one send. Transports never throw: every outcome, network errors included, is
 * one of these.
 * - `success`: the receiver accepted the batch.
 * - `retryable`: try again later (network error, timeout, 408, 429, 5xx). `retryAfterMs` is the
 *   receiver's own request (429/503 `Retry-After`) and is honoured by the queue.
 * - `failure`: the receiver refused this batch; sending it again would fail again (other 4xx).
 *   `reported: true` says the transport has already explained the refusal with its own
 *   diagnostic, so the queue counts the drop without a second, vaguer warning.
 */
export type TransportResult =
  | { kind: 'success' }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number; status?: number }
  | { kind: 'failure'; reason: string; status?: number; reported?: boolean };

/**
 * Sends encoded batches somewhere. Core supplies {@link makeFetchTransport}; platform packages
 * supply others (Node `http` with keep-alive, `sendBeacon`). `send` must resolve, never reject.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResult>;
}

/** Why items were dropped. Every drop is counted under exactly one reason. */
export type DropReason =
  /** The queue was at `maxQueueItems` or `maxQueueBytes` when the item arrived. */
  | 'queue_full'
  /** The item alone is larger than a batch may be (`maxBatchBytes`, or a beacon budget). */
  | 'too_large'
  /** A retryable batch failed `retry.maxAttempts` times. */
  | 'retries_exhausted'
  /** The receiver refused the batch (`failure`), or it could not be encoded. */
  | 'rejected'
  /** Still queued when `shutdown()` reached its deadline, or enqueued after shutdown. */
  | 'shutdown'
  /** Reported by the caller: the item failed validation (or could not be measured). */
  | 'invalid'
  /** Reported by the caller: the item was not kept by sampling. */
  | 'sampled_out';

/** Counters of a queue's life, by item unless named otherwise. Plain numbers, updated in place. */
export interface BatchQueueStats {
  /** Items accepted by `enqueue`. */
  enqueued: number;
  /** Items the receiver accepted. */
  sent: number;
  /** Batches the receiver accepted. */
  sentBatches: number;
  /** Sends that were a retry of an earlier attempt of the same batch. */
  retried: number;
  /** Sends whose result was not `success` (retryable or failure). */
  failedSends: number;
  /** Times the circuit breaker opened. */
  circuitOpened: number;
  /** Items dropped, by reason. */
  dropped: Record<DropReason, number>;
  /** Items held right now (queued, waiting for a retry, or in flight). */
  queuedItems: number;
  /** Bytes (as measured by `sizeOf`) held right now. */
  queuedBytes: number;
}

/** Retry policy for `retryable` results: exponential backoff, with full jitter by default. */
export interface RetryOptions {
  /** Attempts per batch, the first send included. Default {@link DEFAULT_RETRY_MAX_ATTEMPTS}. `1` disables retries. */
  maxAttempts?: number;
  /** Backoff ceiling before the first retry, in ms; doubles each attempt. Default {@link DEFAULT_RETRY_INITIAL_BACKOFF_MS}. */
  initialBackoffMs?: number;
  /** Largest backoff ceiling, in ms. Default {@link DEFAULT_RETRY_MAX_BACKOFF_MS}. */
  maxBackoffMs?: number;
  /**
   * `true` (default): wait a random time in [0, ceiling) ("full jitter"), so many clients that
   * failed together do not retry together. `false`: wait exactly the ceiling.
   */
  jitter?: boolean;
  /**
   * Longest wait a receiver's `Retry-After` may impose, in ms; longer requests are clamped.
   * Default {@link DEFAULT_MAX_RETRY_AFTER_MS}.
   */
  maxRetryAfterMs?: number;
}

/** Circuit breaker: stop sending to a receiver that keeps failing, probe it again later. */
export interface CircuitOptions {
  /** Consecutive non-success sends that open the circuit. Default {@link DEFAULT_CIRCUIT_FAILURE_THRESHOLD}. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe send, in ms. Default {@link DEFAULT_CIRCUIT_COOLDOWN_MS}. */
  cooldownMs?: number;
}

/** Timer functions; tests pass fakes. Defaults are the global ones, looked up at call time. */
export interface QueueTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The encoded form of a batch. */
export interface EncodedBatch {
  body: string | Uint8Array;
  contentType: string;
  headers?: Readonly<Record<string, string>>;
}

/** Input of {@link createBatchQueue}. Every field but `transport` and `encode` is optional. */
export interface BatchQueueOptions<T> {
  /** Where batches go. */
  transport: Transport;
  /**
   * Turns a batch into a request body. Called once per batch; a retry resends the same body,
   * so a resend carries exactly the same items. A throw drops the batch as `rejected`.
   */
  encode(items: readonly T[]): EncodedBatch;
  /**
   * Size of one item in bytes, used for the byte bounds. Default: UTF-8 length of
   * `JSON.stringify(item)`. A throw (or a non-finite result) drops the item as `invalid`.
   */
  sizeOf?(item: T): number;
  /** Most items held at once (queued + retrying + in flight). Default {@link DEFAULT_MAX_QUEUE_ITEMS}. */
  maxQueueItems?: number;
  /** Most bytes held at once, by `sizeOf`. Default {@link DEFAULT_MAX_QUEUE_BYTES}. */
  maxQueueBytes?: number;
  /** A batch closes when it has this many items. Default {@link DEFAULT_MAX_BATCH_ITEMS}. */
  maxBatchItems?: number;
  /**
   * A batch closes before it would exceed this many bytes (by `sizeOf`); an item larger than
   * this alone is dropped as `too_large`. Default {@link DEFAULT_MAX_BATCH_BYTES}.
   */
  maxBatchBytes?: number;
  /** A batch closes this many ms after its first item arrived. Default {@link DEFAULT_FLUSH_INTERVAL_MS}. */
  flushIntervalMs?: number;
  /** Per-send timeout passed to the transport, and enforced by the queue too, in ms. Default {@link DEFAULT_SEND_TIMEOUT_MS}. */
  sendTimeoutMs?: number;
  retry?: RetryOptions;
  circuit?: CircuitOptions;
  /** Called after items are dropped, with the reason. Called inside try/catch. */
  onDrop?(reason: DropReason, items: readonly T[]): void;
  /**
   * Offered the items of every drop before it is counted (not the counts `recordDrop` is given
   * without items). Return `true` when the caller has kept them, e.g. written them to a spool for
   * the next start (the send that `shutdown()` aborts is offered this way): they are then not
   * counted as dropped, not warned about and not passed to `onDrop`, and the caller counts them
   * itself. Called inside try/catch; a throw or any other answer drops them as usual.
   */
  keep?(reason: DropReason, items: readonly T[]): boolean;
  /** Where the queue reports drops and internal errors. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Timer functions. Default: the global `setTimeout`/`clearTimeout`, with `unref()` when available. */
  timers?: QueueTimers;
  /** Random source in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** A name for diagnostics, e.g. `'telemetry'`. Default `'queue'`. */
  name?: string;
}

/** State of a queue's circuit breaker. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What `flush` or `shutdown` left behind when it resolved. */
export interface FlushResult {
  /** `true` when nothing was left queued or in flight. */
  complete: boolean;
  /** Items still held (queued, waiting for a retry, or in flight). After shutdown: items that were dropped (or kept by `keep`) or still in flight. */
  pendingItems: number;
  /** Whether a send was still in flight. */
  inFlight: boolean;
}

/** A bounded, batching, retrying queue in front of a {@link Transport}. Its methods never throw. */
export interface BatchQueue<T> {
  /**
   * Adds one item. Returns `true` when it was accepted, `false` when it was dropped
   * (`queue_full`, `too_large`, `invalid`, `shutdown`; counted and passed to `onDrop`).
   */
  enqueue(item: T): boolean;
  /**
   * Closes the open batch and sends everything held, honouring backoff, `Retry-After` and the
   * circuit breaker. Resolves once nothing is held, or after `deadlineMs` milliseconds from now
   * (default {@link DEFAULT_FLUSH_DEADLINE_MS}), whichever is first. Never rejects. While it
   * waits, its deadline timer keeps a Node process alive (every other queue timer is unref'd).
   */
  flush(deadlineMs?: number): Promise<FlushResult>;
  /**
   * Stops accepting items, then flushes; resolves by `deadlineMs` milliseconds from now. What is
   * still queued near the end is dropped as `shutdown`; a send still in flight is aborted, and the
   * end of the deadline (a quarter of it, at most 250 ms) is kept for it to answer, so that its
   * batch is counted (sent, or dropped as `shutdown` and passed to `onDrop`, unless `keep` kept
   * it) before the promise resolves. To keep the queued items (e.g. spool them to disk), call
   * `flush`, then `drain`, then `shutdown`; the aborted send is offered to `keep`. Idempotent;
   * never rejects.
   */
  shutdown(deadlineMs?: number): Promise<FlushResult>;
  /**
   * Removes and returns every held item that is not in flight, oldest first, without counting
   * them as dropped: the caller owns them now. The batch in flight (if any) stays.
   */
  drain(): T[];
  /**
   * Counts items the caller dropped before they reached the queue (`invalid`, `sampled_out`,
   * or `too_large` from {@link splitForBudget}). `items` is an array of them or a count (default 1).
   */
  recordDrop(reason: DropReason, items?: readonly T[] | number): void;
  /** Live counters; the same object for the queue's lifetime. */
  readonly stats: Readonly<BatchQueueStats>;
  /** The circuit breaker's current state. */
  readonly circuitState: CircuitState;
}
