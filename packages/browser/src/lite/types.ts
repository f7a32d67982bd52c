import type { Diagnostics } from '@lookout/core/page';
import type { ConsentState, LiteStats } from '@lookout/telemetry/lite';
import type { LiteVitalsOptions } from '@lookout/web-vitals/lite';
import type { MonitoringOptions } from '../types.js';

/** Options of the lite error capture. */
export interface LiteErrorOptions {
  /** The same error (type and message) is sent at most this often per minute; more are counted `rate_limited`. Default 10. */
  maxPerMinute?: number;
}

/**
 * Input of `initMonitoring` from `@lookout/browser/lite`. The fields it shares with
 * `@lookout/browser` mean the same and are checked the same way; invalid or unknown fields get
 * one diagnostic each and their defaults.
 */
export type LiteMonitoringOptions = Pick<MonitoringOptions, 'serviceName' | 'serviceVersion' | 'environment' | 'endpoint' | 'headers' | 'consent' | 'userId'> & {
  /** Web vitals (`budgets`, `onBudgetExceeded`, `reportAllChanges`, `reportSoftNavs`): `false` turns them off. */
  webVitals?: boolean | LiteVitalsOptions;
  /** Error capture (the page's `error` and `unhandledrejection`): `false` turns it off. */
  errors?: boolean | LiteErrorOptions;
  /** Most events held (queued, retrying, in flight). Default 500. */
  maxQueueEvents?: number;
  /** A batch leaves at this many events. Default 50. */
  maxBatchEvents?: number;
  /** A batch leaves this long after its first event, in ms. Default 5000. */
  flushIntervalMs?: number;
  /** Tries per batch (network errors, 408, 429, 5xx). Default 5. */
  maxAttempts?: number;
  /** Where Lookout's own problems go: core's `Diagnostics`, or any object with `warn(code, message)`. Default: `console.warn`. Each problem is reported once. */
  diagnostics?: Pick<Diagnostics, 'warn'>;
};

/** What the lite `initMonitoring` returns. No method throws; promises never reject. */
export interface LiteMonitoring {
  /** Records a usage event. Returns its id, or `undefined` when it was dropped (counted in `stats`). */
  track(name: string, properties?: Record<string, unknown>): string | undefined;
  /** Records a `download` event `{ platform, method, version }`, e.g. `('linux', 'deb', '2.1.0')`. */
  trackDownload(platform: string, method: string, version: string): string | undefined;
  /** Sends an error (anything thrown) as an `error` event. Returns the event id. */
  captureException(error: unknown): string | undefined;
  /** Names the current route (SPA routers call this on every navigation); a change is sent as a `soft_navigation` event. */
  setRoute(route: string): void;
  /** Sets, or with `undefined` clears, the user id of later events. */
  identify(userId: string | undefined): void;
  /** Grants consent: queued and later events are sent. */
  optIn(): void;
  /** Withdraws consent: drops what is queued (counted `consent`), sends nothing more. */
  optOut(): void;
  /** Current consent. */
  readonly consent: ConsentState;
  /** This page's session id. */
  readonly sessionId: string;
  /** Live counters of the event client (drops by reason, `rate_limited` errors included). */
  readonly stats: Readonly<LiteStats>;
  /** Sends what is queued; resolves `true` when nothing is left, by `timeoutMs` (default 5000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Stops vitals and error capture, flushes by `timeoutMs` (default 5000), then stops sending. Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}
