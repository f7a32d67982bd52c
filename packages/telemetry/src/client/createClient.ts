import { createBatchQueue, createRedactor, DEFAULT_FLUSH_DEADLINE_MS, DROP_REASONS, getDiagnostics, GLOBAL_TIMERS, makeFetchTransport, neutraliseControlChars, randomId } from '@lookout/core';
import type { BatchQueue, Diagnostics, DropReason, FlushResult, MetricsRegistry, Redactor, Transport, TransportRequest, TransportResult } from '@lookout/core';
import { resolveTelemetryOptions } from '../config.js';
import type { ResolvedTelemetryOptions } from '../config.js';
import { withCompression } from '../delivery/compression.js';
import type { Compress } from '../delivery/compression.js';
import type { EventEncoder } from '../encoding/encoders.js';
import type { EncoderContext } from '../encoding/logRecords.js';
import { estimateEventBytes } from '../events/estimateEventBytes.js';
import { findEventIssue } from '../events/eventSchema.js';
import { globals } from '../internal/globals.js';
import type {
  ConsentState,
  EventProperties,
  TelemetryClient,
  TelemetryClientOptions,
  TelemetryDropReason,
  TelemetryEvent,
  TelemetryFormat,
  TelemetryStats,
} from '../types.js';

/** Name of the `command` events of `trackCommand()`. */
export const COMMAND_EVENT_NAME = 'command';
/** Name of the `feature` events of `trackFeature()`. */
export const FEATURE_EVENT_NAME = 'feature';
/** Every reason a client counts a drop under, in a stable order. */
export const TELEMETRY_DROP_REASONS: readonly TelemetryDropReason[] = [...DROP_REASONS, 'consent', 'before_send', 'expired'];

/** Queue drops whose events a store may keep for a later run. */
const PERSISTED_REASONS: ReadonlySet<DropReason> = new Set(['retries_exhausted', 'shutdown']);
const MAX_NAME_IN_MESSAGE = 64;

/** What a platform entry (`./node`, `./browser`) plugs into the shared client. */
export interface PlatformHooks {
  /** The platform string events carry unless `options.platform` is set. */
  platform?: string;
  /** gzip for this platform; `undefined` sends bodies uncompressed. */
  compress?: Compress;
  /** Builds the transport to `endpoint`. Default: core's fetch transport. */
  makeTransport?: (options: ResolvedTelemetryOptions, endpoint: string) => Transport;
  /** Names the factory in diagnostics. */
  component?: string;
  /**
   * Builds the encoder of `format`. A hook rather than an import, so each entry bundles only
   * the encoders it can use (pages never load the protobuf encoder).
   */
  createEncoder: (format: TelemetryFormat, context: EncoderContext, diagnostics: Diagnostics) => EventEncoder;
  /**
   * Exports the client's stats as Lookout's own metrics (`selfMetrics: true`) to `registry`,
   * the one passed in options or `undefined`. Without the hook, nothing is exported.
   */
  observeStats?: (stats: Readonly<TelemetryStats>, signal: string, registry: MetricsRegistry | undefined, diagnostics: Diagnostics) => void;
}

/** The client's parts platform entries need; never exported from the package. */
export interface ClientInternals {
  readonly options: ResolvedTelemetryOptions;
  readonly queue: BatchQueue<TelemetryEvent>;
  readonly encode: EventEncoder;
  readonly diagnostics: Diagnostics;
  readonly stats: TelemetryStats;
  /** Whether events may be sent now. */
  consentGranted(): boolean;
  /**
   * Takes everything the client holds that was neither sent nor accounted for: what is queued
   * (drained) and the batch whose send has not been settled. The caller must persist or count it.
   */
  takeUnsent(): TelemetryEvent[];
  /**
   * Takes the events held while consent is `pending` (see `optIn()`). Without consent they may be
   * neither sent nor stored: the caller must count them dropped.
   */
  takeHeld(): TelemetryEvent[];
  /** Hands `events` to the store, or counts them dropped under `reason` when there is none or it refuses. */
  persistOrDrop(events: readonly TelemetryEvent[], reason: TelemetryDropReason): void;
  /** Counts a drop the platform decided on. */
  countDrop(reason: TelemetryDropReason, events: readonly TelemetryEvent[], count?: number): void;
  /** Queues events that came back (a page-hide send that failed); what does not fit goes to the store, or is dropped as `queue_full`. */
  requeue(events: readonly TelemetryEvent[]): void;
  /** Called once when the client shuts down. */
  onShutdown(callback: () => void): void;
  /** Takes back what the store holds and queues what fits (no-op without a store or consent, after shutdown, or while a load runs). */
  loadStore(): void;
}

