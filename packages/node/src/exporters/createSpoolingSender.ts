import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Diagnostics } from '@lookout/core';
import { newPushStats } from '../selfMetrics/observeNodeDelivery.js';
import type { PushStats } from '../selfMetrics/observeNodeDelivery.js';
import type { PayloadSpool } from '../spool/createPayloadSpool.js';

/** What became of one push. */
export type PushOutcome = 'sent' | 'spooled' | 'dropped';

export interface SpoolingSenderOptions {
  /** Names the receiver in diagnostics (`remote write`, `OTLP`, `Pushgateway`). */
  name: string;
  url: string;
  /** HTTP method. Default `POST`. */
  method?: 'POST' | 'PUT';
  headers: Record<string, string>;
  timeoutMs: number;
  /** Where payloads go when the receiver cannot take them now (unreachable, 429, 5xx, timeout). */
  spool: PayloadSpool | undefined;
  diagnostics: Diagnostics;
  /** Counts to add to, kept across the senders an exporter has; a fresh set when not given. */
  stats?: PushStats;
}

/**
 * Sends ready-made payloads to one HTTP receiver and spools what it cannot deliver, for the next
 * run. Never throws; promises never reject.
 */
export interface SpoolingSender {
  /**
   * Sends `body`; spools it when the receiver cannot be reached or answers 429/5xx. After
   * `abort()` it spools at once, without a request. `background`: see `hold()`.
   */
  send(body: Uint8Array, options?: BackgroundOption): Promise<PushOutcome>;
  /**
   * Sends what earlier runs spooled, oldest first; stops at the first network failure. Returns
   * how many were sent. One run at a time: a call while one runs joins it, so a payload is never
   * sent twice. A call that is not `background` calls `hold()` first.
   */
  resendSpooled(options?: BackgroundOption): Promise<number>;
  /**
   * From now on, requests made in the `background` hold the process like any other (their sockets
   * in flight are ref'd again): called when a push the host waits for joins them.
   */
  hold(): void;
  /**
   * The exit deadline passed: aborts requests in flight, spooling their payloads synchronously
   * first (a re-send's payload is already in the spool and stays there), and closes the sender:
   * later `send()` calls spool without a request and `resendSpooled()` sends nothing. Idempotent.
   */
  abort(): void;
  /** Whether a request is in flight. */
  readonly busy: boolean;
  readonly stats: PushStats;
}

/** `background`: the request's socket is unref'd until `hold()`, so it never keeps the process alive. */
export interface BackgroundOption {
  background?: boolean;
}

type Attempt = 'ok' | 'retryable' | 'rejected' | 'spooled';

interface InFlight {
  body: Uint8Array;
  /** In the spool already: a re-send, or a payload `abort()` saved. */
  spooled: boolean;
  socket?: Socket;
}

export function createSpoolingSender(options: SpoolingSenderOptions): SpoolingSender {
  const { diagnostics: diag, name } = options;
  const key = name.toLowerCase().replace(/\W+/g, '-');
  const stats = options.stats ?? newPushStats();
  // Requests in flight and their bodies: an abort at the exit deadline spools them synchronously.
  const inFlight = new Map<AbortController, InFlight>();
  const origin = safeOrigin(options.url);
  let held = false;
  let closed = false;
  let resending: Promise<number> | undefined;

  const attempt = async (body: Uint8Array, spooled: boolean, background: boolean): Promise<Attempt> => {
    const controller = new AbortController();
    const entry: InFlight = { body, spooled };
    inFlight.set(controller, entry);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    timer.unref();
    const onSocket = (socket: Socket): void => {
      entry.socket = socket;
      if (background && !held) socket.unref();
    };
    try {
      const res = await request(options.method ?? 'POST', options.url, body, options.headers, controller.signal, onSocket);
      if (res.status >= 200 && res.status < 300) return 'ok';
      if (res.status === 429 || res.status >= 500) {
        diag.warn(`${key}.unavailable`, `${name} at ${origin} answered ${res.status}; the payload is kept for later`, `${key}-${res.status}`);
        return 'retryable';
      }
      diag.warn(`${key}.rejected`, `${name} at ${origin} answered ${res.status}: ${res.text.slice(0, 200)}`, `${key}-${res.status}`);
      return 'rejected';
    } catch (error) {
      // Aborted at the deadline: the payload is in the spool (abort() saved it, or it came from there).
      if (closed && entry.spooled) return 'spooled';
      const why = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms or aborted` : String((error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? error);
      diag.warn(`${key}.unreachable`, `cannot reach ${name} at ${origin}: ${why}`, `${key}-unreachable`);
      return 'retryable';
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  /** Spools `body` (counted), or drops it when there is no room or no spool. */
  const keep = (body: Uint8Array): PushOutcome => {
    if (options.spool?.save(body) === true) {
      stats.spooled++;
      return 'spooled';
    }
    stats.dropped++;
    return 'dropped';
  };
  const resend = async (spool: PayloadSpool, background: boolean): Promise<number> => {
    let sent = 0;
    for (const payload of spool.list()) {
      // After the deadline nothing new is started: what is left stays for the next run.
      if (closed) break;
      const result = await attempt(payload.body, true, background);
      if (result === 'retryable' || result === 'spooled') break;
      spool.remove(payload.id);
      if (result === 'ok') {
        sent++;
        stats.resent++;
      } else stats.dropped++;
    }
    return sent;
  };
  const hold = (): void => {
    held = true;
    for (const entry of inFlight.values()) entry.socket?.ref();
  };

  return {
    stats,
    get busy() {
      return inFlight.size > 0;
    },
    async send(body, sendOptions) {
      if (closed) return keep(body);
      const result = await attempt(body, false, sendOptions?.background === true);
      if (result === 'ok') {
        stats.sent++;
        return 'sent';
      }
      if (result === 'spooled') return 'spooled';
      if (result === 'retryable') return keep(body);
      stats.dropped++;
      return 'dropped';
    },
    resendSpooled(resendOptions) {
      const spool = options.spool;
      if (spool === undefined || closed) return Promise.resolve(0);
      const background = resendOptions?.background === true;
      if (!background) hold();
      return (resending ??= resend(spool, background).finally(() => {
        resending = undefined;
      }));
    },
    hold,
    abort() {
      closed = true;
      for (const [controller, entry] of inFlight) {
        if (!entry.spooled && options.spool?.save(entry.body) === true) {
          entry.spooled = true;
          stats.spooled++;
        }
        controller.abort();
      }
    },
  };
}

/** The URL's origin, for messages: never its path, query or credentials. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<invalid URL>';
  }
}

/**
 * Sends with node:http(s) rather than `fetch`: loading fetch's implementation costs more than
 * the whole push, and this runs at exit. Resolves with the status and up to 1 KiB of the answer.
 */
async function request(
  method: string,
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  signal: AbortSignal,
  onSocket: (socket: Socket) => void,
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const { request: send } = u.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = send(u, { method, headers: { ...headers, 'content-length': String(body.byteLength) }, signal }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < 1024) text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('socket', onSocket);
    req.on('error', reject);
    req.end(body);
  });
}
