import { createRedactor, createStandardMetrics, getDiagnostics } from '@lookout/core';
import type { BoundCounter, Counter, Diagnostics, MetricsRegistry, Redactor } from '@lookout/core';
import { BreadcrumbBuffer } from '../capture/BreadcrumbBuffer.js';
import { defaultSeverity, inferCategory } from '../capture/classify.js';
import { createEventId } from '../capture/eventId.js';
import { normaliseThrown } from '../capture/normaliseThrown.js';
import { defaultIsInApp, parseStack, redactFrames } from '../capture/parseStack.js';
import { isPlainRecord, safeCopy, safeString, truncate } from '../capture/safe.js';
import { syntheticStack } from '../capture/syntheticStack.js';
import { clearTimer, setTimer } from '../capture/timers.js';
import { resolveErrorTrackerOptions } from '../config.js';
import {
  DEFAULT_ERRORS_FLUSH_TIMEOUT_MS,
  DEFAULT_RATE_LIMIT_PER_GROUP,
  DEFAULT_RATE_LIMIT_WINDOW_MS,
  DEFAULT_SPIKE_CATEGORY_THRESHOLD,
  DEFAULT_SPIKE_COOLDOWN_MS,
  DEFAULT_SPIKE_GROUP_THRESHOLD,
  DEFAULT_SPIKE_WINDOW_MS,
  MAX_CUSTOM_CATEGORIES,
} from '../constants.js';
import type { ErrorTrackerOptions, ResolvedErrorTrackerOptions } from '../config.js';
import { installGlobalHandlers } from '../globalHandlers/installGlobalHandlers.js';
import { fingerprintParts, hashParts, normaliseMessage } from '../grouping/fingerprint.js';
import { GroupTable } from '../grouping/GroupTable.js';
import { SpikeDetector } from '../grouping/SpikeDetector.js';
import { isSeverity } from '../capture/severity.js';
import { readMonitoredFields } from '../monitored/MonitoredError.js';
import type { RecoveryOutcome, RecoveryReporter } from '../recovery/reporter.js';
import { runRetry } from '../recovery/retry.js';
import { runWithFallback } from '../recovery/withFallback.js';
import { resolveErrorTrackerChanges } from './resolveErrorTrackerChanges.js';
import type { ErrorTrackerChanges, ResolvedErrorTrackerChanges } from './resolveErrorTrackerChanges.js';
import type {
  Breadcrumb,
  BreadcrumbInput,
  BuiltInCategory,
  CaptureContext,
  CaptureMechanism,
  ErrorCategory,
  ErrorRecord,
  ErrorSink,
  ErrorTracker,
  GlobalHandlerOptions,
  GroupSnapshot,
  Severity,
  SpikeEvent,
  StackFrame,
} from '../types.js';

/** The built-in categories, in a stable order. */
export const ERROR_CATEGORIES: readonly BuiltInCategory[] = [
  'javascript',
  'api',
  'network',
  'database',
  'configuration',
  'security',
  'performance',
  'business',
];
/** The severities, lowest first. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

const BUILT_IN = new Set<string>(ERROR_CATEGORIES);
const CATEGORY_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
const BREADCRUMB_LEVELS = new Set(['debug', 'info', 'warning', 'error', 'fatal']);
const MAX_TAGS = 64;
const MAX_TAG_VALUE_LENGTH = 200;
const MAX_ID_LENGTH = 256;
/** What the global handlers report; every other mechanism (manual, retry, a recovered fallback) is handled by default. */
const UNHANDLED_MECHANISMS: ReadonlySet<string> = new Set(['uncaughtException', 'unhandledRejection', 'onerror']);

/**
 * Creates an error tracker: captures errors and messages with context, scrubs them with core's
 * redactor, groups them by fingerprint, counts them in `{ns}_errors_total{category,severity}`,
 * watches for spikes, and forwards them (rate-limited per group) to its sinks. Nothing it does
 * throws into the host; invalid options get one diagnostic each and fall back to defaults.
 */
export function createErrorTracker(options: ErrorTrackerOptions = {}): ErrorTracker {
  const earlyDiagnostics = isPlainRecord(options) && isDiagnostics(options['diagnostics']) ? options['diagnostics'] : undefined;
  const resolved = resolveErrorTrackerOptions(options, earlyDiagnostics).options as ResolvedErrorTrackerOptions;
  return new Tracker(resolved).api();
}

