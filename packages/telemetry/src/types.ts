import type { BatchQueueStats, CompressionStats, Diagnostics, DropReason, FlushResult, MetricsRegistry, RedactorOptions, Transport } from '@lookout/core';

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value: what an event property may hold. Numbers must be finite. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** An event's own properties. Keys whose value is `undefined` are left out, as `JSON.stringify` does. */
export type EventProperties = Record<string, JsonValue>;

/**
 * One event as it leaves the client (after validation, sampling, `beforeSend` and scrubbing).
 * The plain JSON format sends it as is; OTLP maps it to one log record.
 */
export interface TelemetryEvent {
  /** Unique id (UUID v4). A resend of the same event carries the same id, so receivers can drop duplicates. */
  id: string;
  /** Event name, e.g. `command` or `checkout_clicked`. 1–256 characters. */
  name: string;
  /** When `track()` was called, in ms since the Unix epoch. */
  timestamp: number;
  /** The client's session (random per client unless given). */
  sessionId: string;
  /** The identified user, if any (`identify()`, `trackAction()`). */
  userId?: string;
  /** A pseudonymous id for a user who is not identified. */
  anonymousId?: string;
  /** The host application's version (`app.version`). */
  appVersion: string;
  /** Where the event was recorded, e.g. `node/20.20.2 linux x64` or `browser`. */
  platform: string;
  /** Sampling rate the event was kept at, in (0, 1); absent when every event of its name is kept. */
  sampleRate?: number;
  /** The event's own properties. */
  properties: EventProperties;
}

/**
 * Why events were dropped: the delivery queue's reasons plus the client's own:
 * `consent` (no consent, opted out or `DO_NOT_TRACK`), `before_send` (the hook returned `null`)
 * and `expired` (persisted events older than the store's age bound).
 */
export type TelemetryDropReason = DropReason | 'consent' | 'before_send' | 'expired';

/** Whether the client may send. `pending` and `denied` send nothing and keep nothing. */
export type ConsentState = 'granted' | 'pending' | 'denied';

/** The wire format: OTLP/HTTP logs as protobuf or JSON, or a plain JSON batch `{ sentAt, events }`. */
export type TelemetryFormat = 'otlp-proto' | 'otlp-json' | 'json';

/**
 * Where events that could not be sent are kept for a later run or page load (Node: the file
 * spool from `@lookout/telemetry/node`; browsers: IndexedDB from `@lookout/telemetry/browser`).
 * Implementations never throw.
 */
export interface EventStore {
  /**
   * Persists `events`. Returns `true` when the store took them (a write may complete later),
   * `false` when it refused them (full, unavailable): the client then counts them as dropped.
   */
  save(events: readonly TelemetryEvent[]): boolean;
  /**
   * Removes and returns what earlier runs persisted, oldest first. Events older than the store's
   * age bound are discarded and reported through `onExpired`; unreadable entries are skipped.
   *
   * The client also passes `take`, which queues events at once and returns how many it took
   * from the front (fewer when the queue is full). A store may hand events over through it as it
   * reads them instead of returning them: it then removes only what was taken, keeps the rest for
   * a later load, and stops once `take` took fewer than it was given. Removing an entry only
   * after `take` returned means a crash or `process.exit()` during a load loses nothing. What
   * `load` returns is queued the same way; what does not fit is saved back in one batch.
   */
  load(onExpired?: (count: number) => void, take?: (events: readonly TelemetryEvent[]) => number): Promise<TelemetryEvent[]>;
  /** Deletes everything persisted (on `optOut()`). */
  clear(): Promise<void>;
}

/** Counters of a client's life, by event. Live: the same object for the client's lifetime. */
export interface TelemetryStats extends Omit<BatchQueueStats, 'dropped'> {
  /** Calls of `track()` and its helpers (valid or not). */
  tracked: number;
  /** Events dropped, by reason. Events handed to an {@link EventStore} are not counted here. */
  dropped: Record<TelemetryDropReason, number>;
  /** Events handed to the store for a later run. */
  persisted: number;
  /** Events a store gave back from an earlier run and that were queued again. */
  restored: number;
  /** Events sent by `sendBeacon` or `keepalive` fetch when the page was hidden. */
  beaconed: number;
  /** What `compression: 'gzip'` did (bodies, bytes before and after, failures); zeros without it. */
  compression: CompressionStats;
}

/** Edits or drops an event just before it is queued; return `null` to drop it. */
export type BeforeSend = (event: TelemetryEvent) => TelemetryEvent | null | undefined;

/** Sees every drop, with its reason and the events dropped (empty when only a count is known). */
export type OnDrop = (reason: TelemetryDropReason, events: readonly TelemetryEvent[]) => void;