/**
 * Builds a client on core's `createBatchQueue`: the public client plus the internals that the
 * platform entries use. Never throws unless `strict: true` and the options are invalid.
 */
/** The queue's counters the client's stats read through. */
const QUEUE_COUNTERS = ['enqueued', 'sent', 'sentBatches', 'retried', 'failedSends', 'circuitOpened', 'queuedItems', 'queuedBytes'] as const;

export function createClient(input: TelemetryClientOptions | undefined, hooks: PlatformHooks): { client: TelemetryClient; internals: ClientInternals } {
  const component = hooks.component ?? 'createTelemetryClient';
  const earlyDiagnostics = pickDiagnostics(input);
  const options = resolveTelemetryOptions(input, earlyDiagnostics, component).options;
  const diagnostics = options.diagnostics ?? getDiagnostics();
  const signal = options.signal;
  const platform = options.platform ?? hooks.platform ?? detectPlatform();
  const appVersion = options.app.version;
  const sessionId = options.sessionId ?? randomId();
  const rates = new Map(Object.entries(options.sampling.rates));
  const defaultRate = options.sampling.defaultRate;
  const redactor: Redactor | undefined = options.redaction === false ? undefined : createRedactor({ ...options.redaction, diagnostics });
  const store = options.store;
  let userId = options.userId;
  const anonymousId = options.anonymousId;
  let consent: ConsentState = options.consent;
  /** Set while restored events are queued; `overflowed` says the queue refused one as full. */
  let restoring = false;
  let overflowed = false;
  let loading: Promise<void> | undefined;
  /** The last load left events in the store because the queue was full: load again when it has room. */
  let storeHasMore = false;
  let reloadTimer: unknown;
  let shutdownResult: Promise<FlushResult> | undefined;
  const shutdownCallbacks: Array<() => void> = [];
  /**
   * Events tracked while consent is `pending`, ready to go: queued by `optIn()`, dropped as
   * `consent` by `optOut()`, as `shutdown` by `shutdown()`. Never sent nor stored before; at most
   * `maxQueueEvents` (more are dropped as `queue_full`).
   */
  let held: TelemetryEvent[] = [];

  const dropped = {} as Record<TelemetryDropReason, number>;
  for (const reason of TELEMETRY_DROP_REASONS) dropped[reason] = 0;
  let queue: BatchQueue<TelemetryEvent>;
  // Queue counters are read through, so the client's stats stay one live object.
  const stats = { tracked: 0, dropped, persisted: 0, restored: 0, beaconed: 0, compression: { bodies: 0, bytesIn: 0, bytesOut: 0, failures: 0 } } as TelemetryStats;
  for (const key of QUEUE_COUNTERS) Object.defineProperty(stats, key, { enumerable: true, get: () => queue.stats[key] });

  const countDrop = (reason: TelemetryDropReason, events: readonly TelemetryEvent[], count: number = events.length): void => {
    if (count <= 0) return;
    dropped[reason] += count;
    const hook = options.onDrop;
    if (hook === undefined) return;
    try {
      hook(reason, events);
    } catch (error) {
      diagnostics.internalError(error, `${signal}.onDrop`);
    }
  };

  /** Whether the store took `events` (never without consent). */
  const persist = (events: readonly TelemetryEvent[]): boolean => {
    if (store === undefined || consent !== 'granted') return false;
    let saved = false;
    try {
      saved = store.save(events) === true;
    } catch (error) {
      diagnostics.internalError(error, `${signal}.store.save`);
    }
    if (saved) stats.persisted += events.length;
    return saved;
  };
  const persistOrDrop = (events: readonly TelemetryEvent[], reason: TelemetryDropReason): void => {
    if (events.length > 0 && !persist(events)) countDrop(reason, events);
  };

  // --- delivery: encoder and transport around core's queue ---------------------------------
  const baseEncode = hooks.createEncoder(options.format, { appName: options.app.name, resourceAttributes: options.resourceAttributes }, diagnostics);
  const batches = new WeakMap<object, readonly TelemetryEvent[]>();
  const encode: EventEncoder = (events) => {
    const encoded = baseEncode(events);
    if (typeof encoded.body !== 'string') batches.set(encoded.body, events);
    return encoded;
  };
  let transport: Transport | undefined = options.transport;
  if (transport === undefined && options.endpoint !== undefined) {
    transport = hooks.makeTransport?.(options, options.endpoint) ?? makeFetchTransport({ url: options.endpoint, headers: options.headers, timeoutMs: options.sendTimeoutMs, diagnostics });
  }
  if (transport === undefined) {
    diagnostics.warn('telemetry/no-endpoint', `${component}: neither endpoint nor transport is set; events will be counted as rejected`, `${signal}:no-endpoint`);
    transport = { send: () => Promise.resolve({ kind: 'failure', reason: 'no endpoint' }) };
  } else if (options.compression === 'gzip' && hooks.compress !== undefined) {
    transport = withCompression(transport, hooks.compress, (message) => diagnostics.warn('telemetry/gzip', `${signal}: ${message}`, `${signal}:gzip`), stats.compression);
  }
  const sender = transport;
  /** The batch last handed to the transport, and how many answers the queue had handled then. */
  let sending: { events: readonly TelemetryEvent[]; answers: number } | undefined;
  /** The queue counts each answer it handles as one sent batch or one failed send, in the same step as its drop. */
  const answers = (): number => stats.sentBatches + stats.failedSends;
  /**
   * The batch whose send the queue has not settled: in flight, so neither in a drain nor passed
   * to `onDrop` yet (once settled, it is sent, dropped, or back in the queue for a retry).
   */
  const unsettled = (): readonly TelemetryEvent[] | undefined => (sending !== undefined && answers() === sending.answers ? sending.events : undefined);
  /** Batches in flight when consent was withdrawn: never sent again, counted as `consent`. */
  const withdrawn = new WeakSet<readonly TelemetryEvent[]>();
  /** Batches the client persisted itself: the queue's later drop of them is not counted again. */
  const handedOver = new WeakSet<readonly TelemetryEvent[]>();
  const refuse = (events: readonly TelemetryEvent[] | undefined): TransportResult => {
    if (events !== undefined) withdrawn.add(events);
    // `reported`: the queue drops it without a warning of its own; onDrop counts it as consent.
    return { kind: 'failure', reason: 'consent withdrawn', reported: true };
  };
  const tracked: Transport = {
    async send(request: TransportRequest) {
      const events = typeof request.body === 'string' ? undefined : batches.get(request.body);
      // core's drain() leaves the batch in flight in the queue: after optOut() it must not be sent, or retried.
      if (consent !== 'granted' || (events !== undefined && withdrawn.has(events))) return refuse(events);
      sending = events === undefined ? undefined : { events, answers: answers() };
      const result = await sender.send(request);
      if (result.kind === 'success') {
        // Delivered, even if the queue has not counted it yet.
        if (sending?.events === events) sending = undefined;
        reloadWhenRoom();
        return result;
      }
      return events !== undefined && withdrawn.has(events) ? refuse(events) : result;
    },
  };

  /** See {@link ClientInternals.takeUnsent}. */
  const takeUnsent = (): TelemetryEvent[] => {
    const drained = queue.drain();
    const batch = unsettled();
    sending = undefined;
    if (batch === undefined || withdrawn.has(batch) || handedOver.has(batch)) return drained;
    handedOver.add(batch);
    return [...batch, ...drained];
  };

  /** The queue drops a larger event as `too_large` whatever it holds (a batch's bound, clamped to the queue's). */
  const maxEventBytes = Math.min(options.maxBatchBytes, options.maxQueueBytes);
  queue = createBatchQueue<TelemetryEvent>({
    transport: tracked,
    encode,
    sizeOf: estimateEventBytes,
    maxQueueItems: options.maxQueueEvents,
    maxQueueBytes: options.maxQueueBytes,
    maxBatchItems: options.maxBatchEvents,
    maxBatchBytes: options.maxBatchBytes,
    flushIntervalMs: options.flushIntervalMs,
    sendTimeoutMs: options.sendTimeoutMs,
    retry: options.retry,
    circuit: options.circuit,
    diagnostics,
    name: signal,
    // Offered every drop first: what the store takes (or the client already stored) is not a drop,
    // so the queue neither counts it nor warns that it was lost.
    keep: (reason, events) => handedOver.has(events) || (!withdrawn.has(events) && PERSISTED_REASONS.has(reason) && persist(events)),
    onDrop(reason, events) {
      if (withdrawn.has(events)) countDrop('consent', events);
      else if (restoring && reason === 'queue_full') overflowed = true; // Not dropped: the caller keeps it.
      else countDrop(reason, events);
    },
  });
  if (options.selfMetrics && hooks.observeStats !== undefined) {
    try {
      hooks.observeStats(stats, signal, options.registry, diagnostics);
    } catch (error) {
      diagnostics.internalError(error, `${signal}.selfMetrics`);
    }
  }

  /**
   * Queues `events` in order while the queue has room and returns how many it took from the
   * front: an invalid event is counted and taken; the first that does not fit stops it, so
   * what is left stays with the caller (a store keeps it) instead of being dropped one by one.
   */
  const enqueueWhileRoom = (events: readonly TelemetryEvent[]): number => {
    let taken = 0;
    restoring = true;
    try {
      for (const event of events) {
        const issue = findEventIssue(event);
        if (issue !== undefined) {
          reportInvalid(diagnostics, signal, 'stored event', issue.path, issue.message);
          countDrop('invalid', [], 1);
        } else {
          // The queue's own bounds, checked first so that a full queue is not reported as a drop
          // (an event too large for any batch is left to the queue, which drops it as too_large).
          const size = estimateEventBytes(event);
          const room = stats.queuedItems < options.maxQueueEvents && stats.queuedBytes + size <= options.maxQueueBytes;
          overflowed = false;
          if (room || size > maxEventBytes) queue.enqueue(event);
          else overflowed = true;
          if (overflowed) break;
        }
        taken++;
      }
    } finally {
      restoring = false;
      overflowed = false;
    }
    return taken;
  };

  /** Events that came back (a page-hide send that failed): what does not fit goes to the store in one batch. */
  const requeue = (events: readonly TelemetryEvent[]): void => {
    persistOrDrop(events.slice(enqueueWhileRoom(events)), 'queue_full');
  };

  /** The store's `take`: queues what it hands over while there is room (see {@link EventStore.load}). */
  const take = (events: readonly TelemetryEvent[]): number => {
    if (!Array.isArray(events) || shutdownResult !== undefined) return 0;
    if (consent !== 'granted') {
      // optOut() during the load: what the store read is dropped, and counted.
      countDrop('consent', events);
      return events.length;
    }
    const before = stats.enqueued;
    const taken = enqueueWhileRoom(events);
    stats.restored += stats.enqueued - before;
    if (taken < events.length) storeHasMore = true;
    return taken;
  };

  let loadingNow = false;
  const loadStore = (): void => {
    if (store === undefined || loadingNow || consent !== 'granted' || shutdownResult !== undefined) return;
    loadingNow = true;
    storeHasMore = false;
    loading = (async () => {
      let events: unknown = [];
      try {
        events = await store.load((count) => countDrop('expired', [], count), take);
      } catch (error) {
        diagnostics.internalError(error, `${signal}.store.load`);
      }
      if (!Array.isArray(events) || events.length === 0) return;
      // A store that returned what it read: what did not fit goes back to it in one batch.
      const rest = events.slice(take(events as TelemetryEvent[]));
      if (rest.length === 0) return;
      storeHasMore = true;
      persistOrDrop(rest, shutdownResult === undefined ? 'queue_full' : 'shutdown');
    })().finally(() => {
      loadingNow = false;
    });
  };

  /** After a send: once the queue is half empty, loads what the last load had to leave in the store. */
  const reloadWhenRoom = (): void => {
    if (!storeHasMore || reloadTimer !== undefined) return;
    reloadTimer = GLOBAL_TIMERS.setTimeout(() => {
      reloadTimer = undefined;
      if (stats.queuedItems <= options.maxQueueEvents / 2) loadStore();
    }, 0);
  };

  // --- tracking --------------------------------------------------------------------------
  const track = (name: unknown, properties: unknown, user?: unknown): string | undefined => {
    stats.tracked++;
    if (shutdownResult !== undefined) {
      // A no-op after shutdown: counted, never queued (the closed queue would hand each one to the store alone).
      diagnostics.warn('telemetry/after-shutdown', `${signal}: track() after shutdown(); events are dropped (counted as shutdown)`, `${signal}:after-shutdown`);
      countDrop('shutdown', [], 1);
      return undefined;
    }
    if (consent === 'denied') {
      countDrop('consent', [], 1);
      return undefined;
    }
    let sampleRate: number | undefined;
    const rate = typeof name === 'string' ? (rates.get(name) ?? defaultRate) : defaultRate;
    if (rate < 1) {
      if (!(Math.random() < rate)) {
        countDrop('sampled_out', [], 1);
        return undefined;
      }
      sampleRate = rate;
    }
    let copied: EventProperties;
    try {
      copied = copyProperties(properties);
    } catch {
      // Throwing getters, revoked proxies: the properties cannot be read, so the event is invalid.
      reportInvalid(diagnostics, signal, describeName(name), 'properties', 'could not be read');
      countDrop('invalid', [], 1);
      return undefined;
    }
    const event = {
      id: eventId(),
      name,
      timestamp: Date.now(),
      sessionId,
      appVersion,
      platform,
      properties: copied,
    } as TelemetryEvent;
    const who = user === undefined ? userId : user;
    if (who !== undefined) event.userId = who as string;
    if (anonymousId !== undefined) event.anonymousId = anonymousId;
    if (sampleRate !== undefined) event.sampleRate = sampleRate;
    let issue = findEventIssue(event);
    if (issue !== undefined) {
      reportInvalid(diagnostics, signal, describeName(name), issue.path, issue.message);
      countDrop('invalid', [event]);
      return undefined;
    }
    let out: TelemetryEvent = event;
    const beforeSend = options.beforeSend;
    if (beforeSend !== undefined) {
      let edited: TelemetryEvent | null | undefined = event;
      try {
        edited = beforeSend(event);
      } catch (error) {
        diagnostics.internalError(error, `${signal}.beforeSend`);
      }
      if (edited === null || edited === undefined) {
        countDrop('before_send', [event]);
        return undefined;
      }
      issue = findEventIssue(edited);
      if (issue !== undefined) {
        reportInvalid(diagnostics, signal, `beforeSend(${describeName(name)})`, issue.path, issue.message);
        countDrop('invalid', [event]);
        return undefined;
      }
      out = edited;
    }
    // Without beforeSend the event is the client's own, seen by no host code: scrubbed in place.
    if (redactor !== undefined) out = redactEvent(redactor, out, beforeSend === undefined ? out : { ...out });
    if (consent === 'pending') {
      if (held.length < options.maxQueueEvents) {
        held.push(out);
        return out.id;
      }
      diagnostics.warn('telemetry/pending-full', `${signal}: ${options.maxQueueEvents} events held until consent is given; later ones are dropped (counted as queue_full)`, `${signal}:pending-full`);
      countDrop('queue_full', [out]);
      return undefined;
    }
    return queue.enqueue(out) ? out.id : undefined;
  };

  const guard = <A extends unknown[]>(where: string, fn: (...args: A) => string | undefined) => {
    return (...args: A): string | undefined => {
      try {
        return fn(...args);
      } catch (error) {
        // Whatever failed, the event is not delivered: count it so nothing is lost silently.
        diagnostics.internalError(error, `${signal}.${where}`);
        countDrop('invalid', [], 1);
        return undefined;
      }
    };
  };

  const flush = async (deadlineMs?: number): Promise<FlushResult> => {
    try {
      const started = Date.now();
      // The documented default applies to the store load too: a load that never settles must not hang flush().
      const budget = typeof deadlineMs === 'number' && Number.isFinite(deadlineMs) && deadlineMs >= 0 ? deadlineMs : DEFAULT_FLUSH_DEADLINE_MS;
      if (loading !== undefined) await withDeadline(loading, budget);
      const result = await queue.flush(Math.max(0, budget - (Date.now() - started)));
      // Events held for consent cannot be sent yet: not complete while there are any.
      return held.length === 0 ? result : { ...result, complete: false, pendingItems: result.pendingItems + held.length };
    } catch (error) {
      diagnostics.internalError(error, `${signal}.flush`);
      return { complete: false, pendingItems: stats.queuedItems, inFlight: false };
    }
  };

  const client: TelemetryClient = {
    track: guard('track', (name: string, properties?: Record<string, unknown>) => track(name, properties)),
    trackCommand: guard('trackCommand', (command: string, durationMs: number, success: boolean, properties?: Record<string, unknown>) =>
      track(COMMAND_EVENT_NAME, { ...asObject(properties), command, durationMs, success }),
    ),
    trackFeature: guard('trackFeature', (feature: string, context?: Record<string, unknown>) => track(FEATURE_EVENT_NAME, { ...asObject(context), feature })),
    trackAction: guard('trackAction', (user: string, action: string, properties?: Record<string, unknown>) =>
      track(action, properties, typeof user === 'string' && user.length > 0 ? user : (user ?? null)),
    ),
    identify(id) {
      try {
        if (id === undefined || (typeof id === 'string' && id.length > 0 && id.length <= 256)) userId = id;
        else diagnostics.warn('telemetry/invalid-user-id', `${signal}: identify() needs a string of 1–256 characters or undefined; ignored`, `${signal}:identify`);
      } catch (error) {
        diagnostics.internalError(error, `${signal}.identify`);
      }
    },
    optIn() {
      if (shutdownResult !== undefined) return;
      consent = 'granted';
      const events = held;
      held = [];
      countDrop('queue_full', events.slice(enqueueWhileRoom(events)));
      loadStore();
    },
    optOut() {
      try {
        consent = 'denied';
        countDrop('consent', held);
        held = [];
        countDrop('consent', queue.drain());
        // The batch in flight is not in the drain: its answer, whatever it is, does not lead to a retry.
        const inFlight = unsettled();
        if (inFlight !== undefined) withdrawn.add(inFlight);
        if (store !== undefined) void store.clear().catch((error: unknown) => diagnostics.internalError(error, `${signal}.store.clear`));
      } catch (error) {
        diagnostics.internalError(error, `${signal}.optOut`);
      }
    },
    get consent() {
      return consent;
    },
    sessionId,
    flush,
    shutdown(deadlineMs?: number) {
      shutdownResult ??= (async () => {
        const started = Date.now();
        const budget = typeof deadlineMs === 'number' && Number.isFinite(deadlineMs) && deadlineMs >= 0 ? deadlineMs : 5000;
        // Held for a consent never given: dropped, never stored.
        countDrop('shutdown', held);
        held = [];
        await flush(budget);
        // What the flush could not send is dropped as `shutdown` by the queue, which hands it to the store.
        const result = await queue.shutdown(Math.max(0, budget - (Date.now() - started)));
        // A send whose transport ignored the abort may still be unanswered: its batch goes to the
        // store now (keeping its ids, should it arrive after all), before the exit handler is removed.
        persistOrDrop(takeUnsent(), 'shutdown');
        for (const callback of shutdownCallbacks.splice(0)) {
          try {
            callback();
          } catch (error) {
            diagnostics.internalError(error, `${signal}.shutdown`);
          }
        }
        return result;
      })().catch((error: unknown) => {
        diagnostics.internalError(error, `${signal}.shutdown`);
        return { complete: false, pendingItems: 0, inFlight: false };
      });
      return shutdownResult;
    },
    stats,
  };

  if (consent === 'granted') loadStore();

  const internals: ClientInternals = {
    options,
    queue,
    encode,
    diagnostics,
    stats,
    consentGranted: () => consent === 'granted',
    takeUnsent,
    takeHeld: () => {
      const events = held;
      held = [];
      return events;
    },
    persistOrDrop,
    countDrop,
    requeue,
    onShutdown: (callback) => {
      shutdownCallbacks.push(callback);
    },
    loadStore,
  };
  return { client, internals };
}

