import { booleanField, diagnosticsField, diagnosticsIn, functionField, getDiagnostics, methodsField, quickResolve, randomId } from '@lookout/core/page';
import type { Diagnostics, FieldCheck, Redactor } from '@lookout/core/page';
import { isNetworkFailure } from '../capture/classify.js';
import { normaliseThrown } from '../capture/normaliseThrown.js';
import { defaultIsInApp, parseStack, redactFrames } from '../capture/parseStack.js';
import { isPlainRecord, safeCopy, safeGet, safeKeys, safeString, truncate } from '../capture/safe.js';
import { syntheticStack } from '../capture/syntheticStack.js';
import { clearTimer, setTimer } from '../capture/timers.js';
import { fingerprintParts, hashParts } from '../grouping/fingerprint.js';
import type { Breadcrumb, CaptureContext, ErrorRecord, ErrorSink, Severity, StackFrame } from '../types.js';
import { DEFAULT_PAGE_MAX_BREADCRUMBS, DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE } from './constants.js';
import type { PageErrorCapture, PageErrorCaptureOptions } from './types.js';
import { isSeverity } from '../capture/severity.js';
// The full tracker's defaults (a zod-free module), so both trackers agree; past DEFAULT_MAX_GROUPS fingerprints the rate-limit table starts afresh.
import { DEFAULT_ERRORS_FLUSH_TIMEOUT_MS, DEFAULT_FINGERPRINT_FRAMES, DEFAULT_MAX_GROUPS, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_STACK_FRAMES } from '../constants.js';

/** Distinct categories counted; more count as `other`, so `errors_total` stays bounded. */
const MAX_CATEGORIES = 40;
const MINUTE_MS = 60_000;
const COMPONENT = 'createPageErrorCapture';

const isString = (v: unknown): v is string => typeof v == 'string';
const isInt =
  (min: number, max: number): FieldCheck =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
/** An array whose items all pass `ok`; else the index of the first that fails. */
const listOf =
  (ok: FieldCheck): FieldCheck =>
  (v) => {
    if (!Array.isArray(v)) return false;
    const bad = v.findIndex((item) => ok(item) !== true);
    return bad < 0 || String(bad);
  };

// Checks of `quickResolve`, which drops what fails them (one diagnostic per field, its default used).
const OPTIONS: Record<keyof PageErrorCaptureOptions, FieldCheck> = {
  sinks: listOf(methodsField('capture')),
  diagnostics: diagnosticsField,
  redactor: methodsField('redact', 'redactString'),
  maxPerGroupPerMinute: isInt(1, 1e9),
  ignoreErrors: listOf((v) => isString(v) || v instanceof RegExp),
  maxBreadcrumbs: isInt(0, 100),
  beforeCapture: functionField,
  tags: isPlainRecord,
  registry: methodsField('counter'),
  namespace: (v) => isString(v) && /^[a-zA-Z]\w{0,63}$/.test(v),
  preload: booleanField,
  strict: booleanField,
};
const CONTEXT: Record<keyof CaptureContext, FieldCheck> = {
  category: (v) => isString(v) && /^[a-z][a-z0-9_]{0,31}$/.test(v),
  severity: isSeverity,
  userId: isString,
  sessionId: isString,
  tags: isPlainRecord,
  context: isPlainRecord,
  fingerprint: (v) => Array.isArray(v) && v.length > 0 && v.every(isString),
  handled: booleanField,
  mechanism: isString,
};

type Listener = (event: unknown) => void;
interface PageGlobal {
  addEventListener?(type: string, listener: Listener): void;
  removeEventListener?(type: string, listener: Listener): void;
}

/**
 * Creates the lean error capture for pages: the same `ErrorRecord`s as `createErrorTracker` (same
 * type, message, stack and fingerprint for the same thrown value) handed to the same `ErrorSink`s,
 * without the full tracker's zod schema, recovery helpers, spike detection and group table.
 * Records reach the sinks synchronously. Never throws (but for `strict: true` with invalid
 * options, which throws a `LookoutConfigError`); each invalid option gets one diagnostic naming
 * it (through core's `quickResolve`) and its default is used.
 */
