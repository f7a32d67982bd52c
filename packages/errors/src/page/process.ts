// The page capture's processor, loaded by the shell (createPageErrorCapture.ts) with a dynamic
// import() on the first capture: everything that turns a thrown value into an ErrorRecord.
import { getDiagnostics } from '@lookout/core/page';
import type { Diagnostics, Redactor } from '@lookout/core';
import { defaultSeverity, isNetworkFailure } from '../capture/classify.js';
import { normaliseThrown } from '../capture/normaliseThrown.js';
import { defaultIsInApp, parseStack } from '../capture/parseStack.js';
import { isPlainRecord, safeGet, safeKeys, safeString, truncate } from '../capture/safe.js';
import { clearTimer, setTimer } from '../capture/timers.js';
import { fingerprintParts, hashParts } from '../grouping/fingerprint.js';
import type { Breadcrumb, CaptureContext, ErrorCause, ErrorRecord, ErrorSink, Severity, StackFrame } from '../types.js';
import { DEFAULT_PAGE_MAX_BREADCRUMBS, DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE } from './constants.js';
import type { PageErrorCaptureOptions } from './types.js';


// The full tracker's defaults (config.ts), written here as literals so that the page path never
// loads the zod schema; test/page/process.test.ts keeps them equal.
const MAX_MESSAGE_LENGTH = 8192;
const MAX_STACK_FRAMES = 50;
const FINGERPRINT_FRAMES = 3;
const NAMESPACE = 'app';
const FLUSH_TIMEOUT_MS = 5000;
/** Fingerprints remembered for rate limiting; the table starts afresh past this. */
const MAX_GROUPS = 1000;
/** Distinct categories counted; more count as `other`, so `errors_total` stays bounded. */
const MAX_CATEGORIES = 40;
const MINUTE_MS = 60_000;

/** A breadcrumb as the shell took it: when, and a shallow copy of the input; `c` caches the checked breadcrumb. */
export interface PendingCrumb {
  t: number;
  i: Record<string, unknown>;
  c?: Breadcrumb | null;
}

/** A capture as the shell took it; `o` is set to its own breadcrumb once processed. */
export interface PendingCapture {
  k: 'error' | 'message';
  /** The thrown value, the message, or (with `e`) the `error` event. */
  v: unknown;
  /** The capture context as given. */
  x: unknown;
  /** The severity given to captureMessage. */
  s: unknown;
  /** Set for a window `error` event. */
  e: 1 | undefined;
  t: number;
  id: string;
  /** Where a non-Error was captured. */
  st?: string | undefined;
  /** The ring (breadcrumbs and earlier captures) at capture time. */
  b: Entry[];
  u: unknown;
  n: unknown;
  o?: Breadcrumb;
}

/** One entry of the shell's ring. */
export type Entry = PendingCrumb | PendingCapture;

/** A problem the shell saw, reported by the processor (the shell carries no message texts). */
export type Warning = [what: 'addBreadcrumb' | 'setUser' | 'setSession' | 'internal' | 'dropped', detail?: unknown];

