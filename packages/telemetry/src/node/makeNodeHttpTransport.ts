import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Agent, ClientRequest } from 'node:http';
import { classifyHttpStatus, describeError, getDiagnostics, validHeaders } from '@lookout/core';
import type { Diagnostics, Transport, TransportRequest, TransportResult } from '@lookout/core';
import { DEFAULT_SEND_TIMEOUT_MS } from '../constants.js';

/** Default most sockets the transport keeps to one receiver. */
export const DEFAULT_MAX_SOCKETS = 4;
/** Default time an idle keep-alive socket stays open. */
export const DEFAULT_KEEP_ALIVE_IDLE_MS = 4000;

/** Input of {@link makeNodeHttpTransport}. */
export interface NodeHttpTransportOptions {
  /** Where to POST (http or https). */
  url: string;
  /**
   * Headers sent with every request (auth). Never logged. A header Node would refuse to send
   * (a name that is not a token, a value with a line break or other control character) is left
   * out, with one diagnostic naming it.
   */
  headers?: Readonly<Record<string, string>>;
  /** Per-request timeout in ms; the smaller of this and the request's own applies. Default 10000. */
  timeoutMs?: number;
  /** Agent to use. Default: a keep-alive agent of {@link DEFAULT_MAX_SOCKETS} sockets owned by this transport. */
  agent?: Agent;
  /** Where an invalid header is reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
}

/**
 * A {@link Transport} on Node's `http`/`https` with keep-alive connections. Never rejects: network
 * errors, resets, timeouts and aborts are `retryable`; a request Node refuses to build is a
 * `failure` (sending it again cannot help); statuses are classified by core's
 * `classifyHttpStatus` (429/5xx retryable honouring `Retry-After`, other 4xx `failure`). Idle
 * keep-alive sockets do not keep the process alive (Node unrefs pooled sockets); a request in
 * flight does, until it answers or times out.
 */
export function makeNodeHttpTransport(options: NodeHttpTransportOptions): Transport {
  let target: URL;
  try {
    target = new URL(options.url);
  } catch {
    return { send: () => Promise.resolve({ kind: 'failure', reason: 'invalid url' }) };
  }
  const https = target.protocol === 'https:';
  const request = https ? httpsRequest : httpRequest;
  const agent =
    options.agent ??
    (https
      ? new HttpsAgent({ keepAlive: true, maxSockets: DEFAULT_MAX_SOCKETS, timeout: DEFAULT_KEEP_ALIVE_IDLE_MS })
      : new HttpAgent({ keepAlive: true, maxSockets: DEFAULT_MAX_SOCKETS, timeout: DEFAULT_KEEP_ALIVE_IDLE_MS }));
  const baseHeaders = validHeaders(options.headers, options.diagnostics ?? getDiagnostics(), 'makeNodeHttpTransport');
  const transportTimeout = positiveOr(options.timeoutMs, DEFAULT_SEND_TIMEOUT_MS);

  const send = (req: TransportRequest): Promise<TransportResult> =>
    new Promise<TransportResult>((resolve) => {
      if (req.signal?.aborted === true) {
        resolve({ kind: 'retryable', reason: 'aborted' });
        return;
      }
      const timeoutMs = Math.min(transportTimeout, positiveOr(req.timeoutMs, transportTimeout));
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let outgoing: ClientRequest | undefined;
      const settle = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = (): void => {
        settle({ kind: 'retryable', reason: 'aborted' });
        outgoing?.destroy();
      };
      try {
        const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
        const sending = request(
          target,
          {
            method: 'POST',
            agent,
            headers: { ...baseHeaders, 'content-type': req.contentType, 'content-length': String(body.byteLength), ...(req.headers ?? {}) },
          },
          (res) => {
            const result = classifyHttpStatus(res.statusCode ?? 0, headerValue(res.headers['retry-after']));
            // Read the answer to its end so the socket goes back to the pool.
            res.on('error', () => undefined);
            res.resume();
            settle(result);
          },
        );
        outgoing = sending;
        req.signal?.addEventListener('abort', onAbort, { once: true });
        sending.on('error', (error) => settle({ kind: 'retryable', reason: `network error: ${describeError(error)}` }));
        timer = setTimeout(() => {
          settle({ kind: 'retryable', reason: `timed out after ${timeoutMs} ms` });
          sending.destroy();
        }, timeoutMs);
        timer.unref();
        sending.end(body);
      } catch (error) {
        // Node refused to build the request (an invalid header, say): the same request would be
        // refused again, so it is a failure, never retried, and the promise still resolves.
        settle({ kind: 'failure', reason: `invalid request: ${describeError(error)}` });
        outgoing?.destroy();
      }
    });

  return { send };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