class Tracker implements RecoveryReporter {
  private readonly _o: ResolvedErrorTrackerOptions;
  private readonly _redactor: Redactor;
  private readonly _registry: MetricsRegistry | undefined;
  private _errors: Counter<'category' | 'severity'> | undefined;
  private readonly _boundErrors = new Map<string, BoundCounter>();
  private _recoveries: Counter<'helper' | 'outcome'> | undefined;
  private _suppressed: Counter<'reason'> | undefined;
  private _sinkFailures: Counter<'sink'> | undefined;
  private readonly _groups: GroupTable;
  /** Read by the group table on every record, so `configure()` changes the rate limit in place. `false` is an infinite `perGroup`. */
  private readonly _rateLimit: { perGroup: number; windowMs: number };
  private _spikes: SpikeDetector | undefined;
  private _breadcrumbs: BreadcrumbBuffer;
  private readonly _sinks: ErrorSink[];
  private readonly _categories = new Set<string>();
  private _userId: string | undefined;
  private _sessionId: string | undefined;
  private _removeHandlers: (() => void) | undefined;
  private _closed = false;
  private _shutdownResult: Promise<boolean> | undefined;
  /**
   * Thrown objects already captured, with their record id: one record per thrown object, however
   * often it is captured (by `retry` then a global handler, or capture-and-rethrow), as Sentry's
   * SDK does with `__sentry_captured__`.
   */
  private readonly _captured = new WeakMap<object, string | undefined>();

  constructor(o: ResolvedErrorTrackerOptions) {
    this._o = o;
    this._redactor = o.redactor ?? createRedactor(o.diagnostics === undefined ? {} : { diagnostics: o.diagnostics });
    // Metrics only with a registry the host passed in: no default registry here, so a page that
    // passes none does not bundle the registry implementation.
    this._registry = o.registry;
    this._errors = o.enabled ? this._errorsCounter() : undefined;
    this._rateLimit = o.rateLimit === false ? { perGroup: Infinity, windowMs: DEFAULT_RATE_LIMIT_WINDOW_MS } : { ...o.rateLimit };
    this._groups = new GroupTable(o.maxGroups, this._rateLimit);
    this._spikes = o.spike === undefined ? undefined : this._spikeDetector(o.spike);
    this._breadcrumbs = new BreadcrumbBuffer(o.maxBreadcrumbs);
    this._sinks = o.sinks;
    for (const c of o.categories) this._categories.add(c);
    // Scrubbed once, here and in configure(): they go into every record.
    o.tags = this._redactTags(o.tags);
  }

  api(): ErrorTracker {
    const captureError = (error: unknown, context?: CaptureContext): string | undefined =>
      this._guard('captureError', () => this._capture('error', error, context, undefined, captureError));
    return {
      captureError,
      captureMessage: (message, severity, context) => this._guard('captureMessage', () => this._capture('message', message, context, severity)),
      addBreadcrumb: (crumb) => this._guard('addBreadcrumb', () => this.breadcrumb(crumb)),
      setUser: (userId) => this._guard('setUser', () => (this._userId = this._cleanId(userId, 'setUser'))),
      setSession: (sessionId) => this._guard('setSession', () => (this._sessionId = this._cleanId(sessionId, 'setSession'))),
      retry: (fn, options) => runRetry(fn, options, this),
      withFallback: (fn, fallback, options) => runWithFallback(fn, fallback, options, this),
      installGlobalHandlers: (options) => this._guard('installGlobalHandlers', () => this._install(options)) ?? (() => {}),
      getGroups: () => this._guard('getGroups', () => this._groups.all()) ?? [],
      getGroup: (fingerprint) => this._guard('getGroup', () => this._groups.get(String(fingerprint))),
      addSink: (sink) => this._guard('addSink', () => this._addSink(sink)),
      configure: (changes) => this._guard('configure', () => this._configure(changes)),
      flush: (timeoutMs) => this._flush(timeoutMs),
      shutdown: (timeoutMs) => this._shutdown(timeoutMs),
    };
  }

  // --- configure ---------------------------------------------------------------------------

  private _errorsCounter(): Counter<'category' | 'severity'> | undefined {
    const o = this._o;
    return o.registry === undefined ? undefined : createStandardMetrics({ namespace: o.namespace, registry: o.registry }).errors;
  }