/** The event client. No method throws; `flush`/`shutdown` never reject. */
export interface TelemetryClient {
  /**
   * Records an event named `name` with `properties`. Returns the event's id when it was queued,
   * or held while consent is `pending` (sent after `optIn()`, dropped by `optOut()` or at
   * shutdown); `undefined` when it was dropped (consent `denied`, sampled out, invalid,
   * `beforeSend`, queue full, after `shutdown()`):
   * every drop is counted in `stats.dropped` and passed to `onDrop`.
   */
  track(name: string, properties?: Record<string, unknown>): string | undefined;
  /** Records a `command` event: `{ command, durationMs, success, ...properties }`. */
  trackCommand(command: string, durationMs: number, success: boolean, properties?: Record<string, unknown>): string | undefined;
  /** Records a `feature` event: `{ feature, ...context }`. */
  trackFeature(feature: string, context?: Record<string, unknown>): string | undefined;
  /** Records an event named `action` for `userId`, with `properties`. */
  trackAction(userId: string, action: string, properties?: Record<string, unknown>): string | undefined;
  /** Sets (or with `undefined` clears) the user id carried by later events. */
  identify(userId: string | undefined): void;
  /** Grants consent: the events held while it was `pending` are queued, later events are sent. */
  optIn(): void;
  /**
   * Withdraws consent: stops sending, drops everything held or queued (counted as `consent`) and clears
   * the store. A batch in flight is never sent again: if its send fails, it is counted as `consent`.
   */
  optOut(): void;
  /** Current consent state. */
  readonly consent: ConsentState;
  /** This client's session id. */
  readonly sessionId: string;
  /** Sends everything queued; resolves by `deadlineMs` (default 5000) with what is left. */
  flush(deadlineMs?: number): Promise<FlushResult>;
  /**
   * Flushes until `deadlineMs` (default 5000), then stops. With a store, what was queued but
   * could not be sent (the batch in flight included) is persisted for the next run before the
   * promise resolves; without one it is dropped as `shutdown`. Events held while consent is
   * `pending` are dropped as `shutdown`, never persisted. Later `track()` calls are dropped as `shutdown`.
   * Idempotent.
   */
  shutdown(deadlineMs?: number): Promise<FlushResult>;
  /** Live counters. */
  readonly stats: Readonly<TelemetryStats>;
}

/** Input of `createTelemetryClient`. Only `endpoint` (or `transport`) is required. */
export interface TelemetryClientOptions {
  /** Full URL batches are POSTed to, e.g. `http://127.0.0.1:4318/v1/logs` for an OTLP receiver. */
  endpoint?: string;
  /** Wire format. Default `otlp-proto`. */
  format?: TelemetryFormat;
  /** Headers sent with every batch (auth). Never logged. */
  headers?: Record<string, string>;
  /** `gzip` (default) compresses bodies where the platform can (`CompressionStream`, Node zlib); `none` never does. */
  compression?: 'gzip' | 'none';
  /** The application: `service.name` and `service.version` in OTLP, `appVersion` on events. */
  app?: { name?: string; version?: string };
  /** Overrides the detected platform string carried by events. */
  platform?: string;
  /** Extra OTLP resource attributes. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Session id; default a random UUID per client. */
  sessionId?: string;
  /** Initial user id. */
  userId?: string;
  /** Pseudonymous id carried by every event. */
  anonymousId?: string;
  /**
   * Initial consent. Default `granted`. `pending` holds events (up to `maxQueueEvents`; never
   * sent nor stored) until `optIn()` sends them or `optOut()` drops them; `denied` drops them.
   */
  consent?: ConsentState;
  /** Most events held (queued, retrying, in flight). Default 1000. */
  maxQueueEvents?: number;
  /** Most bytes held (JSON size of the events). Default 2 MiB. */
  maxQueueBytes?: number;
  /** A batch closes at this many events. Default 200. */
  maxBatchEvents?: number;
  /** A batch closes before this many bytes. Default 256 KiB. */
  maxBatchBytes?: number;
  /** A batch closes this long after its first event, in ms. Default 2000. */
  flushIntervalMs?: number;
  /** Per-request timeout in ms. Default 10000. */
  sendTimeoutMs?: number;
  /** Retry policy for network errors, timeouts, 408, 429 and 5xx. */
  retry?: { maxAttempts?: number; initialBackoffMs?: number; maxBackoffMs?: number; maxRetryAfterMs?: number };
  /** Circuit breaker: after `failureThreshold` failed sends in a row, pause `cooldownMs`, then probe. */
  circuit?: { failureThreshold?: number; cooldownMs?: number };
  /** Sampling: the share of events kept, per event name, in [0, 1]. */
  sampling?: { defaultRate?: number; rates?: Record<string, number> };
  /** PII scrubbing of every event (core's redaction module). Default: on with its defaults; `false` turns it off. */
  redaction?: false | Omit<RedactorOptions, 'diagnostics'>;
  /** Edits or drops each event before it is queued. Called inside try/catch; a throw keeps the event as it was. */
  beforeSend?: BeforeSend;
  /** Sees every drop. Called inside try/catch. */
  onDrop?: OnDrop;
  /** Where batches go instead of `endpoint` (tests, custom channels). */
  transport?: Transport;
  /** Persists what could not be sent, for the next run. */
  store?: EventStore;
  /**
   * Registry for Lookout's own delivery metrics. Default: the default registry in
   * `@lookout/telemetry/node`; none (no self-metrics) in `createTelemetryClient` and
   * `@lookout/telemetry/browser`, so pages do not bundle the registry.
   */
  registry?: MetricsRegistry;
  /** Export delivery counts as metrics (`lookout_delivery_*{signal}`). Default `true`. */
  selfMetrics?: boolean;
  /** The `signal` label of those metrics. Default `events`. */
  signal?: string;
  /** Where diagnostics go. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
  /** Throw `LookoutConfigError` on invalid options instead of falling back to defaults. */
  strict?: boolean;
}
