import * as z from 'zod/mini';
import { resolveChanges, resolveOptions } from '@lookout/core';
import type { SafeParser, Diagnostics, MetricsRegistry, RedactorOptions, ResolveResult, RetryOptions, CircuitOptions, Transport, FetchLike } from '@lookout/core';
import type { AlertCallback, SecurityEvent, SecuritySink } from './types.js';
import { MAX_BRUTE_FORCE_MAX_FAILURES } from './detectors/createBruteForceDetector.js';

/** Default cooldown between two alerts with the same key: 1 minute. */
export const DEFAULT_ALERT_COOLDOWN_MS = 60_000;
/** Default longest string kept inside `details`, in characters (before redaction marks). */
export const DEFAULT_DETAILS_MAX_STRING_LENGTH = 2048;
/** Default flush and shutdown deadline of a logger. */
export const DEFAULT_SECURITY_FLUSH_DEADLINE_MS = 5000;
/** Default batch age of the SIEM sink: 2 s, so alerts reach the SIEM quickly. */
export const DEFAULT_SIEM_FLUSH_INTERVAL_MS = 2000;

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `${what} must be a function`);
const object = <T>(what: string) => z.custom<T>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), `${what} must be an object`);
const positiveInt = z.int().check(z.positive());
const nonNegativeInt = z.int().check(z.nonnegative());
const sinkSchema = z.custom<SecuritySink>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { write?: unknown }).write === 'function',
  'must be a sink with a write() method',
);
const registrySchema = z.custom<MetricsRegistry>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { counter?: unknown }).counter === 'function',
  'must be a MetricsRegistry',
);
const diagnosticsSchema = z.custom<Diagnostics>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { warn?: unknown }).warn === 'function',
  'must be a Diagnostics',
);
const httpUrl = z.string().check(
  z.refine((s) => {
    try {
      const Url = (globalThis as { URL?: new (input: string) => { protocol: string } }).URL;
      if (Url === undefined) return /^https?:\/\/[^\s/]+/i.test(s);
      const u = new Url(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);

/** Options of the brute-force detector inside a logger; `false` turns it off. */
export const bruteForceOptionsSchema = z.strictObject({
  maxFailures: z.optional(positiveInt.check(z.maximum(MAX_BRUTE_FORCE_MAX_FAILURES))),
  windowMs: z.optional(positiveInt),
  blockDurationMs: z.optional(positiveInt),
  maxKeys: z.optional(positiveInt),
});
export const coordinatedOptionsSchema = z.strictObject({
  minSources: z.optional(positiveInt),
  windowMs: z.optional(positiveInt),
  maxTargets: z.optional(positiveInt),
});
export const injectionOptionsSchema = z.strictObject({
  maxInputLength: z.optional(positiveInt),
  excerptLength: z.optional(positiveInt),
});
export const rateLimitOptionsSchema = z.strictObject({
  limit: z.optional(positiveInt),
  windowMs: z.optional(positiveInt),
  maxKeys: z.optional(positiveInt),
});

/** Schema of {@link SecurityLoggerOptions}. */
export const securityLoggerOptionsSchema = z.strictObject({
  enabled: z.optional(z.boolean()),
  sinks: z.optional(z.array(sinkSchema)),
  onAlert: z.optional(z.union([fn<AlertCallback>('onAlert'), z.array(fn<AlertCallback>('onAlert'))])),
  alertCooldownMs: z.optional(nonNegativeInt),
  alertKey: z.optional(fn<(event: SecurityEvent) => string>('alertKey')),
  bruteForce: z.optional(z.union([z.literal(false), bruteForceOptionsSchema])),
  coordinated: z.optional(z.union([z.literal(false), coordinatedOptionsSchema])),
  injection: z.optional(z.union([z.literal(false), injectionOptionsSchema])),
  rateLimit: z.optional(rateLimitOptionsSchema),
  redaction: z.optional(object<RedactorOptions>('redaction')),
  registry: z.optional(registrySchema),
  diagnostics: z.optional(diagnosticsSchema),
  now: z.optional(fn<() => number>('now')),
  strict: z.optional(z.boolean()),
});

/** Input of `createSecurityLogger`. Every field is optional. */
export interface SecurityLoggerOptions {
  /** `false` makes every method a cheap no-op. Default `true`. */
  enabled?: boolean;
  /** Where events go (SIEM, syslog, audit log …). Default none: events are only counted, alerted and detected on. */
  sinks?: SecuritySink[];
  /** Called for each event with risk `high` or `critical`, at most once per `alertCooldownMs` per alert key. */
  onAlert?: AlertCallback | AlertCallback[];
  /** Minimum time between two alerts with the same key, in ms. Default {@link DEFAULT_ALERT_COOLDOWN_MS}. */
  alertCooldownMs?: number;
  /** The cooldown key of an event. Default `action|actor|sourceIp`. */
  alertKey?: (event: SecurityEvent) => string;
  /** Brute-force detection on failed authentications; `false` turns it off. Defaults: 5 failures, 15 minutes window and block. */
  bruteForce?: false | z.input<typeof bruteForceOptionsSchema>;
  /** Detection of many sources failing against one target; `false` turns it off. Defaults: 10 sources, 10 minutes. */
  coordinated?: false | z.input<typeof coordinatedOptionsSchema>;
  /** Injection heuristics used by `inspectInput`; `false` turns them off. */
  injection?: false | z.input<typeof injectionOptionsSchema>;
  /** The limiter behind `checkRateLimit`. Defaults: 100 per minute per key. */
  rateLimit?: z.input<typeof rateLimitOptionsSchema>;
  /** Options of the redactor (core's `createRedactor`) applied to every event. */
  redaction?: RedactorOptions;
  /** Where Lookout's security metrics go. Default: core's default registry. */
  registry?: MetricsRegistry;
  /** Where problems are reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Throw `LookoutConfigError` on invalid options instead of using defaults. Default `false`. */
  strict?: boolean;
}

export type ResolvedSecurityLoggerOptions = z.output<typeof securityLoggerOptionsSchema>;

/** Validates logger options: each invalid field gets one diagnostic and its default (see core's `resolveOptions`). */
export function resolveSecurityLoggerOptions(input: unknown, diagnostics?: Diagnostics): ResolveResult<ResolvedSecurityLoggerOptions> {
  const ctx = diagnostics === undefined ? { component: 'createSecurityLogger' } : { component: 'createSecurityLogger', diagnostics };
  return resolveOptions<ResolvedSecurityLoggerOptions>(securityLoggerOptionsSchema, input, ctx);
}

/** Schema of {@link SiemSinkOptions}. */
export const siemSinkOptionsSchema = z.strictObject({
  url: z.optional(httpUrl),
  headers: z.optional(z.record(z.string(), z.string())),
  format: z.optional(z.enum(['ocsf', 'lookout'])),
  encoding: z.optional(z.enum(['json', 'ndjson'])),
  transport: z.optional(z.custom<Transport>((v) => v !== null && typeof v === 'object' && typeof (v as Transport).send === 'function', 'must have send()')),
  fetchImpl: z.optional(fn<FetchLike>('fetchImpl')),
  maxBatchItems: z.optional(positiveInt),
  maxQueueItems: z.optional(positiveInt),
  maxQueueBytes: z.optional(positiveInt),
  flushIntervalMs: z.optional(positiveInt),
  sendTimeoutMs: z.optional(positiveInt),
  retry: z.optional(object<RetryOptions>('retry')),
  circuit: z.optional(object<CircuitOptions>('circuit')),
  product: z.optional(z.strictObject({ name: z.string(), vendor_name: z.string() })),
  registry: z.optional(registrySchema),
  diagnostics: z.optional(diagnosticsSchema),
  strict: z.optional(z.boolean()),
});

/** Input of `createSiemSink`. `url` (or `transport`) is required. */
export interface SiemSinkOptions {
  /** Where batches are POSTed. */
  url?: string;
  /** Headers of every request, e.g. `{ authorization: 'Splunk …' }`. Never logged. */
  headers?: Record<string, string>;
  /** `ocsf` (default): each event mapped by `toOcsf`. `lookout`: the event as is. */
  format?: 'ocsf' | 'lookout';
  /** `json` (default): a JSON array per request. `ndjson`: one JSON object per line (`application/x-ndjson`). */
  encoding?: 'json' | 'ndjson';
  /** Send through this transport instead of `makeFetchTransport({ url, headers })`. */
  transport?: Transport;
  /** The fetch the default transport uses. Default: the global `fetch`. */
  fetchImpl?: FetchLike;
  /** Events per request. Default 100. */
  maxBatchItems?: number;
  /** Events held at most (queued or retrying). Default 1000. */
  maxQueueItems?: number;
  /** Bytes held at most. Default 1 MiB. */
  maxQueueBytes?: number;
  /** Age of a batch before it is sent, in ms. Default {@link DEFAULT_SIEM_FLUSH_INTERVAL_MS}. */
  flushIntervalMs?: number;
  /** Per-request timeout, in ms. Default 10 s. */
  sendTimeoutMs?: number;
  /** Retry policy (core's `RetryOptions`). */
  retry?: RetryOptions;
  /** Circuit breaker (core's `CircuitOptions`). */
  circuit?: CircuitOptions;
  /** Product named in OCSF `metadata.product`. Default `{ name: 'Lookout', vendor_name: 'Lookout' }`. */
  product?: { name: string; vendor_name: string };
  /** Where delivery metrics go (`lookout_delivery_*{signal="security"}`). Default: core's default registry. */
  registry?: MetricsRegistry;
  diagnostics?: Diagnostics;
  strict?: boolean;
}

export type ResolvedSiemSinkOptions = z.output<typeof siemSinkOptionsSchema>;

/** Validates SIEM sink options like {@link resolveSecurityLoggerOptions}. */
export function resolveSiemSinkOptions(input: unknown, diagnostics?: Diagnostics): ResolveResult<ResolvedSiemSinkOptions> {
  const ctx = diagnostics === undefined ? { component: 'createSiemSink' } : { component: 'createSiemSink', diagnostics };
  return resolveOptions<ResolvedSiemSinkOptions>(siemSinkOptionsSchema, input, ctx);
}

/** A field `configure()` refuses: set once by `createSecurityLogger`. */
const fixedField = z.optional(z.custom<never>(() => false, 'is fixed at creation'));

/**
 * Schema of {@link SecurityLoggerChanges}: the options `configure()` may change. `false` for a
 * detector is taken before parsing (no unions here, so each invalid nested field is its own issue).
 */
export const securityLoggerChangesSchema = z.strictObject({
  enabled: z.optional(z.boolean()),
  onAlert: securityLoggerOptionsSchema.shape.onAlert,
  alertCooldownMs: z.optional(nonNegativeInt),
  bruteForce: z.optional(z.extend(bruteForceOptionsSchema, { maxKeys: fixedField })),
  coordinated: z.optional(z.extend(coordinatedOptionsSchema, { maxTargets: fixedField })),
  injection: z.optional(injectionOptionsSchema),
  rateLimit: z.optional(z.extend(rateLimitOptionsSchema, { maxKeys: fixedField })),
});

/**
 * What `SecurityLogger.configure()` may change at run time. A detector's object changes only the
 * fields given (the others keep their current values); `false` turns the detector off and
 * forgets its state, an object turns a detector that is off back on (with fresh state).
 */
export type SecurityLoggerChanges = Pick<SecurityLoggerOptions, 'enabled' | 'onAlert' | 'alertCooldownMs' | 'injection'> & {
  bruteForce?: false | Omit<z.input<typeof bruteForceOptionsSchema>, 'maxKeys'>;
  coordinated?: false | Omit<z.input<typeof coordinatedOptionsSchema>, 'maxTargets'>;
  rateLimit?: Omit<z.input<typeof rateLimitOptionsSchema>, 'maxKeys'>;
};

/** Options set once by `createSecurityLogger` (sinks, redaction, registry …); `configure()` refuses them. */
export const SECURITY_LOGGER_FIXED_OPTIONS: readonly string[] = ['sinks', 'alertKey', 'redaction', 'registry', 'diagnostics', 'now', 'strict', 'auditLog', 'siem'];

/**
 * Validates `configure()` changes. Never throws. Each option fixed at creation, unknown option and
 * invalid value gets one diagnostic (`security/invalid-changes`) and is left out, so the current
 * value stays; whatever is valid is returned.
 */
export function resolveSecurityLoggerChanges(input: unknown, diagnostics: Diagnostics): ResolvedSecurityLoggerChanges {
  return resolveChanges(securityLoggerChangesSchema as SafeParser<ResolvedSecurityLoggerChanges>, input, {
    component: 'SecurityLogger.configure',
    code: 'security/invalid-changes',
    diagnostics,
    fixed: SECURITY_LOGGER_FIXED_OPTIONS,
    switches: ['bruteForce', 'coordinated', 'injection'],
  });
}

/** Valid changes, as `configure()` applies them. */
export type ResolvedSecurityLoggerChanges = Omit<z.output<typeof securityLoggerChangesSchema>, 'bruteForce' | 'coordinated' | 'injection'> & {
  bruteForce?: false | z.output<typeof bruteForceOptionsSchema>;
  coordinated?: false | z.output<typeof coordinatedOptionsSchema>;
  injection?: false | z.output<typeof injectionOptionsSchema>;
};