/** Copies own enumerable properties, leaving out `undefined` values; a non-object is kept as is so validation names it. */
function copyProperties(properties: unknown): EventProperties {
  if (properties === undefined || properties === null) return {};
  if (typeof properties !== 'object' || Array.isArray(properties)) return properties as EventProperties;
  const out: EventProperties = {};
  for (const key of Object.keys(properties)) {
    const value = (properties as Record<string, unknown>)[key];
    if (value === undefined) continue;
    // A `__proto__` key (as JSON.parse makes it) stays an own property, as in the page and lite clients: assigned, it would set the prototype and be lost.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value as EventProperties[string];
  }
  return out;
}

/**
 * `randomId()`, made one contiguous string now. V8 builds the id of `crypto.randomUUID()` by
 * concatenation, a tree of some twenty strings; the event holds it in the queue until the
 * encoder reads it, by when the tree has been moved to the old generation and is flattened
 * there. Reading a character flattens it while it is young (the throughput bench's client spent
 * half as long in garbage collection).
 */
function eventId(): string {
  const id = randomId();
  id.charCodeAt(0);
  return id;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Writes `event`'s name, properties and user ids, scrubbed, to `out` (the event itself or a copy of it) and returns it. */
function redactEvent(redactor: Redactor, event: TelemetryEvent, out: TelemetryEvent): TelemetryEvent {
  out.name = redactor.redactString(event.name);
  out.properties = redactor.redact(event.properties);
  if (event.userId !== undefined) out.userId = redactor.redactString(event.userId);
  if (event.anonymousId !== undefined) out.anonymousId = redactor.redactString(event.anonymousId);
  return out;
}

function describeName(name: unknown): string {
  if (typeof name !== 'string') return `track(<${name === null ? 'null' : typeof name}>)`;
  const short = name.length > MAX_NAME_IN_MESSAGE ? `${name.slice(0, MAX_NAME_IN_MESSAGE)}…` : name;
  return `track(${JSON.stringify(neutraliseControlChars(short))})`;
}

function reportInvalid(diagnostics: Diagnostics, signal: string, where: string, path: string, message: string): void {
  diagnostics.warn('telemetry/invalid-event', `${signal}: ${where}: ${path}: ${message}; event dropped`, `${signal}:invalid:${path}:${message}`);
}

function pickDiagnostics(input: unknown): Diagnostics | undefined {
  const d = (input as { diagnostics?: Diagnostics } | null | undefined)?.diagnostics;
  return typeof d === 'object' && d !== null && typeof d.warn === 'function' ? d : undefined;
}

/** `node/<version> <os> <arch>` in Node, `browser` where there is a document, else `unknown`. */
export function detectPlatform(): string {
  const g = globals();
  const node = g.process?.versions?.node;
  if (typeof node === 'string') return `node/${node} ${g.process?.platform ?? ''} ${g.process?.arch ?? ''}`.trim();
  if (g.document !== undefined) return 'browser';
  return 'unknown';
}

function withDeadline(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = globals().setTimeout?.(resolve, ms);
    if (typeof timer === 'object' && timer !== null) (timer as { unref?: () => void }).unref?.();
    void promise.then(resolve, resolve);
  });
}
