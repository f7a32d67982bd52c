import { classifyHttpStatus, DEFAULT_MAX_RETRY_AFTER_MS, getBeaconBudget } from '@lookout/core/page';
import type { TransportResult } from '@lookout/core/page';
import type { TelemetryEvent } from '../types.js';

// The page globals used here, looked up at call time (the package compiles without DOM types).
interface Page {
  fetch?: (url: string, init: Record<string, unknown>) => Promise<{ status: number; headers: { get(name: string): string | null }; arrayBuffer?(): Promise<unknown> }>;
  document?: { visibilityState?: string; addEventListener(t: string, l: () => void): void; removeEventListener(t: string, l: () => void): void };
  addEventListener?(t: string, l: () => void): void;
  removeEventListener?(t: string, l: () => void): void;
  AbortSignal?: { timeout?(ms: number): unknown };
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Why the delivery gave events up. */
export type DeliveryDropReason = 'consent' | 'rejected' | 'send_failed' | 'page_hidden' | 'shutdown';

/** Counters the delivery keeps up to date (the client's `stats` object). */
export interface DeliveryCounters {
  sent: number;
  retried: number;
  beaconed?: number;
}

/** What a page client tells its delivery. */
export interface PageDeliveryOptions {
  endpoint: string;
  headers: Record<string, string>;
  encode(events: TelemetryEvent[]): { body: Uint8Array | string };
  maxBatch: number;
  flushIntervalMs: number;
  sendTimeoutMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  counters: DeliveryCounters;
  /** Whether events may leave now (consent granted). */
  allowed(): boolean;
  /** Whether consent is denied: an answered batch is then dropped as `consent`, never retried. */
  denied(): boolean;
  drop(reason: DeliveryDropReason, count: number): void;
  /**
   * At page hide, for events that did not fit the keepalive budget (`page_hidden`) or that failed
   * while hidden: `true` when the client kept them (persistence). Without it, they are dropped as
   * `page_hidden` and failures are retried like any other.
   */
  keep?(events: TelemetryEvent[]): boolean;
  /** At page hide without `fetch`: hands the body to `sendBeacon`; `true` when it was queued. */
  beacon?(body: Uint8Array | string): boolean;
  /** Send what is queued when the page is hidden or closed. Default `true`. */
  flushOnPageHide?: boolean;
  /** Called when the page becomes visible again (with `flushOnPageHide`). */
  onVisible?(): void;
}

/** The queue and send loop of a page client. */
export interface PageDelivery {
  /** Events waiting to be sent (the client pushes, then calls `schedule`). */
  queue: TelemetryEvent[];
  /** Events queued or in flight. */
  readonly held: number;
  /** Events in requests not answered yet. */
  readonly inflight: number;
  /** Sends a batch now when one is full or a flush waits, else arms the flush timer. */
  schedule(): void;
  /** Resolves `true` once nothing is queued or in flight, `false` at `ms` (default 5000) or when nothing may leave. Never rejects. */
  flush(ms: unknown): Promise<boolean>;
  /** Removes and returns what is queued (not what is in flight); a waiting flush ends, `false` if anything was removed. */
  clear(): TelemetryEvent[];
  /**
   * Stops the timer and the page-hide listeners; a request of the normal path still unanswered is
   * given up, its events counted as dropped (`shutdown`), while page-hide requests, which outlive
   * the page, are still counted when they answer; returns what was still queued (now removed), as `clear`.
   */
  stop(): TelemetryEvent[];
}

/**
 * The one delivery loop of the page clients (`./page` and `./lite`): batches of `maxBatch` POSTed
 * to `endpoint` one request at a time, with `keepalive` while the page's shared 64 KiB budget
 * allows. Network errors, 408, 429 and 5xx are retried with exponential backoff and jitter
 * (`Retry-After` honoured, up to 5 minutes); other answers are dropped as `rejected`. When the
 * page is hidden or closed, everything queued leaves at once inside the shared budget (`fetch`
 * keepalive, or `beacon` where there is no `fetch`); a batch that does not fit is cut to the oldest
 * events that fit, and what fits nowhere goes to `keep` or is dropped as `page_hidden`. An event
 * sent at page hide is never sent again. Every request of the normal path is bounded by
 * `sendTimeoutMs` with a timer of its own, not only by the `AbortSignal` given to `fetch`: a page's
 * fetch wrapper that drops the signal and never settles would otherwise hold the loop, and its
 * keepalive bytes, for good. Page-hide requests have no timer and are not given up at `stop`: they
 * do not hold the loop, and the browser keeps them going after the page (giving one up would free
 * its bytes early and keep its events for the next page, though they may still arrive).
 */
export function createPageDelivery(o: PageDeliveryOptions): PageDelivery {
  const g = globalThis as unknown as Page;
  const counters = o.counters;
  let inflight = 0;
  let timer: unknown;
  /** A batch of the normal path is in flight, or the next waits for its backoff. */
  let busy = false;
  let attempts = 0;
  let stopped = false;
  const waiters = new Set<(end?: boolean, dropped?: boolean) => void>();
  /** While a request of the normal path is in flight: gives it up (at `stop`), its events counted as dropped. */
  let halt: (() => void) | undefined;
  const sending = (): boolean => o.allowed() && !stopped;
  const keep = (events: TelemetryEvent[]): void => {
    if (!o.keep?.(events)) o.drop('page_hidden', events.length);
  };

  /** Arms the one timer: the flush interval, or (`backoff`) the wait before a retry, which ends `busy`. */
  const wake = (ms: number, backoff?: boolean): void => {
    g.clearTimeout(timer);
    timer = g.setTimeout(() => {
      timer = undefined;
      // The interval passing while a batch is in flight sends nothing more: one request at a time.
      if (backoff) busy = false;
      pump();
    }, ms);
  };
  const pump = (): void => {
    if (busy || !d.queue.length || !sending()) return;
    g.clearTimeout(timer);
    timer = undefined;
    busy = true;
    void send(d.queue.splice(0, o.maxBatch));
  };
  let pumpQueued = false;
  /**
   * Sends a full batch (or for a waiting flush) at the end of the current task's synchronous work,
   * not inside `track()`: a host's calls made in one go (the calls replayed at init, an `optOut()`
   * after a loop of events) all apply before anything leaves.
   */
  const schedule = (): void => {
    if (!d.queue.length || !sending()) return;
    if (d.queue.length >= o.maxBatch || waiters.size) {
      if (!pumpQueued) {
        pumpQueued = true;
        void Promise.resolve().then(() => {
          pumpQueued = false;
          pump();
        });
      }
    } else if (timer === undefined) wake(o.flushIntervalMs);
  };

  /**
   * The one send path, for batches and page hide alike. At page hide (`left` given) only
   * keepalive requests (or beacons) leave: a batch that does not fit is cut to what fits, and what
   * fits nowhere goes to `left`. The work up to the request is synchronous.
   */
  const send = async (events: TelemetryEvent[], left?: TelemetryEvent[]): Promise<void> => {
    const hide = !!left;
    const body = o.encode(events).body;
    const bytes = body.length;
    const n = events.length;
    const budget = getBeaconBudget();
    const keepalive = budget.reserve(bytes);
    if (hide && !keepalive) {
      // As many of the oldest events as would fit at this batch's bytes per event; the rest
      // follow. Sizing by the average (not halving) encodes each event a few times at most, and
      // once not one more event fits, everything left goes to `left` at once.
      const fit = Math.floor((n * budget.availableBytes) / bytes);
      if (fit < 1) return void left.push(...events);
      const newer = events.splice(fit);
      void send(events, left);
      return send(newer, left);
    }
    let result: TransportResult = { kind: 'retryable', reason: 'network' };
    inflight += n;
    let deadline: unknown;
    // Past `sendTimeoutMs` or at `stop`, a request of the normal path is given up as a network
    // error; a page-hide request is waited for (see above).
    const expired = new Promise<never>((_, reject) => {
      if (!hide) {
        deadline = g.setTimeout(reject, o.sendTimeoutMs);
        halt = () => {
          o.drop('shutdown', n);
          reject();
        };
      }
    });
    try {
      if (g.fetch) {
        const request = g.fetch(o.endpoint, { method: 'POST', headers: o.headers, body, keepalive, signal: hide ? undefined : g.AbortSignal?.timeout?.(o.sendTimeoutMs) });
        if (hide && counters.beaconed !== undefined) counters.beaconed += n;
        const response = await Promise.race([request, expired]);
        result = classifyHttpStatus(response.status, response.headers.get('retry-after'));
        // A keepalive request counts against the browser's quota until its response is read,
        // not when its headers arrive: read it before giving the bytes back to the budget.
        await Promise.race([response.arrayBuffer?.(), expired]).catch(() => undefined);
      } else if (hide) {
        const sent = o.beacon?.(body);
        inflight -= n;
        budget.release(bytes);
        if (!sent) return void left.push(...events);
        counters.beaconed! += n;
        counters.sent += n;
        return;
      }
    } catch {
      // A network error: retryable.
    }
    g.clearTimeout(deadline);
    if (keepalive) budget.release(bytes);
    inflight -= n;
    if (!hide) {
      busy = false;
      halt = undefined;
    }
    // Given up at `stop`, which counted these events.
    if (stopped && !hide) return;
    if (result.kind == 'success') {
      counters.sent += n;
      attempts = 0;
    } else if (o.denied()) {
      o.drop('consent', n);
    } else if (hide && result.kind == 'retryable' && o.keep?.(events)) {
      // Refused or failed while the page is hidden: it may close any moment, so the batch is kept
      // for the next page rather than queued for a retry that may never run.
    } else if (result.kind == 'retryable' && ++attempts < o.maxAttempts && !stopped) {
      counters.retried++;
      d.queue.unshift(...events);
      const backoff = Math.min(o.maxBackoffMs, o.initialBackoffMs * 2 ** (attempts - 1));
      // A batch of the normal path still in flight (after a failed page-hide send) carries on;
      // its answer schedules the retry. Otherwise the backoff holds the next send.
      if (!busy) {
        busy = true;
        wake(Math.min(result.retryAfterMs ?? backoff * (0.5 + Math.random() / 2), DEFAULT_MAX_RETRY_AFTER_MS), true);
      }
    } else {
      attempts = 0;
      o.drop(result.kind == 'failure' ? 'rejected' : 'send_failed', n);
    }
    for (const waiter of waiters) waiter();
    schedule();
  };

  /** Page hide: everything queued leaves now, inside the page's shared keepalive budget. */
  const hide = (): void => {
    if (!sending()) return;
    attempts = 0;
    const left: TelemetryEvent[] = [];
    while (d.queue.length) void send(d.queue.splice(0, o.maxBatch), left);
    if (left.length) keep(left);
  };
  const onVisibility = (): void => (g.document?.visibilityState == 'hidden' ? hide() : o.onVisible?.());
  if (o.flushOnPageHide !== false) {
    g.document?.addEventListener('visibilitychange', onVisibility);
    g.addEventListener?.('pagehide', hide);
  }

  const d: PageDelivery = {
    queue: [],
    get held() {
      return d.queue.length + inflight;
    },
    get inflight() {
      return inflight;
    },
    schedule,
    flush: (ms) =>
      new Promise((resolve) => {
        const check = (end?: boolean, dropped?: boolean): void => {
          const held = d.held;
          if (held && sending() && !end && !dropped) return;
          g.clearTimeout(deadline);
          waiters.delete(check);
          resolve(!held && !dropped);
        };
        // Any timeout the host passes: what is not a usable number of ms means the default 5 s.
        const deadline = g.setTimeout(() => check(true), typeof ms == 'number' && ms >= 0 && ms < 2 ** 31 ? ms : 5000);
        waiters.add(check);
        pump();
        check();
      }),
    clear() {
      const left = d.queue.splice(0);
      // A flush waiting for these will not see them sent: it ends now, `false` if any were queued.
      for (const waiter of waiters) waiter(true, left.length > 0);
      return left;
    },
    stop() {
      stopped = true;
      g.clearTimeout(timer);
      halt?.();
      g.document?.removeEventListener('visibilitychange', onVisibility);
      g.removeEventListener?.('pagehide', hide);
      return d.clear();
    },
  };
  return d;
}
