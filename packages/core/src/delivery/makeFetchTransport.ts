import { describeError, getDiagnostics } from '../diagnostics/index.js';
import type { Diagnostics } from '../diagnostics/index.js';
import { validHeaders } from './validHeaders.js';
import { getBeaconBudget } from './beaconBudget.js';
import { DEFAULT_SEND_TIMEOUT_MS } from './constants.js';
import { classifyHttpStatus } from './retryAfter.js';
import { GLOBAL_TIMERS } from './timers.js';
import type { AbortSignalLike, Transport, TransportRequest, TransportResult } from './types.js';
import type { BeaconBudget } from './beaconBudget.js';

/** The part of a fetch `Response` the transport reads. */
export interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body?: { cancel?(): Promise<unknown> } | null;
}

/** The part of the fetch `RequestInit` the transport sets. */
export interface FetchInitLike {
  method: 'POST';
  headers: Record<string, string>;
  body: string | Uint8Array;
  keepalive?: boolean;
  signal?: AbortSignalLike;
}

/** A `fetch` as the transport calls it; the global `fetch` fits. */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** Input of {@link makeFetchTransport}. */
export interface FetchTransportOptions {
  /** Where to POST batches. */
  url: string;
  /**
   * Headers sent with every request (e.g. an auth header). Request headers override them. One
   * that HTTP does not allow (see {@link validHeaders}) is left out with one diagnostic.
   */
  headers?: Readonly<Record<string, string>>;
  /** Where a refused header is reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
  /**
   * Per-request timeout in ms; the smaller of this and the request's own `timeoutMs` applies.
   * Default {@link DEFAULT_SEND_TIMEOUT_MS}.
   */
  timeoutMs?: number;
  /**
   * Send with `keepalive: true`, so the request survives the page being closed. Each keepalive
   * body is reserved in `beaconBudget` first; a body the budget cannot take is sent without
   * keepalive. Default `false`.
   */
  keepalive?: boolean;
  /** Budget for keepalive bodies. Default: the page-wide {@link getBeaconBudget}. */
  beaconBudget?: BeaconBudget;
  /** The fetch to use. Default: the global `fetch`, looked up at each send. */
  fetchImpl?: FetchLike;
}

interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

interface FetchGlobals {
  fetch?: FetchLike;
  AbortController?: new () => AbortControllerLike;
}

/**
 * A {@link Transport} that POSTs each batch with `fetch`. Never rejects: a network error,
 * timeout or abort is `retryable`; HTTP statuses are classified by {@link classifyHttpStatus}
 * (429/5xx retryable with `Retry-After` honoured, other 4xx failure, 2xx success). When no
 * `fetch` exists the result is a `failure`.
 */
export function makeFetchTransport(options: FetchTransportOptions): Transport {
  const baseHeaders = validHeaders(options.headers, options.diagnostics ?? getDiagnostics(), 'makeFetchTransport');
  const transportTimeoutMs = positiveOr(options.timeoutMs, DEFAULT_SEND_TIMEOUT_MS);

  const send = async (request: TransportRequest): Promise<TransportResult> => {
    const globals = globalThis as FetchGlobals;
    const fetchImpl = options.fetchImpl ?? globals.fetch;
    if (typeof fetchImpl !== 'function') return { kind: 'failure', reason: 'fetch is not available' };
    if (request.signal?.aborted === true) return { kind: 'retryable', reason: 'aborted' };

    const timeoutMs = Math.min(transportTimeoutMs, positiveOr(request.timeoutMs, transportTimeoutMs));
    const Controller = globals.AbortController;
    const controller = typeof Controller === 'function' ? new Controller() : undefined;
    let timedOut = false;
    let settleEarly: ((result: TransportResult) => void) | undefined;
    // Without AbortController the fetch cannot be cancelled, but the caller still gets an answer.
    const early = new Promise<TransportResult>((resolve) => (settleEarly = resolve));
    const timer = GLOBAL_TIMERS.setTimeout(() => {
      timedOut = true;
      controller?.abort();
      settleEarly?.({ kind: 'retryable', reason: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    const onAbort = (): void => {
      controller?.abort();
      settleEarly?.({ kind: 'retryable', reason: 'aborted' });
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const budget = options.keepalive === true ? (options.beaconBudget ?? getBeaconBudget()) : undefined;
    const reserved = budget !== undefined && budget.reserve(request.bytes);

    const attempt = async (): Promise<TransportResult> => {
      try {
        const init: FetchInitLike = {
          method: 'POST',
          headers: { ...baseHeaders, 'content-type': request.contentType, ...(request.headers ?? {}) },
          body: request.body,
        };
        if (reserved) init.keepalive = true;
        if (controller !== undefined) init.signal = controller.signal;
        const response = await fetchImpl(options.url, init);
        // Release the connection: nobody reads the response body.
        response.body?.cancel?.().catch(() => undefined);
        return classifyHttpStatus(response.status, response.headers.get('retry-after'));
      } catch (error) {
        if (timedOut) return { kind: 'retryable', reason: `timed out after ${timeoutMs} ms` };
        if (request.signal?.aborted === true) return { kind: 'retryable', reason: 'aborted' };
        return { kind: 'retryable', reason: `network error: ${describeError(error)}` };
      }
    };

    try {
      return await Promise.race([attempt(), early]);
    } catch (error) {
      return { kind: 'retryable', reason: `network error: ${describeError(error)}` };
    } finally {
      GLOBAL_TIMERS.clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (reserved) budget.release(request.bytes);
    }
  };

  return {
    send: (request) => {
      try {
        return send(request);
      } catch (error) {
        return Promise.resolve({ kind: 'retryable', reason: `network error: ${describeError(error)}` });
      }
    },
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
