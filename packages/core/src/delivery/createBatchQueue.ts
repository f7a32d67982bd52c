import { describeError, getDiagnostics } from '../diagnostics/index.js';
import type { Diagnostics } from '../diagnostics/index.js';
import {
  DEFAULT_CIRCUIT_COOLDOWN_MS,
  DEFAULT_CIRCUIT_FAILURE_THRESHOLD,
  DEFAULT_FLUSH_DEADLINE_MS,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_BATCH_ITEMS,
  DEFAULT_MAX_QUEUE_BYTES,
  DEFAULT_MAX_QUEUE_ITEMS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_SEND_TIMEOUT_MS,
} from './constants.js';
import { GLOBAL_TIMERS, unrefTimer } from './timers.js';
import { bodyBytes, utf8Length } from './utf8Length.js';
import type {
  AbortSignalLike,
  BatchQueue,
  BatchQueueOptions,
  BatchQueueStats,
  CircuitState,
  DropReason,
  EncodedBatch,
  FlushResult,
  QueueTimers,
  TransportRequest,
  TransportResult,
} from './types.js';

/** Every reason a drop can be counted under, in a stable order. */
export const DROP_REASONS: readonly DropReason[] = [
  'queue_full',
  'too_large',
  'retries_exhausted',
  'rejected',
  'shutdown',
  'invalid',
  'sampled_out',
];

/** Drops worth a (deduplicated) warning; `invalid` and `sampled_out` are the caller's own decisions. */
const WARNED_DROP_REASONS: ReadonlySet<DropReason> = new Set(['queue_full', 'too_large', 'retries_exhausted', 'rejected', 'shutdown']);

/** Extra time a transport gets past `sendTimeoutMs` before the queue stops waiting for it. */
const SEND_TIMEOUT_GRACE_MS = 1000;
/**
 * The last part of `shutdown()`'s deadline (a quarter of it, at most this) is kept for the send it
 * aborts to answer: a transport that honours its signal answers at once, and its batch is then
 * counted (sent, kept by `keep`, e.g. spooled, or dropped as `shutdown` and handed to `onDrop`)
 * before the host can exit. One that does not answer is waited for no longer than the deadline.
 */
const ABORT_SETTLE_MS = 250;

interface Batch<T> {
  items: T[];
  bytes: number;
  attempts: number;
  encoded?: EncodedBatch;
  encodedBytes?: number;
}

interface Settings {
  maxQueueItems: number;
  maxQueueBytes: number;
  maxBatchItems: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  sendTimeoutMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  jitter: boolean;
  maxRetryAfterMs: number;
  failureThreshold: number;
  cooldownMs: number;
}

interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(): void;
}

/**
 * Creates a bounded, batching, retrying queue in front of `options.transport`.
 *
 * - **Bounds:** at most `maxQueueItems` items and `maxQueueBytes` bytes are held (queued,
 *   retrying or in flight). An item that does not fit is dropped as `queue_full`; the items
 *   already held are kept.
 * - **Batches** close when they reach `maxBatchItems`, would pass `maxBatchBytes`, or are
 *   `flushIntervalMs` old, whichever comes first. Each batch is encoded once; retries resend
 *   the same body, so the same items (and ids) arrive.
 * - **One send at a time**, oldest batch first, so order is kept per queue.
 * - **Retries:** a `retryable` result waits an exponential backoff with full jitter, or the
 *   receiver's `retryAfterMs` if longer, then resends; the batch is dropped as
 *   `retries_exhausted` after `retry.maxAttempts`. A `failure` is never retried (`rejected`).
 * - **Circuit breaker:** after `circuit.failureThreshold` consecutive non-success sends the
 *   queue stops sending for `circuit.cooldownMs`, then sends one probe; success closes it,
 *   failure opens it again.
 * - Every drop is counted in `stats.dropped` and passed to `onDrop`, unless `keep` says the
 *   caller kept the items (a spool): those are the caller's to count. Timers are unref'd. No
 *   method throws; `flush` and `shutdown` never reject and resolve by their deadline.
 */
export function createBatchQueue<T>(options: BatchQueueOptions<T>): BatchQueue<T> {
  const queue = new BatchQueueImpl<T>(options);
  return {
    enqueue: (item) => queue.enqueue(item),
    flush: (deadlineMs) => queue.flush(deadlineMs),
    shutdown: (deadlineMs) => queue.shutdown(deadlineMs),
    drain: () => queue.drain(),
    recordDrop: (reason, items) => queue.recordDrop(reason, items),
    stats: queue.stats,
    get circuitState() {
      return queue.circuitState;
    },
  };
}