  private _spikeDetector(spike: { windowMs: number; cooldownMs: number }): SpikeDetector {
    return new SpikeDetector(spike.windowMs, spike.cooldownMs, this._o.maxGroups + MAX_CUSTOM_CATEGORIES + ERROR_CATEGORIES.length);
  }

  /** Applies what may change at run time; groups, breadcrumbs, user and session stay. */
  private _configure(input: ErrorTrackerChanges): void {
    if (this._closed) return;
    const o = this._o;
    const c = resolveErrorTrackerChanges(input, this.diagnostics());
    if (c.enabled !== undefined) {
      o.enabled = c.enabled;
      if (c.enabled) this._errors ??= this._errorsCounter();
    }
    if (c.rateLimit === false) this._rateLimit.perGroup = Infinity;
    else if (c.rateLimit !== undefined) {
      const was = this._rateLimit.perGroup;
      this._rateLimit.perGroup = c.rateLimit.perGroup ?? (Number.isFinite(was) ? was : DEFAULT_RATE_LIMIT_PER_GROUP);
      this._rateLimit.windowMs = c.rateLimit.windowMs ?? this._rateLimit.windowMs;
    }
    if (c.rateLimit !== undefined) o.rateLimit = Number.isFinite(this._rateLimit.perGroup) ? { ...this._rateLimit } : false;
    if (c.spike === false) {
      o.spike = undefined;
      this._spikes = undefined;
    } else if (c.spike !== undefined) this._configureSpike(c.spike);
    if ('classify' in c) o.classify = c.classify;
    if ('beforeCapture' in c) o.beforeCapture = c.beforeCapture;
    if (c.tags !== undefined) o.tags = this._redactTags(c.tags);
    if (c.maxBreadcrumbs !== undefined && c.maxBreadcrumbs !== o.maxBreadcrumbs) {
      // A new ring keeps the newest breadcrumbs that fit.
      const all = this._breadcrumbs.toArray();
      const kept = c.maxBreadcrumbs === 0 ? [] : all.slice(-c.maxBreadcrumbs);
      o.maxBreadcrumbs = c.maxBreadcrumbs;
      this._breadcrumbs = new BreadcrumbBuffer(c.maxBreadcrumbs);
      for (const crumb of kept) this._breadcrumbs.add(crumb);
    }
  }

  /** Merges spike changes; the spike windows are kept unless `windowMs` or `cooldownMs` changes. */
  private _configureSpike(changes: NonNullable<Exclude<ResolvedErrorTrackerChanges['spike'], false>>): void {
    const o = this._o;
    const onSpike = changes.onSpike ?? o.spike?.onSpike;
    if (onSpike === undefined) {
      this.diagnostics().warn('errors/invalid-changes', 'ErrorTracker.configure: spike.onSpike: required to turn spike detection on; the current value is kept', 'configure\u0000spike.onSpike');
      return;
    }
    const next = {
      onSpike,
      windowMs: changes.windowMs ?? o.spike?.windowMs ?? DEFAULT_SPIKE_WINDOW_MS,
      groupThreshold: changes.groupThreshold ?? o.spike?.groupThreshold ?? DEFAULT_SPIKE_GROUP_THRESHOLD,
      categoryThreshold: changes.categoryThreshold ?? o.spike?.categoryThreshold ?? DEFAULT_SPIKE_CATEGORY_THRESHOLD,
      cooldownMs: changes.cooldownMs ?? o.spike?.cooldownMs ?? DEFAULT_SPIKE_COOLDOWN_MS,
    };
    if (this._spikes === undefined || o.spike === undefined || next.windowMs !== o.spike.windowMs || next.cooldownMs !== o.spike.cooldownMs) {
      this._spikes = this._spikeDetector(next);
    }
    o.spike = next;
  }

  // --- RecoveryReporter ------------------------------------------------------------------

  diagnostics(): Diagnostics {
    return this._o.diagnostics ?? getDiagnostics();
  }

  random(): number {
    return this._o.random();
  }

