import type { IncomingMessage } from 'node:http';
import type { Diagnostics } from '@lookout/core';
import { parseExposition } from '../exposition/parseExposition.js';
import type { PayloadSpool } from '../spool/createPayloadSpool.js';
import { snappyEncode } from './snappy.js';
import { encodeWriteRequest, type RemoteWriteMetadata, type RemoteWriteSeries } from './writeRequest.js';

/** What became of one push. */
export type PushOutcome = 'sent' | 'spooled' | 'dropped';

export interface RemoteWriterOptions {
  url: string;
  headers: Record<string, string>;
  externalLabels: Record<string, string>;
  timeoutMs: number;
  spool: PayloadSpool | undefined;
  diagnostics: Diagnostics;
}

/** Pushes metrics with Prometheus remote write 1.0. Never throws; promises never reject. */
export interface RemoteWriter {
  /** Encodes an exposition (all its samples at `timestampMs`) and sends it; spools it when the receiver cannot be reached. */
  push(exposition: string, timestampMs?: number): Promise<PushOutcome>;
  /** Sends what earlier runs spooled, oldest first; stops at the first network failure. Returns how many were sent. */
  resendSpooled(): Promise<number>;
  /** Aborts requests in flight, spooling their payloads synchronously first (for the exit deadline). */
  abort(): void;
  /** Whether a request is in flight. */
  readonly busy: boolean;
  readonly stats: { sent: number; spooled: number; dropped: number; resent: number };
}

export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'lookout-node/0.1.0',
});

/** Turns exposition text into remote-write series (one sample each) and family metadata. */
export function expositionToWriteRequest(
  exposition: string,
  externalLabels: Record<string, string>,
  timestampMs: number,
): { series: RemoteWriteSeries[]; metadata: RemoteWriteMetadata[] } {
  const series: RemoteWriteSeries[] = [];
  const metadata: RemoteWriteMetadata[] = [];
  const external = Object.entries(externalLabels);
  for (const family of parseExposition(exposition)) {
    metadata.push({ type: family.type, family: family.name, help: family.help });
    for (const s of family.samples) {
      const labels: [string, string][] = [['__name__', s.name], ...s.labels];
      for (const [k, v] of external) if (!s.labels.some(([name]) => name === k)) labels.push([k, v]);
      series.push({ labels, samples: [{ value: s.value, timestampMs }] });
    }
  }
  return { series, metadata };
}

export function createRemoteWriter(options: RemoteWriterOptions): RemoteWriter {
  const { diagnostics: diag } = options;
  const stats = { sent: 0, spooled: 0, dropped: 0, resent: 0 };
  // Requests in flight and their bodies: an abort at the exit deadline spools them synchronously.
  const inFlight = new Map<AbortController, { body: Uint8Array; spooled: boolean }>();
  const origin = safeOrigin(options.url);

  type Result = 'ok' | 'retryable' | 'rejected' | 'spooled';
  const send = async (body: Uint8Array): Promise<Result> => {
    const controller = new AbortController();
    const entry = { body, spooled: false };
    inFlight.set(controller, entry);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    timer.unref();
    try {
      const res = await post(options.url, body, { ...REMOTE_WRITE_HEADERS, ...options.headers }, controller.signal);
      if (res.status >= 200 && res.status < 300) return 'ok';
      if (res.status === 429 || res.status >= 500) {
        diag.warn('remote-write.unavailable', `remote write to ${origin} answered ${res.status}; the payload is kept for later`, `rw-${res.status}`);
        return 'retryable';
      }
      diag.warn('remote-write.rejected', `remote write to ${origin} answered ${res.status}: ${res.text.slice(0, 200)}`, `rw-${res.status}`);
      return 'rejected';
    } catch (error) {
      if (entry.spooled) return 'spooled';
      const why = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms or aborted` : String((error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? error);
      diag.warn('remote-write.unreachable', `cannot reach the remote-write receiver at ${origin}: ${why}`, 'rw-unreachable');
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
    async push(exposition, timestampMs = Date.now()) {
      let body: Uint8Array;
      try {
        const { series, metadata } = expositionToWriteRequest(exposition, options.externalLabels, timestampMs);
        body = snappyEncode(encodeWriteRequest(series, metadata));
      } catch (error) {
        diag.internalError(error, 'remote write: encode');
        stats.dropped++;
        return 'dropped';
      }
      const result = await send(body);
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
        const result = await send(payload.body);
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
 * POSTs with node:http(s) rather than `fetch`: loading fetch's implementation costs more than
 * the whole push, and this runs at exit. Resolves with the status and up to 1 KiB of the answer.
 */
async function post(url: string, body: Uint8Array, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const { request } = u.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(u, { method: 'POST', headers: { ...headers, 'content-length': String(body.byteLength) }, signal }, (res: IncomingMessage) => {
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