class BatchQueueImpl<T> {
  readonly stats: BatchQueueStats;
  circuitState: CircuitState = 'closed';

  private readonly _options: BatchQueueOptions<T>;
  private readonly _settings: Settings;
  private readonly _name: string;
  private readonly _timers: QueueTimers;
  private readonly _now: () => number;
  private readonly _random: () => number;
  private _open: T[] = [];
  private _openBytes = 0;
  private readonly _ready: Batch<T>[] = [];
  private _inFlight: Batch<T> | undefined;
  private _inFlightAbort: AbortControllerLike | undefined;
  private _lingerTimer: unknown;
  private _wakeTimer: unknown;
  private _notBeforeMs = 0;
  private _circuitOpenUntilMs = 0;
  private _consecutiveFailures = 0;
  private readonly _idleWaiters = new Set<() => void>();
  /** Called once the send in flight has answered and its batch has been counted. */
  private readonly _sendWaiters = new Set<() => void>();
  private _closed = false;
  private _terminated = false;
  private _shutdownResult: Promise<FlushResult> | undefined;

  constructor(options: BatchQueueOptions<T>) {
    this._options = options ?? ({} as BatchQueueOptions<T>);
    this._name = typeof this._options.name === 'string' ? this._options.name : 'queue';
    this._timers = isTimers(this._options.timers) ? this._options.timers : GLOBAL_TIMERS;
    this._now = typeof this._options.now === 'function' ? this._options.now : Date.now;
    this._random = typeof this._options.random === 'function' ? this._options.random : Math.random;
    const dropped = {} as Record<DropReason, number>;
    for (const reason of DROP_REASONS) dropped[reason] = 0;
    this.stats = {
      enqueued: 0,
      sent: 0,
      sentBatches: 0,
      retried: 0,
      failedSends: 0,
      circuitOpened: 0,
      dropped,
      queuedItems: 0,
      queuedBytes: 0,
    };
    this._settings = this._resolveSettings();
    if (typeof this._options.transport?.send !== 'function' || typeof this._options.encode !== 'function') {
      this._diagnostics().warn(
        'delivery/invalid-options',
        `${this._name}: a BatchQueue needs a transport with send() and an encode() function; every batch will be rejected`,
        `${this._name}:transport`,
      );
    }
  }

  enqueue(item: T): boolean {
    try {
      if (this._closed) {
        this._drop('shutdown', [item]);
        return false;
      }
      const size = this._measure(item);
      if (size === undefined) {
        this._drop('invalid', [item]);
        return false;
      }
      const s = this._settings;
      if (size > s.maxBatchBytes) {
        this._drop('too_large', [item]);
        return false;
      }
      if (this.stats.queuedItems + 1 > s.maxQueueItems || this.stats.queuedBytes + size > s.maxQueueBytes) {
        this._drop('queue_full', [item]);
        return false;
      }
      if (this._open.length > 0 && this._openBytes + size > s.maxBatchBytes) {
        // The open batch is full by bytes: it goes now, not when the next batch's linger ends
        // (which steady traffic would keep pushing back).
        this._closeOpenBatch();
        this._pump();
      }
      this._open.push(item);
      this._openBytes += size;
      this._changeHeld(1, size);
      this.stats.enqueued++;
      if (this._open.length >= s.maxBatchItems || this._openBytes >= s.maxBatchBytes) {
        this._closeOpenBatch();
        this._pump();
      } else if (this._open.length === 1) {
        this._lingerTimer = this._setTimer(() => {
          this._lingerTimer = undefined;
          this._closeOpenBatch();
          this._pump();
        }, s.flushIntervalMs);
      }
      return true;
    } catch (error) {
      this._diagnostics().internalError(error, `${this._name}.enqueue`);
      return false;
    }
  }