/** What the shell calls. Nothing here throws or rejects. */
export interface Processor {
  capture(p: PendingCapture): void;
  warn(what: Warning[0], detail?: unknown): void;
  call(method: 'flush' | 'shutdown', timeoutMs: unknown): Promise<boolean>;
}

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isFunction: Check = (v) => typeof v === 'function';
const isSeverity: Check = (v) => v === 'low' || v === 'medium' || v === 'high' || v === 'critical';
const has = (...methods: string[]): Check => (v) => isPlainRecord(v) && methods.every((m) => isFunction(v[m]));
const isCount = (max: number): Check => (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

const OPTIONS: Record<string, Check> = {
  sinks: Array.isArray,
  diagnostics: has('warn', 'error', 'internalError'),
  redactor: has('redact', 'redactString'),
  maxPerGroupPerMinute: (v) => isCount(1e9)(v) && v !== 0,
  ignoreErrors: Array.isArray,
  maxBreadcrumbs: isCount(100),
  beforeCapture: isFunction,
  tags: isPlainRecord,
  registry: has('counter'),
  namespace: (v) => isString(v) && /^[a-zA-Z]\w{0,63}$/.test(v as string),
  preload: (v) => typeof v === 'boolean',
};

const CONTEXT: Record<string, Check> = {
  category: (v) => isString(v) && /^[a-z][a-z0-9_]{0,31}$/.test(v as string),
  severity: isSeverity,
  userId: isString,
  sessionId: isString,
  tags: isPlainRecord,
  context: isPlainRecord,
  fingerprint: (v) => Array.isArray(v) && v.length > 0 && v.every(isString),
  handled: (v) => typeof v === 'boolean',
  mechanism: isString,
};

/**
 * Reads the fields of `input` that `checks` knows and accepts; returns them with the names of
 * the fields that were unknown, unreadable or invalid.
 */
function readFields(input: unknown, checks: Record<string, Check>): [Record<string, unknown>, string[]] {
  const out: Record<string, unknown> = {};
  const bad: string[] = [];
  if (input === undefined || input === null) return [out, bad];
  try {
    if (!isPlainRecord(input)) return [out, ['(not an object)']];
  } catch {
    return [out, ['(unreadable)']];
  }
  for (const key of safeKeys(input)) {
    const value = safeGet(input, key);
    if (value === undefined) continue;
    try {
      if (checks[key]?.(value) === true) {
        out[key] = value;
        continue;
      }
    } catch {
      // A check that throws (a revoked proxy) rejects the value.
    }
    bad.push(key);
  }
  return [out, bad];
}

const WARNINGS: Record<string, string> = {
  addBreadcrumb: 'addBreadcrumb() needs an object with a string message; it was dropped',
  setUser: 'setUser() needs a string; the value was ignored',
  setSession: 'setSession() needs a string; the value was ignored',
};

/** The processor of one page capture, with its options checked (one diagnostic per bad field). */
export function createProcessor(options: unknown): Processor {
  const [o, badOptions] = readFields(options, OPTIONS);
  const diagnostics = (o['diagnostics'] as Diagnostics | undefined) ?? getDiagnostics();
  const redactor = o['redactor'] as Redactor | undefined;
  const registry = o['registry'] as PageErrorCaptureOptions['registry'];
  const namespace = (o['namespace'] as string | undefined) ?? NAMESPACE;
  const perMinute = (o['maxPerGroupPerMinute'] as number | undefined) ?? DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE;
  const maxCrumbs = (o['maxBreadcrumbs'] as number | undefined) ?? DEFAULT_PAGE_MAX_BREADCRUMBS;
  const beforeCapture = o['beforeCapture'] as PageErrorCaptureOptions['beforeCapture'];
  const sinks: ErrorSink[] = [];
  const ignore: (string | RegExp)[] = [];
  const tags: Record<string, string> = {};
  const groups = new Map<string, { n: number; w: number; s: number }>();
  const categories = new Set<string>();
  let counters: Promise<ReturnType<typeof import('./metrics.js')['createPageCounters']>> | undefined;

  /** Calls the diagnostics; never throws (a host's diagnostics that throws has nowhere left to report to). */
  const diag = (fn: (d: Diagnostics) => void): void => {
    try {
      fn(diagnostics);
    } catch {
      // Nothing left to report to.
    }
  };
  const warn = (code: string, message: string): void => diag((d) => d.warn(`errors/${code}`, `createPageErrorCapture: ${message}`, `page:${code}:${message}`));
  const internal = (error: unknown, where: string): void => diag((d) => d.internalError(error, `errors.page.${where}`));
  const count = (name: 'errors' | 'suppressed', labels: Record<string, string>): void => {
    if (registry === undefined) return;
    counters ??= import('./metrics.js').then((m) => m.createPageCounters(registry, namespace));
    counters.then((c) => c[name].add(1, labels)).catch((error: unknown) => internal(error, 'metrics'));
  };
  const scrub = (text: string): string => {
    const cut = truncate(text, MAX_MESSAGE_LENGTH);
    return redactor === undefined ? cut : redactor.redactString(cut);
  };
  const frames = (text: string | undefined): StackFrame[] => {
    const parsed = parseStack(text, MAX_STACK_FRAMES, defaultIsInApp);
    // File names rarely carry personal data, but URLs with user@host can.
    for (const f of parsed) if (redactor !== undefined && f.filename?.includes('@') === true) f.filename = redactor.redactString(f.filename);
    return parsed;
  };
  const addTags = (into: Record<string, string>, from: unknown): void => {
    for (const key of isPlainRecord(from) ? safeKeys(from) : []) {
      const value = safeGet(from, key);
      if (value !== null && /^[snb]/.test(typeof value)) into[key.slice(0, 64)] = scrub(String(value).slice(0, 200));
    }
  };
  /** The checked breadcrumb of a shell entry (cached on it), or what a processed capture left. */
  const toCrumb = (entry: Entry): Breadcrumb | null | undefined => {
    if ('k' in entry) return entry.o;
    if (entry.c !== undefined) return entry.c;
    const { category, level, data, message } = entry.i;
    const c: Breadcrumb = {
      timestamp: entry.t,
      category: isString(category) && category !== '' ? (category as string).slice(0, 64) : 'default',
      message: scrub(message as string),
      level: /^(debug|info|warning|error|fatal)$/.test(level as string) ? (level as Breadcrumb['level']) : 'info',
    };
    if (isPlainRecord(data)) c.data = redactor === undefined ? { ...data } : redactor.redact(data);
    return (entry.c = c);
  };
  const id = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value).slice(0, 256));

  const process = (p: PendingCapture): void => {
    const [ctx, badContext] = readFields(p.x, CONTEXT) as [CaptureContext, string[]];
    if (badContext.length > 0) warn('invalid-context', `ignoring invalid capture context field(s): ${badContext.join(', ')}`);
    const { k: kind, t: now } = p;
    const mechanism = ctx.mechanism ?? 'manual';
    let thrown = p.v;
    let type = 'Message';
    let raw: string;
    let stackText: string | undefined;
    let causes: ErrorCause[] = [];
    const context: Record<string, unknown> = {};
    if (p.e === 1) {
      thrown = safeGet(p.v, 'error');
      if (thrown === undefined || thrown === null) {
        const message = safeGet(p.v, 'message');
        // Cross-origin scripts give `Script error.` and nothing else.
        thrown = { name: 'ScriptError', message: isString(message) && message !== '' ? message : 'Script error.', stack: '' };
        context['location'] = { filename: safeGet(p.v, 'filename'), lineno: safeGet(p.v, 'lineno'), colno: safeGet(p.v, 'colno') };
      }
    }
    if (kind === 'error') {
      const info = normaliseThrown(thrown);
      type = info.type.slice(0, 128);
      raw = info.message;
      stackText = info.stack ?? (info.isError ? undefined : p.st);
      causes = info.causes.map((c) => ({ type: c.type.slice(0, 128), message: scrub(c.message), stack: frames(c.stack) }));
      // Without a redactor to copy it safely, a thrown object itself (maybe cyclic) stays out of the record.
      if (info.extra !== undefined) Object.assign(context, redactor === undefined ? { thrownType: info.extra['thrownType'] } : info.extra);
    } else {
      raw = isString(thrown) ? (thrown as string) : safeString(thrown);
      if (!isString(thrown)) warn('invalid-message', 'captureMessage() needs a string; the value was stringified');
    }
    const cut = truncate(raw, MAX_MESSAGE_LENGTH);
    if (ignore.some((pattern) => (isString(pattern) ? cut.includes(pattern as string) : ((pattern as RegExp).lastIndex = 0) === 0 && (pattern as RegExp).test(cut)))) {
      count('suppressed', { reason: 'ignored' });
      return;
    }
    const message = scrub(raw);
    const stack = frames(stackText);
    let category = ctx.category ?? (kind === 'error' && isNetworkFailure(type, raw) ? 'network' : 'javascript');
    if (!categories.has(category)) {
      if (categories.size < MAX_CATEGORIES) categories.add(category);
      else category = 'other';
    }
    if (p.s !== undefined && !isSeverity(p.s)) warn('invalid-severity', `unknown severity ${safeString(p.s).slice(0, 40)}`);
    const severity = ctx.severity ?? (isSeverity(p.s) ? (p.s as Severity) : defaultSeverity(kind, mechanism));
    const parts = ctx.fingerprint?.slice(0, 16).map((part) => part.slice(0, 256)) ?? fingerprintParts(type, message, stack, FINGERPRINT_FRAMES);
    const fingerprint = hashParts(parts);
    let group = groups.get(fingerprint);
    if (group === undefined) {
      if (groups.size >= MAX_GROUPS) groups.clear();
      groups.set(fingerprint, (group = { n: 0, w: 0, s: now }));
    }
    group.n++;
    // A fixed one-minute window per fingerprint, as the full tracker's group table.
    if (now - group.s >= MINUTE_MS || now < group.s) {
      group.s = now;
      group.w = 0;
    }
    count('errors', { category, severity });
    const breadcrumbs: Breadcrumb[] = [];
    for (const entry of p.b) {
      const c = toCrumb(entry);
      if (c) breadcrumbs.push(c);
    }
    p.o = {
      timestamp: now,
      category: 'error',
      message: `${type}: ${message}`.slice(0, 500),
      level: severity === 'critical' ? 'fatal' : severity === 'low' ? 'info' : severity === 'medium' ? 'warning' : 'error',
    };
    if (group.w++ >= perMinute) {
      count('suppressed', { reason: 'rate_limited' });
      return;
    }
    Object.assign(context, ctx.context);
    let record: ErrorRecord | null | undefined = {
      id: p.id,
      kind,
      timestamp: now,
      type,
      message,
      category,
      severity,
      fingerprint,
      fingerprintParts: parts,
      tags: { ...tags },
      details: {},
      context: redactor === undefined ? context : redactor.redact(context),
      stack,
      causes,
      breadcrumbs: breadcrumbs.slice(-maxCrumbs || breadcrumbs.length),
      handled: ctx.handled ?? mechanism === 'manual',
      mechanism,
      groupCount: group.n,
    };
    if (maxCrumbs === 0) record.breadcrumbs = [];
    addTags(record.tags, ctx.tags);
    const user = ctx.userId ?? id(p.u);
    const session = ctx.sessionId ?? id(p.n);
    if (user !== undefined) record.userId = redactor === undefined ? user : redactor.redactString(user);
    if (session !== undefined) record.sessionId = session;
    if (beforeCapture !== undefined) {
      try {
        record = beforeCapture(record);
      } catch (error) {
        internal(error, 'beforeCapture');
      }
      if (!isPlainRecord(record)) {
        count('suppressed', { reason: 'before_capture' });
        return;
      }
    }
    for (const sink of sinks) {
      try {
        sink.capture(record);
      } catch (error) {
        sinkFailed(sink, error, 'capture');
      }
    }
  };

  const sinkFailed = (sink: ErrorSink, error: unknown, what: string): void => {
    const name = safeString(safeGet(sink, 'name')).slice(0, 64);
    diag((d) => d.error('errors/sink-failed', `sink ${name} failed in ${what}: ${safeString(error instanceof Error ? error.message : error)}`, `sink:${name}:${what}`));
  };

  /** Calls `method` of every sink, each bounded by the deadline; `true` when every one answered `true` (or has no such method). */
  const call = (method: 'flush' | 'shutdown', timeoutMs: unknown): Promise<boolean> => {
    const ms = typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs < 1e9 ? timeoutMs : FLUSH_TIMEOUT_MS;
    return Promise.all(
      sinks.map(
        (sink) =>
          new Promise<boolean>((resolve) => {
            const timer = setTimer(() => resolve(false), ms + 100, true);
            const done = (ok: boolean): void => {
              clearTimer(timer);
              resolve(ok);
            };
            const fail = (error: unknown): void => {
              sinkFailed(sink, error, method);
              done(false);
            };
            try {
              const fn = sink[method];
              if (typeof fn === 'function') Promise.resolve(fn.call(sink, ms)).then((ok) => done(ok !== false), fail);
              else done(true);
            } catch (error) {
              fail(error);
            }
          }),
      ),
    ).then((results) => results.every(Boolean), () => false);
  };

  try {
    for (const key of badOptions) warn('invalid-option', `option ${key} is unknown or invalid; the default is used`);
    const read = (key: string, ok: Check, into: unknown[]): void =>
      ((o[key] as unknown[] | undefined) ?? []).forEach((v, i) => (ok(v) ? into.push(v) : warn('invalid-option', `option ${key}[${i}] is invalid; it was ignored`)));
    read('sinks', has('capture'), sinks);
    read('ignoreErrors', (v) => isString(v) || v instanceof RegExp, ignore);
    addTags(tags, o['tags']);
  } catch (error) {
    internal(error, 'options');
  }

  return {
    capture: (p) => {
      try {
        process(p);
      } catch (error) {
        internal(error, 'capture');
      }
    },
    warn: (what, detail) => {
      if (what === 'internal') internal(detail, 'shell');
      else if (what === 'dropped') warn('queue-full', `${safeString(detail)} captures made while the processor loaded were dropped`);
      else warn(`invalid-${what}`, WARNINGS[what] ?? what);
    },
    call: (method, timeoutMs) => {
      try {
        return call(method, timeoutMs);
      } catch (error) {
        internal(error, method);
        return Promise.resolve(false);
      }
    },
  };
}
