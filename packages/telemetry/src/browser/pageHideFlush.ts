import { classifyHttpStatus, getBeaconBudget, splitForBudget } from '@lookout/core';
import type { BeaconBudget } from '@lookout/core';
import type { ClientInternals } from '../client/createClient.js';
import type { TelemetryEvent } from '../types.js';

/** Largest single keepalive body: the whole page budget. */
export const MAX_KEEPALIVE_REQUEST_BYTES = 65_536;

interface PageGlobals {
  document?: {
    visibilityState?: string;
    addEventListener(type: string, listener: () => void): void;
    removeEventListener(type: string, listener: () => void): void;
  };
  addEventListener?(type: string, listener: () => void): void;
  removeEventListener?(type: string, listener: () => void): void;
  fetch?: (url: string, init: Record<string, unknown>) => Promise<{ status: number; headers: { get(name: string): string | null } }>;
  navigator?: { sendBeacon?: (url: string, body: unknown) => boolean };
  Blob?: new (parts: unknown[], options?: { type?: string }) => unknown;
}

/**
 * Sends what a client holds when the page is hidden (`visibilitychange` to hidden, and
 * `pagehide`, which Chromium fires first on close): the queue is drained and sent as
 * `fetch(…, { keepalive: true })` requests (or `sendBeacon` where there is no fetch, for JSON
 * formats), split so that each fits what is left of the page's shared 64 KiB budget (core's
 * `getBeaconBudget()`, which every Lookout signal on the page draws from). What does not fit
 * goes to the store when there is one, else back into the queue: a page that becomes visible
 * again sends it normally. When the page is visible again, the store is read back.
 * Returns a function that removes the listeners.
 */
export function installPageHideFlush(internals: ClientInternals, budget: BeaconBudget = getBeaconBudget()): () => void {
  const g = globalThis as PageGlobals;
  const doc = g.document;
  if (doc === undefined || typeof doc.addEventListener !== 'function') return () => undefined;
  const endpoint = internals.options.endpoint;
  const headers = internals.options.headers;

  const leave = (events: readonly TelemetryEvent[]): void => {
    if (events.length === 0) return;
    if (internals.options.store !== undefined) internals.persistOrDrop(events, 'shutdown');
    else internals.requeue(events);
  };

  const sendChunk = (items: TelemetryEvent[], body: string | Uint8Array, contentType: string, bytes: number): boolean => {
    if (endpoint === undefined) return false;
    if (typeof g.fetch === 'function') {
      if (!budget.reserve(bytes)) return false;
      internals.stats.beaconed += items.length;
      g.fetch(endpoint, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: { ...headers, 'content-type': contentType } }).then(
        (response) => {
          budget.release(bytes);
          const result = classifyHttpStatus(response.status, response.headers.get('retry-after'));
          if (result.kind === 'success') return;
          internals.stats.beaconed -= items.length;
          if (result.kind === 'retryable') internals.requeue(items);
          else internals.countDrop('rejected', items);
        },
        () => {
          // The page is still alive to see this: send the events again the normal way.
          budget.release(bytes);
          internals.stats.beaconed -= items.length;
          internals.requeue(items);
        },
      );
      return true;
    }
    const beacon = g.navigator?.sendBeacon;
    // A beacon cannot carry headers; only JSON bodies can go as text/plain.
    if (typeof beacon !== 'function' || contentType !== 'application/json' || typeof g.Blob !== 'function' || Object.keys(headers).length > 0) return false;
    if (!budget.reserve(bytes)) return false;
    if (!beacon.call(g.navigator, endpoint, new g.Blob([body], { type: 'text/plain;charset=UTF-8' }))) {
      budget.release(bytes);
      return false;
    }
    internals.stats.beaconed += items.length;
    return true;
  };

  const flushNow = (): void => {
    try {
      if (!internals.consentGranted()) return;
      const events = internals.queue.drain();
      if (events.length === 0) return;
      const limit = Math.min(budget.availableBytes, MAX_KEEPALIVE_REQUEST_BYTES);
      const split = splitForBudget(events, internals.encode, limit);
      if (split.invalid.length > 0) internals.countDrop('invalid', split.invalid);
      // An event larger than a whole, unused budget can never leave on page hide.
      if (limit >= budget.limitBytes) internals.countDrop('too_large', split.tooLarge);
      const left: TelemetryEvent[] = limit >= budget.limitBytes ? [] : [...split.tooLarge];
      let open = true;
      for (const chunk of split.chunks) {
        if (open && sendChunk(chunk.items, chunk.encoded.body, chunk.encoded.contentType, chunk.bytes)) continue;
        open = false;
        left.push(...chunk.items);
      }
      leave(left);
    } catch (error) {
      internals.diagnostics.internalError(error, `${internals.options.signal}.pageHide`);
    }
  };

  const onVisibility = (): void => {
    if (doc.visibilityState === 'hidden') flushNow();
    else if (doc.visibilityState === 'visible') internals.loadStore();
  };
  doc.addEventListener('visibilitychange', onVisibility);
  g.addEventListener?.('pagehide', flushNow);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    g.removeEventListener?.('pagehide', flushNow);
  };
}