  flush(deadlineMs?: number): Promise<FlushResult> {
    try {
      this._closeOpenBatch();
      this._pump();
      if (this._isIdle()) return Promise.resolve(this._result());
      const wait = nonNegativeOr(deadlineMs, DEFAULT_FLUSH_DEADLINE_MS);
      return new Promise<FlushResult>((resolve) => {
        let deadline: unknown;
        const done = (): void => {
          this._idleWaiters.delete(done);
          this._timers.clearTimeout(deadline);
          resolve(this._result());
        };
        this._idleWaiters.add(done);
        // Not unref'd: a host awaiting flush() at exit wants the process kept alive until the
        // queue empties or the deadline passes, even while only (unref'd) backoff timers remain.
        deadline = this._setTimer(done, wait, true);
      });
    } catch (error) {
      this._diagnostics().internalError(error, `${this._name}.flush`);
      return Promise.resolve(this._safeResult());
    }
  }

  shutdown(deadlineMs?: number): Promise<FlushResult> {
    try {
      if (this._shutdownResult !== undefined) return this._shutdownResult;
      this._closed = true;
      const wait = nonNegativeOr(deadlineMs, DEFAULT_FLUSH_DEADLINE_MS);
      const settle = Math.min(ABORT_SETTLE_MS, Math.floor(wait / 4));
      this._shutdownResult = this.flush(wait - settle)
        .then(() => this._terminate())
        .then((result) => (result.inFlight ? this._afterAbort(result, settle) : result));
      return this._shutdownResult;
    } catch (error) {
      this._diagnostics().internalError(error, `${this._name}.shutdown`);
      return Promise.resolve(this._safeResult());
    }
  }

  drain(): T[] {
    try {
      const taken: T[] = [];
      let bytes = 0;
      for (let i = this._ready.length - 1; i >= 0; i--) {
        const batch = this._ready[i] as Batch<T>;
        if (batch === this._inFlight) continue;
        this._ready.splice(i, 1);
        taken.unshift(...batch.items);
        bytes += batch.bytes;
      }
      taken.push(...this._open);
      bytes += this._openBytes;
      this._open = [];
      this._openBytes = 0;
      this._clearTimer('_lingerTimer');
      this._changeHeld(-taken.length, -bytes);
      this._notifyIfIdle();
      return taken;
    } catch (error) {
      this._diagnostics().internalError(error, `${this._name}.drain`);
      return [];
    }
  }

  recordDrop(reason: DropReason, items?: readonly T[] | number): void {
    try {
      if (!DROP_REASONS.includes(reason)) {
        this._diagnostics().warn('delivery/invalid-drop-reason', `${this._name}: unknown drop reason ${String(reason)}`);
        return;
      }
      if (Array.isArray(items)) this._drop(reason, items as readonly T[]);
      else {
        const count = items === undefined ? 1 : Number(items);
        if (Number.isInteger(count) && count > 0) this._drop(reason, [], count);
      }
    } catch (error) {
      this._diagnostics().internalError(error, `${this._name}.recordDrop`);
    }
  }

  // --- sending ---------------------------------------------------------------------------

  private _pump(): void {
    if (this._inFlight !== undefined || this._terminated) return;
    const batch = this._ready[0];
    if (batch === undefined) return;
    const now = this._now();
    if (this.circuitState === 'open') {
      if (now < this._circuitOpenUntilMs) {
        this._wakeAt(this._circuitOpenUntilMs - now);
        return;
      }
      this.circuitState = 'half-open';
    }
    if (now < this._notBeforeMs) {
      this._wakeAt(this._notBeforeMs - now);
      return;
    }
    this._inFlight = batch;
    void this._send(batch).catch((error: unknown) => {
      this._diagnostics().internalError(error, `${this._name}.send`);
    });
  }

  private async _send(batch: Batch<T>): Promise<void> {
    if (batch.encoded === undefined) {
      try {
        const encoded = this._options.encode(batch.items);
        batch.encodedBytes = bodyBytes(encoded.body);
        batch.encoded = encoded;
      } catch (error) {
        this._diagnostics().internalError(error, `${this._name}.encode`);
        this._inFlight = undefined;
        this._removeBatch(batch);
        this._drop('rejected', batch.items);
        this._afterSend();
        return;
      }
    }
    batch.attempts++;
    if (batch.attempts > 1) this.stats.retried++;
    const result = await this._callTransport(batch, batch.encoded);
    this._inFlight = undefined;
    this._inFlightAbort = undefined;
    this._handleResult(batch, result);
    for (const waiter of [...this._sendWaiters]) waiter();
    this._afterSend();
  }