  breadcrumb(input: BreadcrumbInput): void {
    if (!this._o.enabled || this._closed) return;
    if (!isPlainRecord(input) || typeof input.message !== 'string') {
      this.diagnostics().warn('errors/invalid-breadcrumb', 'addBreadcrumb() needs an object with a string message; it was dropped', 'addBreadcrumb');
      return;
    }
    const crumb: Breadcrumb = {
      timestamp: typeof input.timestamp === 'number' && Number.isFinite(input.timestamp) ? input.timestamp : this._o.now(),
      category: typeof input.category === 'string' && input.category !== '' ? this._redactor.redactString(input.category).slice(0, 64) : 'default',
      message: this._scrub(input.message),
      level: typeof input.level === 'string' && BREADCRUMB_LEVELS.has(input.level) ? input.level : 'info',
    };
    if (isPlainRecord(input.data)) crumb.data = this._redactor.redact(input.data);
    this._breadcrumbs.add(crumb);
  }

  capture(error: unknown, context: CaptureContext): void {
    this._guard('capture', () => this._capture('error', error, context, undefined));
  }

  outcome(helper: 'retry' | 'fallback', outcome: RecoveryOutcome): void {
    this._guard('recoveryOutcome', () => {
      if (!this._o.enabled || this._registry === undefined) return;
      this._recoveries ??= this._registry.counter(`${this._o.namespace}.error.recoveries`, {
        description: 'Outcomes of retry() and withFallback(), by helper and outcome',
        unit: '{outcome}',
        labels: ['helper', 'outcome'],
      });
      this._recoveries.add(1, { helper, outcome });
    });
  }

  // --- capture ---------------------------------------------------------------------------

  private _capture(
    kind: 'error' | 'message',
    thrown: unknown,
    rawContext: CaptureContext | undefined,
    rawSeverity: Severity | undefined,
    anchor?: (...args: never[]) => unknown,
  ): string | undefined {
    if (!this._o.enabled || this._closed) return undefined;
    const isObject = kind === 'error' && ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function');
    if (isObject && this._captured.has(thrown as object)) return this._captured.get(thrown as object);
    const o = this._o;
    const now = o.now();
    const ctx = this._readContext(rawContext);
    const mechanism: CaptureMechanism = ctx.mechanism ?? 'manual';

    let type: string;
    let rawMessage: string;
    let stackText: string | undefined;
    let causes: ErrorRecord['causes'] = [];
    let extra: Record<string, unknown> | undefined;
    if (kind === 'message') {
      type = 'Message';
      rawMessage = typeof thrown === 'string' ? thrown : safeString(thrown);
      if (typeof thrown !== 'string') this.diagnostics().warn('errors/invalid-message', 'captureMessage() needs a string; the value was stringified', 'captureMessage');
      stackText = undefined;
    } else {
      const info = normaliseThrown(thrown);
      type = info.type.slice(0, 128);
      rawMessage = info.message;
      stackText = info.stack ?? (info.isError ? undefined : syntheticStack(anchor));
      extra = info.extra;
      causes = info.causes.map((c) => ({
        type: c.type.slice(0, 128),
        message: this._scrub(c.message),
        stack: this._frames(c.stack, c.message),
        ...(c.source === undefined ? {} : { source: c.source }),
      }));
    }
    const message = this._scrub(rawMessage);
    const stack = this._frames(stackText, rawMessage);
    const typed = kind === 'error' ? readMonitoredFields(thrown) : undefined;

    let hinted: { category?: ErrorCategory; severity?: Severity } | undefined;
    if (o.classify !== undefined && kind === 'error') {
      try {
        const result = o.classify(thrown);
        hinted = isPlainRecord(result) ? result : undefined;
      } catch (error) {
        this.diagnostics().internalError(error, 'errors.classify');
      }
    }
    const category = this._category(ctx.category ?? typed?.category ?? hinted?.category ?? (kind === 'error' ? inferCategory(type, rawMessage, thrown) : undefined) ?? o.defaultCategory);
    let severity: Severity = defaultSeverity(kind, mechanism);
    if (isSeverity(typed?.severity)) severity = typed.severity;
    if (isSeverity(hinted?.severity)) severity = hinted.severity;
    if (rawSeverity !== undefined) {
      if (isSeverity(rawSeverity)) severity = rawSeverity;
      else this.diagnostics().warn('errors/invalid-severity', `unknown severity ${safeString(rawSeverity).slice(0, 40)}; using ${severity}`, 'severity');
    }
    if (ctx.severity !== undefined) severity = ctx.severity;

    const parts = ctx.fingerprint ?? fingerprintParts(type, message, stack, o.fingerprintFrames);
    const fingerprint = hashParts(parts);
    const decision = this._groups.record(fingerprint, type, normaliseMessage(message), category, severity, now);
    this._countError(category, severity);
    this._checkSpikes(decision.group, category, now);

    const id = createEventId(o.random);
    if (isObject) this._captured.set(thrown as object, id);
    if (!decision.forward) {
      this._countSuppressed('rate_limited');
      this._addOwnBreadcrumb(type, message, severity, now);
      return id;
    }

    const tags: Record<string, string> = { ...o.tags };
    this._mergeTags(tags, typed?.tags);
    this._mergeTags(tags, ctx.tags);
    // Copied field by field: a host's context with a throwing getter or a Proxy loses that field, not the error.
    const context: Record<string, unknown> = { ...extra, ...safeCopy(ctx.context) };
    let record: ErrorRecord | null | undefined = {
      id,
      kind,
      timestamp: now,
      type,
      message,
      category,
      severity,
      fingerprint,
      // The hash is of the caller's parts; what leaves is scrubbed.
      fingerprintParts: ctx.fingerprint === undefined ? parts : parts.map((p) => this._redactor.redactString(p)),
      tags,
      details: typed === undefined ? {} : this._redactor.redact(typed.details),
      context: this._redactor.redact(context),
      stack,
      causes,
      breadcrumbs: this._breadcrumbs.toArray(),
      handled: ctx.handled ?? !UNHANDLED_MECHANISMS.has(mechanism),
      mechanism,
      groupCount: decision.group.count,
    };
    const userId = ctx.userId ?? this._userId;
    const sessionId = ctx.sessionId ?? this._sessionId;
    if (userId !== undefined) record.userId = this._redactor.redactString(userId);
    if (sessionId !== undefined) record.sessionId = this._redactor.redactString(sessionId);
    this._addOwnBreadcrumb(type, message, severity, now);

    if (o.beforeCapture !== undefined) {
      try {
        record = o.beforeCapture(record);
      } catch (error) {
        this.diagnostics().internalError(error, 'errors.beforeCapture');
      }
      if (record === null || record === undefined || !isPlainRecord(record)) {
        this._countSuppressed('before_capture');
        // Nothing was sent: no id a host could show as a report id.
        if (isObject) this._captured.set(thrown as object, undefined);
        return undefined;
      }
    }
    for (const sink of this._sinks) this._send(sink, record);
    return id;
  }

