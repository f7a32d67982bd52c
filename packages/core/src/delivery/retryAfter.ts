import type { TransportResult } from './types.js';

const DELAY_SECONDS_PATTERN = /^\s*(\d{1,10})\s*$/;
/** Every HTTP-date form (IMF-fixdate, RFC 850, asctime) opens with a day name. */
const HTTP_DATE_START_PATTERN = /^\s*[A-Za-z]/;
/** Longest `Retry-After` date string worth parsing; real HTTP dates are 29 characters. */
const MAX_HTTP_DATE_LENGTH = 64;

/**
 * Parses an HTTP `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds (`"120"`) or an
 * HTTP date. Returns the wait in milliseconds from `nowMs`, never negative, or `undefined` when
 * the header is missing or unparsable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.length === 0) return undefined;
  const seconds = DELAY_SECONDS_PATTERN.exec(header);
  if (seconds !== null) return Number(seconds[1]) * 1000;
  if (header.length > MAX_HTTP_DATE_LENGTH || !HTTP_DATE_START_PATTERN.test(header)) return undefined;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Classifies an HTTP response status into a {@link TransportResult}: 2xx success; 408, 429 and
 * 5xx retryable (with `Retry-After` honoured); anything else a failure. Shared by every HTTP
 * transport so they agree on what is worth retrying.
 */
export function classifyHttpStatus(status: number, retryAfterHeader?: string | null, nowMs?: number): TransportResult {
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 408 || status === 429 || (status >= 500 && status < 600)) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader, nowMs);
    const result: TransportResult = { kind: 'retryable', reason: `HTTP ${status}`, status };
    if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
    return result;
  }
  return { kind: 'failure', reason: `HTTP ${status}`, status };
}