  /**
   * Waits (at most `settleMs`, the end of shutdown's deadline) for the send aborted at shutdown to
   * answer, so its batch is counted before `shutdown()` resolves; a host that exits right after
   * loses nothing uncounted.
   */
  private _afterAbort(result: FlushResult, settleMs: number): Promise<FlushResult> {
    if (this._inFlight === undefined) return Promise.resolve({ ...result, inFlight: false });
    return new Promise((resolve) => {
      let timer: unknown;
      const done = (): void => {
        this._sendWaiters.delete(done);
        this._timers.clearTimeout(timer);
        resolve({ ...result, inFlight: this._inFlight !== undefined });
      };
      this._sendWaiters.add(done);
      // Not unref'd, like flush's deadline: the host is waiting for this answer.
      timer = this._setTimer(done, settleMs, true);
    });
  }

  private _callTransport(batch: Batch<T>, encoded: EncodedBatch): Promise<TransportResult> {
    const Controller = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
    const controller = typeof Controller === 'function' ? new Controller() : undefined;
    this._inFlightAbort = controller;
    const request: TransportRequest = {
      body: encoded.body,
      contentType: encoded.contentType,
      items: batch.items.length,
      bytes: batch.encodedBytes ?? 0,
      timeoutMs: this._settings.sendTimeoutMs,
    };
    if (encoded.headers !== undefined) request.headers = encoded.headers;
    if (controller !== undefined) request.signal = controller.signal;

    return new Promise<TransportResult>((resolve) => {
      let settled = false;
      const settle = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        this._timers.clearTimeout(guard);
        resolve(result);
      };
      // A transport that ignores its timeout must not stall the queue forever.
      const guard = this._setTimer(() => {
        controller?.abort();
        settle({ kind: 'retryable', reason: `transport did not answer within ${this._settings.sendTimeoutMs} ms` });
      }, this._settings.sendTimeoutMs + SEND_TIMEOUT_GRACE_MS);
      const transport = this._options.transport;
      if (typeof transport?.send !== 'function') {
        settle({ kind: 'failure', reason: 'no transport' });
        return;
      }
      try {
        Promise.resolve(transport.send(request)).then(
          (result) => settle(this._checkResult(result)),
          (error: unknown) => settle({ kind: 'retryable', reason: `transport rejected: ${describeError(error)}` }),
        );
      } catch (error) {
        settle({ kind: 'retryable', reason: `transport threw: ${describeError(error)}` });
      }
    });
  }

  private _checkResult(result: unknown): TransportResult {
    const kind = (result as { kind?: unknown } | null | undefined)?.kind;
    if (kind === 'success' || kind === 'retryable' || kind === 'failure') return result as TransportResult;
    this._diagnostics().warn('delivery/invalid-transport-result', `${this._name}: transport returned ${String(result)}`, this._name);
    return { kind: 'failure', reason: 'invalid transport result' };
  }

  private _handleResult(batch: Batch<T>, result: TransportResult): void {
    const now = this._now();
    if (result.kind === 'success') {
      this._removeBatch(batch);
      this.stats.sent += batch.items.length;
      this.stats.sentBatches++;
      this._consecutiveFailures = 0;
      this.circuitState = 'closed';
      return;
    }
    this.stats.failedSends++;
    this._consecutiveFailures++;
    this._diagnostics().debug('delivery/send-failed', `${this._name}: ${result.kind}: ${result.reason}`);
    if (result.kind === 'failure') {
      this._removeBatch(batch);
      this._drop('rejected', batch.items, batch.items.length, result.reported !== true);
    } else if (this._terminated) {
      this._removeBatch(batch);
      this._drop('shutdown', batch.items);
    } else if (batch.attempts >= this._settings.maxAttempts) {
      this._removeBatch(batch);
      this._drop('retries_exhausted', batch.items);
    } else {
      let delay = this._backoffMs(batch.attempts);
      const retryAfter = result.retryAfterMs;
      if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
        delay = Math.max(delay, Math.min(retryAfter, this._settings.maxRetryAfterMs));
      }
      this._notBeforeMs = now + delay;
    }
    if (this.circuitState === 'half-open' || this._consecutiveFailures >= this._settings.failureThreshold) {
      if (this.circuitState !== 'open') this.stats.circuitOpened++;
      this.circuitState = 'open';
      this._circuitOpenUntilMs = now + this._settings.cooldownMs;
      this._diagnostics().warn(
        'delivery/circuit-open',
        `${this._name}: ${this._consecutiveFailures} sends in a row failed (last: ${result.reason}); pausing for ${this._settings.cooldownMs} ms`,
        this._name,
      );
    }
  }

  private _afterSend(): void {
    this._notifyIfIdle();
    this._pump();
  }

  /** Full-jitter exponential backoff: the ceiling doubles per attempt, the wait is uniform below it. */
  private _backoffMs(attempts: number): number {
    const s = this._settings;
    const ceiling = Math.min(s.maxBackoffMs, s.initialBackoffMs * 2 ** Math.min(attempts - 1, 30));
    if (!s.jitter) return ceiling;
    const r = this._random();
    return Math.floor((Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5) * ceiling);
  }

  // --- bookkeeping -----------------------------------------------------------------------

  private _closeOpenBatch(): void {
    this._clearTimer('_lingerTimer');
    if (this._open.length === 0) return;
    this._ready.push({ items: this._open, bytes: this._openBytes, attempts: 0 });
    this._open = [];
    this._openBytes = 0;
  }

  private _removeBatch(batch: Batch<T>): void {
    const index = this._ready.indexOf(batch);
    if (index === -1) return;
    this._ready.splice(index, 1);
    this._changeHeld(-batch.items.length, -batch.bytes);
  }

  private _terminate(): FlushResult {
    this._terminated = true;
    this._clearTimer('_lingerTimer');
    this._clearTimer('_wakeTimer');
    const leftover = this.drain();
    if (leftover.length > 0) this._drop('shutdown', leftover);
    const inFlight = this._inFlight;
    // The in-flight batch is counted when its (aborted) send answers: sent, kept by `keep`, or dropped as shutdown.
    if (inFlight !== undefined) this._inFlightAbort?.abort();
    return { complete: leftover.length === 0 && inFlight === undefined, pendingItems: leftover.length + (inFlight?.items.length ?? 0), inFlight: inFlight !== undefined };
  }

  private _drop(reason: DropReason, items: readonly T[], count: number = items.length, warn = true): void {
    if (count <= 0 || (items.length > 0 && this._kept(reason, items))) return;
    this.stats.dropped[reason] += count;
    if (warn && WARNED_DROP_REASONS.has(reason)) {
      this._diagnostics().warn('delivery/dropped', `${this._name}: dropped ${count} item(s): ${reason}`, `${this._name}:${reason}`);
    }
    const onDrop = this._options.onDrop;
    if (typeof onDrop === 'function') {
      try {
        onDrop(reason, items);
      } catch (error) {
        this._diagnostics().internalError(error, `${this._name}.onDrop`);
      }
    }
  }

  /** Whether the caller's `keep` kept these items (a spool), so that they are not a drop. */
  private _kept(reason: DropReason, items: readonly T[]): boolean {
    const keep = this._options.keep;
    if (typeof keep !== 'function') return false;
    try {
      return keep(reason, items) === true;
    } catch (error) {
      this._diagnostics().internalError(error, `${this._name}.keep`);
      return false;
    }
  }

  private _measure(item: T): number | undefined {
    try {
      const sizeOf = this._options.sizeOf;
      const size = typeof sizeOf === 'function' ? sizeOf(item) : defaultSizeOf(item);
      return typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : undefined;
    } catch {
      return undefined;
    }
  }

  private _changeHeld(items: number, bytes: number): void {
    this.stats.queuedItems += items;
    this.stats.queuedBytes += bytes;
  }

  private _isIdle(): boolean {
    return this.stats.queuedItems === 0 && this._inFlight === undefined;
  }

  private _notifyIfIdle(): void {
    if (!this._isIdle()) return;
    for (const waiter of [...this._idleWaiters]) waiter();
  }

  private _result(): FlushResult {
    return { complete: this._isIdle(), pendingItems: this.stats.queuedItems, inFlight: this._inFlight !== undefined };
  }

  private _safeResult(): FlushResult {
    try {
      return this._result();
    } catch {
      return { complete: false, pendingItems: 0, inFlight: false };
    }
  }

  private _setTimer(callback: () => void, ms: number, keepAlive = false): unknown {
    const guarded = (): void => {
      try {
        callback();
      } catch (error) {
        this._diagnostics().internalError(error, `${this._name}.timer`);
      }
    };
    if (keepAlive) {
      const setTimeoutRef = (globalThis as { setTimeout?: (cb: () => void, ms: number) => unknown }).setTimeout;
      // Injected timers (tests) are used as given; the global one is called directly so it stays ref'd.
      if (this._timers === GLOBAL_TIMERS && typeof setTimeoutRef === 'function') return setTimeoutRef(guarded, ms);
      return this._timers.setTimeout(guarded, ms);
    }
    const handle = this._timers.setTimeout(guarded, ms);
    unrefTimer(handle);
    return handle;
  }

  private _wakeAt(delayMs: number): void {
    this._clearTimer('_wakeTimer');
    this._wakeTimer = this._setTimer(() => {
      this._wakeTimer = undefined;
      this._pump();
    }, delayMs);
  }

  private _clearTimer(which: '_lingerTimer' | '_wakeTimer'): void {
    if (this[which] === undefined) return;
    this._timers.clearTimeout(this[which]);
    this[which] = undefined;
  }

  private _diagnostics(): Diagnostics {
    return this._options.diagnostics ?? getDiagnostics();
  }

  private _resolveSettings(): Settings {
    const o = this._options;
    const retry = o.retry ?? {};
    const circuit = o.circuit ?? {};
    const bad: string[] = [];
    const pick = (name: string, value: unknown, fallback: number, min: number): number => {
      if (value === undefined) return fallback;
      if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
      bad.push(name);
      return fallback;
    };
    const settings: Settings = {
      maxQueueItems: pick('maxQueueItems', o.maxQueueItems, DEFAULT_MAX_QUEUE_ITEMS, 1),
      maxQueueBytes: pick('maxQueueBytes', o.maxQueueBytes, DEFAULT_MAX_QUEUE_BYTES, 1),
      maxBatchItems: pick('maxBatchItems', o.maxBatchItems, DEFAULT_MAX_BATCH_ITEMS, 1),
      maxBatchBytes: pick('maxBatchBytes', o.maxBatchBytes, DEFAULT_MAX_BATCH_BYTES, 1),
      flushIntervalMs: pick('flushIntervalMs', o.flushIntervalMs, DEFAULT_FLUSH_INTERVAL_MS, 0),
      sendTimeoutMs: pick('sendTimeoutMs', o.sendTimeoutMs, DEFAULT_SEND_TIMEOUT_MS, 1),
      maxAttempts: pick('retry.maxAttempts', retry.maxAttempts, DEFAULT_RETRY_MAX_ATTEMPTS, 1),
      initialBackoffMs: pick('retry.initialBackoffMs', retry.initialBackoffMs, DEFAULT_RETRY_INITIAL_BACKOFF_MS, 0),
      maxBackoffMs: pick('retry.maxBackoffMs', retry.maxBackoffMs, DEFAULT_RETRY_MAX_BACKOFF_MS, 0),
      jitter: retry.jitter !== false,
      maxRetryAfterMs: pick('retry.maxRetryAfterMs', retry.maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS, 0),
      failureThreshold: pick('circuit.failureThreshold', circuit.failureThreshold, DEFAULT_CIRCUIT_FAILURE_THRESHOLD, 1),
      cooldownMs: pick('circuit.cooldownMs', circuit.cooldownMs, DEFAULT_CIRCUIT_COOLDOWN_MS, 0),
    };
    // A batch can never be bigger than the queue that holds it: clamp, since defaults may collide.
    settings.maxBatchItems = Math.min(settings.maxBatchItems, settings.maxQueueItems);
    settings.maxBatchBytes = Math.min(settings.maxBatchBytes, settings.maxQueueBytes);
    if (bad.length > 0) {
      this._diagnostics().warn(
        'delivery/invalid-options',
        `${this._name}: ignoring invalid ${bad.join(', ')} (using defaults)`,
        `${this._name}:options`,
      );
    }
    return settings;
  }
}

/** UTF-8 length of the item's JSON, which is what most encoders send. */
function defaultSizeOf(item: unknown): number | undefined {
  if (typeof item === 'string') return utf8Length(item);
  const json = JSON.stringify(item) as string | undefined;
  return json === undefined ? undefined : utf8Length(json);
}

function isTimers(value: unknown): value is QueueTimers {
  const t = value as Partial<QueueTimers> | undefined;
  return typeof t?.setTimeout === 'function' && typeof t.clearTimeout === 'function';
}

function nonNegativeOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