  /** Redacted, then cut to `maxMessageLength`: a secret cut first would no longer be recognised. */
  private _scrub(text: string): string {
    return truncate(this._redactor.redactString(text), this._o.maxMessageLength);
  }

  /** Tag values as strings, each redacted by value and by its key. */
  private _redactTags(tags: Record<string, unknown> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(safeCopy(tags))) out[k] = this._redactor.redactString(safeString(v), k);
    return out;
  }

  private _frames(stackText: string | undefined, message: string): StackFrame[] {
    return redactFrames(parseStack(stackText, this._o.maxStackFrames, this._o.isInApp ?? defaultIsInApp, message), this._redactor.redactString.bind(this._redactor));
  }

  private _readContext(raw: CaptureContext | undefined): CaptureContext {
    if (raw === undefined || raw === null) return {};
    if (!isPlainRecord(raw)) {
      this.diagnostics().warn('errors/invalid-context', 'the capture context must be an object; it was ignored', 'context');
      return {};
    }
    const out: CaptureContext = {};
    const bad: string[] = [];
    const read = <K extends keyof CaptureContext>(key: K, ok: (v: unknown) => boolean): void => {
      let value: unknown;
      try {
        value = raw[key];
      } catch {
        bad.push(key);
        return;
      }
      if (value === undefined) return;
      if (ok(value)) out[key] = value as CaptureContext[K];
      else bad.push(key);
    };
    read('category', (v) => typeof v === 'string' && v !== '');
    read('severity', isSeverity);
    read('userId', (v) => typeof v === 'string');
    read('sessionId', (v) => typeof v === 'string');
    read('tags', isPlainRecord);
    read('context', isPlainRecord);
    read('fingerprint', (v) => Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'string'));
    read('handled', (v) => typeof v === 'boolean');
    read('mechanism', (v) => typeof v === 'string');
    if (out.userId !== undefined) out.userId = out.userId.slice(0, MAX_ID_LENGTH);
    if (out.sessionId !== undefined) out.sessionId = out.sessionId.slice(0, MAX_ID_LENGTH);
    if (out.fingerprint !== undefined) out.fingerprint = out.fingerprint.slice(0, 16).map((p) => p.slice(0, 256));
    if (bad.length > 0) this.diagnostics().warn('errors/invalid-context', `ignoring invalid capture context field(s): ${bad.join(', ')}`, `context:${bad.join(',')}`);
    return out;
  }

  /** A category name that keeps `errors_total` bounded: built-in, declared, or one of the first custom ones; else `other`. */
  private _category(candidate: ErrorCategory): ErrorCategory {
    const name = typeof candidate === 'string' ? candidate : '';
    if (BUILT_IN.has(name) || this._categories.has(name)) return name;
    if (!CATEGORY_PATTERN.test(name)) {
      this.diagnostics().warn('errors/invalid-category', `category ${JSON.stringify(name.slice(0, 40))} is not [a-z][a-z0-9_]*; using ${this._o.defaultCategory}`, `category:${name.slice(0, 40)}`);
      return this._o.defaultCategory;
    }
    if (this._categories.size >= MAX_CUSTOM_CATEGORIES) {
      this.diagnostics().warn('errors/too-many-categories', `more than ${MAX_CUSTOM_CATEGORIES} custom categories; ${name} counts as "other"`, `category:${name}`);
      return 'other';
    }
    this._categories.add(name);
    return name;
  }

  private _mergeTags(into: Record<string, string>, tags: Record<string, unknown> | undefined): void {
    if (tags === undefined) return;
    for (const [k, v] of Object.entries(safeCopy(tags))) {
      if (Object.keys(into).length >= MAX_TAGS) break;
      if (v === undefined || v === null || typeof v === 'object' || typeof v === 'function') continue;
      into[k.slice(0, 64)] = this._redactor.redactString(safeString(v).slice(0, MAX_TAG_VALUE_LENGTH), k);
    }
  }

  private _addOwnBreadcrumb(type: string, message: string, severity: Severity, now: number): void {
    this._breadcrumbs.add({
      timestamp: now,
      category: 'error',
      message: `${type}: ${message}`.slice(0, 500),
      level: severity === 'critical' ? 'fatal' : severity === 'low' ? 'info' : severity === 'medium' ? 'warning' : 'error',
    });
  }

  private _countError(category: string, severity: Severity): void {
    if (this._errors === undefined) return;
    const key = `${category}\u0000${severity}`;
    let bound = this._boundErrors.get(key);
    if (bound === undefined) {
      bound = this._errors.bind({ category, severity });
      this._boundErrors.set(key, bound);
    }
    bound.add(1);
  }

  private _countSuppressed(reason: 'rate_limited' | 'before_capture'): void {
    if (this._registry === undefined) return;
    this._suppressed ??= this._registry.counter('lookout.errors.suppressed', {
      description: 'Error records not forwarded to sinks, by reason (rate_limited, before_capture)',
      unit: '{error}',
      labels: ['reason'],
    });
    this._suppressed.add(1, { reason });
  }

  private _checkSpikes(group: GroupSnapshot, category: ErrorCategory, now: number): void {
    const spike = this._o.spike;
    const detector = this._spikes;
    if (spike === undefined || detector === undefined) return;
    const fire = (kind: SpikeEvent['kind'], key: string, count: number, threshold: number): void => {
      const event: SpikeEvent = {
        kind,
        key,
        count,
        threshold,
        windowMs: spike.windowMs,
        ratePerMinute: (count * 60_000) / spike.windowMs,
        category,
        group: { ...group },
        timestamp: now,
      };
      try {
        const result: unknown = spike.onSpike(event);
        if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
          (result as Promise<unknown>).then(undefined, (error: unknown) => this.diagnostics().internalError(error, 'errors.spike.onSpike'));
        }
      } catch (error) {
        this.diagnostics().internalError(error, 'errors.spike.onSpike');
      }
    };
    const g = detector.record(`g\u0000${group.fingerprint}`, spike.groupThreshold, now);
    if (g !== undefined) fire('group', group.fingerprint, g, spike.groupThreshold);
    const c = detector.record(`c\u0000${category}`, spike.categoryThreshold, now);
    if (c !== undefined) fire('category', category, c, spike.categoryThreshold);
  }

  // --- sinks -------------------------------------------------------------------------------

  private _send(sink: ErrorSink, record: ErrorRecord): void {
    try {
      sink.capture(record);
    } catch (error) {
      this._sinkFailed(sink, error, 'capture');
    }
  }

  private _sinkFailed(sink: ErrorSink, error: unknown, what: string): void {
    const name = sinkName(sink);
    this.diagnostics().error('errors/sink-failed', `sink ${name} failed in ${what}: ${safeString(error instanceof Error ? error.message : error)}`, `sink:${name}:${what}`);
    if (this._registry === undefined) return;
    this._sinkFailures ??= this._registry.counter('lookout.errors.sink.failures', {
      description: 'Calls into an error sink that threw or rejected',
      unit: '{failure}',
      labels: ['sink'],
    });
    this._sinkFailures.add(1, { sink: name });
  }

  private _addSink(sink: ErrorSink): void {
    if (!isPlainRecord(sink) || typeof sink.capture !== 'function') {
      this.diagnostics().warn('errors/invalid-sink', 'addSink() needs an object with capture(); it was ignored', 'addSink');
      return;
    }
    this._sinks.push(sink);
  }

  private async _flush(timeoutMs: number | undefined): Promise<boolean> {
    const ms = validTimeout(timeoutMs);
    const results = await Promise.all(this._sinks.map((sink) => this._callSink(sink, 'flush', ms)));
    return results.every(Boolean);
  }

  private _shutdown(timeoutMs: number | undefined): Promise<boolean> {
    if (this._shutdownResult !== undefined) return this._shutdownResult;
    this._closed = true;
    try {
      this._removeHandlers?.();
    } catch (error) {
      this.diagnostics().internalError(error, 'errors.shutdown');
    }
    this._removeHandlers = undefined;
    const ms = validTimeout(timeoutMs);
    this._shutdownResult = Promise.all(this._sinks.map((sink) => this._callSink(sink, 'shutdown', ms))).then((r) => r.every(Boolean));
    return this._shutdownResult;
  }

  /** Calls `sink[method](ms)` guarded and bounded by `ms`; resolves to its answer, `false` on failure or timeout. */
  private _callSink(sink: ErrorSink, method: 'flush' | 'shutdown', ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const fn = sink[method];
      if (typeof fn !== 'function') {
        resolve(true);
        return;
      }
      const timer = setTimer(() => resolve(false), ms + 100, true);
      const done = (value: boolean): void => {
        clearTimer(timer);
        resolve(value);
      };
      try {
        Promise.resolve(fn.call(sink, ms)).then(
          (ok) => done(ok !== false),
          (error: unknown) => {
            this._sinkFailed(sink, error, method);
            done(false);
          },
        );
      } catch (error) {
        this._sinkFailed(sink, error, method);
        done(false);
      }
    });
  }

  private _install(options: GlobalHandlerOptions | undefined): () => void {
    if (this._removeHandlers !== undefined) {
      this.diagnostics().info('errors/handlers-installed', 'global handlers are already installed; the existing ones are kept', 'handlers');
      return this._removeHandlers;
    }
    if (this._closed) return () => {};
    const remove = installGlobalHandlers(isPlainRecord(options) ? options : {}, this);
    let removed = false;
    this._removeHandlers = () => {
      if (removed) return;
      removed = true;
      remove();
      this._removeHandlers = undefined;
    };
    return this._removeHandlers;
  }

  private _cleanId(value: unknown, where: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.diagnostics().warn('errors/invalid-id', `${where}() needs a string; the value was ignored`, where);
      return undefined;
    }
    return String(value).slice(0, MAX_ID_LENGTH);
  }

  private _guard<T>(where: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.diagnostics().internalError(error, `errors.${where}`);
      return undefined;
    }
  }
}

function sinkName(sink: ErrorSink): string {
  try {
    return typeof sink.name === 'string' && sink.name !== '' ? sink.name.slice(0, 64) : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

function validTimeout(ms: unknown): number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_ERRORS_FLUSH_TIMEOUT_MS;
}

function isDiagnostics(value: unknown): value is Diagnostics {
  return isPlainRecord(value) && typeof value['warn'] === 'function' && typeof value['internalError'] === 'function';
}
