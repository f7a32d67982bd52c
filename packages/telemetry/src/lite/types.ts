import type { PageClient, PageClientOptions, PageClientStats } from '../page/types.js';

/**
 * Why the lite client dropped events: `consent` (denied, opted out, Do Not Track / GPC),
 * `invalid` (bad name or properties), `queue_full`, `no_endpoint`, `rejected` (the receiver
 * answered a 4xx other than 408/429), `send_failed` (retries exhausted), `page_hidden` (did not
 * fit the page's keepalive budget at page hide), `shutdown` (still queued after `shutdown()`) and
 * `rate_limited` (counted by the caller: `@lookout/browser/lite` for errors over their rate).
 */
export type LiteDropReason = 'consent' | 'invalid' | 'queue_full' | 'no_endpoint' | 'rejected' | 'send_failed' | 'page_hidden' | 'shutdown' | 'rate_limited';

/** Live counters of a lite client (the same object for its lifetime): the page client's, with the lite drop reasons. */
export type LiteStats = Pick<PageClientStats, 'queued' | 'sent' | 'retried'> & {
  /** Events dropped, by reason; every reason is present (0 until it happens). */
  dropped: Record<LiteDropReason, number>;
};

/** Input of `createLiteClient`, already checked by the caller; the fields it shares with the page client mean the same. */
export type LiteClientOptions = Pick<PageClientOptions, 'endpoint' | 'headers' | 'consent' | 'userId' | 'maxQueueEvents' | 'maxBatchEvents' | 'flushIntervalMs'> & {
  /** `service.name`. Default `unknown_service`. */
  serviceName?: string;
  /** `service.version`. Default `0.0.0`. */
  serviceVersion?: string;
  /** Extra OTLP resource attributes. */
  resourceAttributes?: Record<string, string>;
  /** Tries per batch. Default 5. */
  maxAttempts?: number;
  /** Where the client's own problems go (an invalid event, a full queue). */
  warn?: (code: string, message: string) => void;
};

/** The lite event client: the page client's methods, with a `flush` that answers `true` or `false`. */
export type LiteClient = Pick<PageClient, 'track' | 'identify' | 'optIn' | 'optOut' | 'consent' | 'sessionId'> & {
  /** Live counters. */
  readonly stats: LiteStats;
  /** Sends what is queued; `true` once nothing is queued or in flight, `false` at `timeoutMs` (default 5000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes until `timeoutMs`, then stops: listeners and timers removed, what is left counted `shutdown`. Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
};
