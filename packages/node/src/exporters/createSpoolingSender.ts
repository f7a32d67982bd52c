import type { IncomingMessage } from 'node:http';
import type { Diagnostics } from '@lookout/core';
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
}

/**
 * Sends ready-made payloads to one HTTP receiver and spools what it cannot deliver, for the next
 * run. Never throws; promises never reject.
 */
export interface SpoolingSender {
  /** Sends `body`; spools it when the receiver cannot be reached or answers 429/5xx. */
  send(body: Uint8Array): Promise<PushOutcome>;
  /** Sends what earlier runs spooled, oldest first; stops at the first network failure. Returns how many were sent. */
  resendSpooled(): Promise<number>;
  /** Aborts requests in flight, spooling their payloads synchronously first (for the exit deadline). */
  abort(): void;
  /** Whether a request is in flight. */
  readonly busy: boolean;
  readonly stats: { sent: number; spooled: number; dropped: number; resent: number };
}

type Attempt = 'ok' | 'retryable' | 'rejected' | 'spooled';

export function createSpoolingSender(options: SpoolingSenderOptions): SpoolingSender {
  const { diagnostics: diag, name } = options;
  const key = name.toLowerCase().replace(/\W+/g, '-');
  const stats = { sent: 0, spooled: 0, dropped: 0, resent: 0 };
  // Requests in flight and their bodies: an abort at the exit deadline spools them synchronously.
  const inFlight = new Map<AbortController, { body: Uint8Array; spooled: boolean }>();
  const origin = safeOrigin(options.url);

  const attempt = async (body: Uint8Array): Promise<Attempt> => {
    const controller = new AbortController();
    const entry = { body, spooled: false };
    inFlight.set(controller, entry);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    timer.unref();
    try {
      const res = await request(options.method ?? 'POST', options.url, body, options.headers, controller.signal);
      if (res.status >= 200 && res.status < 300) return 'ok';
      if (res.status === 429 || res.status >= 500) {
        diag.warn(`${key}.unavailable`, `${name} at ${origin} answered ${res.status}; the payload is kept for later`, `${key}-${res.status}`);
        return 'retryable';
      }
      diag.warn(`${key}.rejected`, `${name} at ${origin} answered ${res.status}: ${res.text.slice(0, 200)}`, `${key}-${res.status}`);
      return 'rejected';
    } catch (error) {
      if (entry.spooled) return 'spooled';
      const why = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms or aborted` : String((error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? error);
      diag.warn(`${key}.unreachable`, `cannot reach ${name} at ${origin}: ${why}`, `${key}-unreachable`);
      return 'retryable';
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  return {
    stats,
    get busy() {
      return inFlight.size > 0;
    },
    async send(body) {
      const result = await attempt(body);
      if (result === 'ok') {
        stats.sent++;
        return 'sent';
      }
      if (result === 'spooled') return 'spooled';
      if (result === 'retryable' && options.spool?.save(body) === true) {
        stats.spooled++;
        return 'spooled';
      }
      stats.dropped++;
      return 'dropped';
    },
    async resendSpooled() {
      const spool = options.spool;
      if (spool === undefined) return 0;
      let sent = 0;
      for (const payload of spool.list()) {
        const result = await attempt(payload.body);
        if (result === 'retryable' || result === 'spooled') {
          if (result === 'spooled') spool.remove(payload.id);
          break;
        }
        spool.remove(payload.id);
        if (result === 'ok') {
          sent++;
          stats.resent++;
        } else stats.dropped++;
      }
      return sent;
    },
    abort() {
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
async function request(method: string, url: string, body: Uint8Array, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; text: string }> {
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
    req.on('error', reject);
    req.end(body);
  });
}