export function createPageErrorCapture(input?: PageErrorCaptureOptions): PageErrorCapture {
  const o = quickResolve(input, OPTIONS, COMPONENT, diagnosticsIn(input)).options as PageErrorCaptureOptions;
  const diagnostics = o.diagnostics ?? getDiagnostics();
  const { redactor, registry, beforeCapture, sinks = [], ignoreErrors = [] } = o;
  const perMinute = o.maxPerGroupPerMinute ?? DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE;
  const maxCrumbs = o.maxBreadcrumbs ?? DEFAULT_PAGE_MAX_BREADCRUMBS;
  const crumbs: Breadcrumb[] = [];
  const groups = new Map<string, { n: number; w: number; s: number }>();
  /** Thrown objects captured, with their record id (`undefined` when `beforeCapture` dropped it). */
  let captured = new WeakMap<object, string | undefined>();
  const categories = new Set<string>();
  let counters: Promise<ReturnType<typeof import('./metrics.js')['createPageCounters']>> | undefined;
  let user: string | undefined;
  let session: string | undefined;
  let closed = false;
  let remove: (() => void) | undefined;
  let shut: Promise<boolean> | undefined;

  /** Calls the diagnostics; never throws (a host's diagnostics that throws has nowhere left to report to). */
  const diag = (fn: (d: Diagnostics) => void): void => {
    try {
      fn(diagnostics);
    } catch {
      // Nothing left to report to.
    }
  };
  const warn = (what: string): void => diag((d) => d.warn('errors/invalid', `${COMPONENT}: invalid ${what}`, what));
  const internal = (error: unknown, where: string): void => diag((d) => d.internalError(error, `errors.page.${where}`));
  const count = (name: 'errors' | 'suppressed', labels: Record<string, string>): void => {
    if (registry === undefined) return;
    counters ??= import('./metrics.js').then((m) => m.createPageCounters(registry, o.namespace ?? 'app'));
    counters.then((c) => c[name].add(1, labels)).catch((error: unknown) => internal(error, 'metrics'));
  };
  const suppress = (reason: string): void => count('suppressed', { reason });
  const redactString = (text: string): string => (redactor ? redactor.redactString(text) : text);
  // Redacted first: a secret cut at the limit would no longer be recognised.
  const scrub = (text: string): string => truncate(redactString(text), DEFAULT_MAX_MESSAGE_LENGTH);
  const frames = (text: string | undefined, message: string): StackFrame[] => redactFrames(parseStack(text, DEFAULT_MAX_STACK_FRAMES, defaultIsInApp, message), redactString);
  const addTags = (into: Record<string, string>, from: unknown): Record<string, string> => {
    for (const key of isPlainRecord(from) ? safeKeys(from) : []) {
      const value = safeGet(from, key);
      if (value !== null && /^[snb]/.test(typeof value)) into[key.slice(0, 64)] = scrub(String(value).slice(0, 200));
    }
    return into;
  };
  const tags = addTags({}, o.tags);
  const addCrumb = (crumb: Breadcrumb): void => {
    crumbs.push(crumb);
    if (crumbs.length > maxCrumbs) crumbs.shift();
  };
  const asId = (value: unknown, what: string): string | undefined =>
    value == null ? undefined : isString(value) || typeof value == 'number' ? String(value).slice(0, 256) : void warn(what);
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R, where: string) =>
    (...args: A): R | undefined => {
      try {
        return fn(...args);
      } catch (error) {
        internal(error, where);
        return undefined;
      }
    };

  const capture = (kind: ErrorRecord['kind'], thrown: unknown, rawContext: unknown, anchor?: unknown, severityArg?: unknown): string | undefined => {
    if (closed) return undefined;
    // One record per thrown object, however often it is captured (capture-and-rethrow, then the page's `error` event), as the full tracker.
    const object = kind == 'error' && thrown === Object(thrown) ? (thrown as object) : undefined;
    if (object && captured.has(object)) return captured.get(object);
    const timestamp = Date.now();
    let ctx: CaptureContext = {};
    try {
      ctx = quickResolve(rawContext ?? undefined, CONTEXT, `${COMPONENT} context`, diagnostics).options;
    } catch {
      // `strict: true` inside a context: the context is dropped, the capture goes on.
    }
    const mechanism = ctx.mechanism ?? 'manual';
    const context: Record<string, unknown> = {};
    let type = 'Message';
    let raw: string;
    let stackText: string | undefined;
    let causes: ErrorRecord['causes'] = [];
    if (kind == 'error') {
      const info = normaliseThrown(thrown);
      type = info.type.slice(0, 128);
      raw = info.message;
      stackText = info.stack ?? (info.isError || anchor === undefined ? undefined : syntheticStack(anchor));
      causes = info.causes.map((c) => ({ type: c.type.slice(0, 128), message: scrub(c.message), stack: frames(c.stack, c.message), ...(c.source && { source: c.source }) }));
      // Without a redactor to copy it safely, a thrown object itself (maybe cyclic) stays out of the record.
      if (info.extra) Object.assign(context, redactor ? info.extra : { thrownType: info.extra['thrownType'] });
    } else {
      raw = isString(thrown) ? thrown : safeString(thrown);
      if (!isString(thrown)) warn('message');
    }
    const cut = truncate(raw, DEFAULT_MAX_MESSAGE_LENGTH);
    if (ignoreErrors.some((p) => (isString(p) ? cut.includes(p) : ((p.lastIndex = 0), p.test(cut))))) {
      suppress('ignored');
      return undefined;
    }
    const message = scrub(raw);
    const stack = frames(stackText, raw);
    let category = ctx.category ?? (kind == 'error' && isNetworkFailure(type, raw) ? 'network' : 'javascript');
    if (!categories.has(category)) {
      if (categories.size < MAX_CATEGORIES) categories.add(category);
      else category = 'other';
    }
    if (severityArg !== undefined && !isSeverity(severityArg)) warn('severity');
    const severity: Severity = ctx.severity ?? (isSeverity(severityArg) ? severityArg : kind == 'message' ? 'low' : 'high');
    const parts = ctx.fingerprint?.slice(0, 16).map((part) => part.slice(0, 256)) ?? fingerprintParts(type, message, stack, DEFAULT_FINGERPRINT_FRAMES);
    const fingerprint = hashParts(parts);
    let group = groups.get(fingerprint);
    if (!group) {
      if (groups.size >= DEFAULT_MAX_GROUPS) groups.clear();
      groups.set(fingerprint, (group = { n: 0, w: 0, s: timestamp }));
    }
    group.n++;
    // A fixed one-minute window per fingerprint, as the full tracker's group table.
    if (timestamp - group.s >= MINUTE_MS || timestamp < group.s) {
      group.s = timestamp;
      group.w = 0;
    }
    count('errors', { category, severity });
    const breadcrumbs = crumbs.slice();
    addCrumb({
      timestamp,
      category: 'error',
      message: `${type}: ${message}`.slice(0, 500),
      level: ({ critical: 'fatal', low: 'info', medium: 'warning' } as const)[severity as 'low'] ?? 'error',
    });
    const id = randomId().replace(/-/g, '');
    if (object) captured.set(object, id);
    if (group.w++ >= perMinute) {
      suppress('rate_limited');
      return id;
    }
    Object.assign(context, safeCopy(ctx.context));
    const userId = ctx.userId ?? user;
    const sessionId = ctx.sessionId ?? session;
    let record: ErrorRecord | null | undefined = {
      id,
      kind,
      timestamp,
      type,
      message,
      category,
      severity,
      fingerprint,
      // The hash is of the caller's parts; what leaves is scrubbed.
      fingerprintParts: ctx.fingerprint ? parts.map(redactString) : parts,
      tags: addTags({ ...tags }, ctx.tags),
      details: {},
      context: redactor ? redactor.redact(context) : context,
      stack,
      causes,
      breadcrumbs,
      handled: ctx.handled ?? !(mechanism == 'onerror' || mechanism == 'unhandledRejection' || mechanism == 'uncaughtException'),
      mechanism,
      groupCount: group.n,
    };
    if (userId !== undefined) record.userId = redactString(userId);
    if (sessionId !== undefined) record.sessionId = redactString(sessionId);
    if (beforeCapture) {
      try {
        record = beforeCapture(record);
      } catch (error) {
        internal(error, 'beforeCapture');
      }
      if (!isPlainRecord(record)) {
        if (object) captured.set(object, undefined);
        suppress('before_capture');
        return undefined;
      }
    }
    for (const sink of sinks) {
      try {
        sink.capture(record);
      } catch (error) {
        sinkFailed(sink, error);
      }
    }
    return id;
  };

  const sinkFailed = (sink: ErrorSink, error: unknown): void => {
    const name = safeString(safeGet(sink, 'name')).slice(0, 64);
    diag((d) => d.error('errors/sink-failed', `sink ${name} failed: ${safeString(safeGet(error, 'message') ?? error)}`, name));
  };

  /**
   * Calls `method` of every sink (a sink without it counts as done), all bounded by one deadline;
   * `true` when every one answered other than `false` in time.
   */
  const call = (method: 'flush' | 'shutdown', timeoutMs: unknown): Promise<boolean> => {
    const ms = typeof timeoutMs == 'number' && timeoutMs >= 0 && timeoutMs < 1e9 ? timeoutMs : DEFAULT_ERRORS_FLUSH_TIMEOUT_MS;
    let timer: unknown;
    const late = new Promise<boolean>((resolve) => (timer = setTimer(() => resolve(false), ms + 100, true)));
    const answers = sinks.map((sink) =>
      Promise.race([
        new Promise((resolve) => resolve(sink[method]?.call(sink, ms))).then(
          (ok) => ok !== false,
          (error: unknown) => (sinkFailed(sink, error), false),
        ),
        late,
      ]),
    );
    return Promise.all(answers).then((results) => (clearTimer(timer), results.every(Boolean)));
  };

  const api: PageErrorCapture = {
    captureError: guard((error, context) => capture('error', error, context, api.captureError), 'capture'),
    captureMessage: guard((message, severity, context) => capture('message', message, context, undefined, severity), 'capture'),
    addBreadcrumb: (input) => {
      if (closed) return;
      try {
        const { category, level, data, message } = input;
        if (!isString(message)) throw input;
        const crumb: Breadcrumb = {
          timestamp: Date.now(),
          category: isString(category) && category ? redactString(category).slice(0, 64) : 'default',
          message: scrub(message),
          level: /^(debug|info|warning|error|fatal)$/.test(level as string) ? level! : 'info',
        };
        if (isPlainRecord(data)) crumb.data = redactor ? redactor.redact(data) : { ...data };
        addCrumb(crumb);
      } catch {
        // Not an object with a string message, or one whose getters throw.
        warn('addBreadcrumb');
      }
    },
    clear: () => {
      crumbs.length = 0;
      groups.clear();
      captured = new WeakMap();
    },
    setUser: guard((id) => void (user = asId(id, 'setUser')), 'set'),
    setSession: guard((id) => void (session = asId(id, 'setSession')), 'set'),
    installGlobalHandlers: () =>
      guard(() => {
        const g = globalThis as PageGlobal;
        if (!remove && !closed && functionField(g.addEventListener) && functionField(g.removeEventListener)) {
          // Listeners never displace the page's `onerror`, its other listeners or the console output.
          const onError: Listener = guard((event) => {
            let thrown = safeGet(event, 'error');
            const message = safeGet(event, 'message');
            // Cross-origin scripts give `Script error.` and nothing else.
            const crossOrigin = thrown == null && {
              location: { filename: safeGet(event, 'filename'), lineno: safeGet(event, 'lineno'), colno: safeGet(event, 'colno') },
            };
            if (crossOrigin) thrown = { name: 'ScriptError', message: isString(message) && message ? message : 'Script error.', stack: '' };
            capture('error', thrown, { handled: false, mechanism: 'onerror', ...(crossOrigin && { context: crossOrigin }) });
          }, 'listener');
          const onRejection: Listener = guard((event) => capture('error', safeGet(event, 'reason'), { handled: false, mechanism: 'unhandledRejection' }), 'listener');
          g.addEventListener!('error', onError);
          g.addEventListener!('unhandledrejection', onRejection);
          const off = guard(() => {
            if (remove !== off) return;
            remove = undefined;
            g.removeEventListener!('error', onError);
            g.removeEventListener!('unhandledrejection', onRejection);
          }, 'install');
          remove = off;
        }
        return remove;
      }, 'install')() ?? (() => {}),
    flush: (timeoutMs) => call('flush', timeoutMs),
    shutdown: (timeoutMs) => {
      if (!shut) {
        closed = true;
        remove?.();
        shut = call('shutdown', timeoutMs);
      }
      return shut;
    },
  };
  return api;
}
