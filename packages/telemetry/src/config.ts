import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { ConfigIssue, Diagnostics, MetricsRegistry, RedactorOptions, SafeParser, Transport } from '@lookout/core';
import type { BeforeSend, ConsentState, EventStore, OnDrop, TelemetryClientOptions, TelemetryFormat } from './types.js';
import { DEFAULT_MAX_QUEUE_EVENTS, DEFAULT_MAX_QUEUE_BYTES, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_BATCH_BYTES, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_SEND_TIMEOUT_MS, DEFAULT_RETRY_MAX_ATTEMPTS, DEFAULT_RETRY_INITIAL_BACKOFF_MS, DEFAULT_RETRY_MAX_BACKOFF_MS, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_CIRCUIT_FAILURE_THRESHOLD, DEFAULT_CIRCUIT_COOLDOWN_MS, DEFAULT_FORMAT, DEFAULT_APP_NAME, DEFAULT_APP_VERSION, DEFAULT_SIGNAL } from './constants.js';

const positiveInt = z.int().check(z.positive());
const nonNegativeInt = z.int().check(z.nonnegative());
const rate = z.number().check(z.minimum(0), z.maximum(1));
const httpUrl = z.string().check(
  z.refine((s) => {
    try {
      const UrlCtor = (globalThis as { URL?: new (url: string) => { protocol: string } }).URL;
      if (UrlCtor === undefined) return /^https?:\/\/[^\s]+$/.test(s);
      const u = new UrlCtor(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);
const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `must be a function (${what})`);
const objectWith = <T>(methods: readonly string[], what: string) =>
  z.custom<T>(
    (v) => typeof v === 'object' && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    `must be ${what}`,
  );

/** Schema of {@link TelemetryClientOptions}. */
export const telemetryOptionsSchema = z.strictObject({
  endpoint: z.optional(httpUrl),
  format: z._default(z.enum(['otlp-proto', 'otlp-json', 'json']), DEFAULT_FORMAT),
  headers: z._default(z.record(z.string(), z.string()), {}),
  compression: z._default(z.enum(['gzip', 'none']), 'gzip'),
  app: z._default(
    z.strictObject({
      name: z._default(z.string().check(z.minLength(1), z.maxLength(256)), DEFAULT_APP_NAME),
      version: z._default(z.string().check(z.minLength(1), z.maxLength(128)), DEFAULT_APP_VERSION),
    }),
    { name: DEFAULT_APP_NAME, version: DEFAULT_APP_VERSION },
  ),
  platform: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  resourceAttributes: z._default(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), {}),
  sessionId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  userId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  anonymousId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  consent: z._default(z.enum(['granted', 'pending', 'denied']), 'granted'),
  maxQueueEvents: z._default(positiveInt, DEFAULT_MAX_QUEUE_EVENTS),
  maxQueueBytes: z._default(positiveInt, DEFAULT_MAX_QUEUE_BYTES),
  maxBatchEvents: z._default(positiveInt, DEFAULT_MAX_BATCH_EVENTS),
  maxBatchBytes: z._default(positiveInt, DEFAULT_MAX_BATCH_BYTES),
  flushIntervalMs: z._default(nonNegativeInt, DEFAULT_FLUSH_INTERVAL_MS),
  sendTimeoutMs: z._default(positiveInt, DEFAULT_SEND_TIMEOUT_MS),
  retry: z._default(
    z.strictObject({
      maxAttempts: z._default(positiveInt, DEFAULT_RETRY_MAX_ATTEMPTS),
      initialBackoffMs: z._default(nonNegativeInt, DEFAULT_RETRY_INITIAL_BACKOFF_MS),
      maxBackoffMs: z._default(nonNegativeInt, DEFAULT_RETRY_MAX_BACKOFF_MS),
      maxRetryAfterMs: z._default(nonNegativeInt, DEFAULT_MAX_RETRY_AFTER_MS),
    }),
    {
      maxAttempts: DEFAULT_RETRY_MAX_ATTEMPTS,
      initialBackoffMs: DEFAULT_RETRY_INITIAL_BACKOFF_MS,
      maxBackoffMs: DEFAULT_RETRY_MAX_BACKOFF_MS,
      maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
    },
  ),
  circuit: z._default(
    z.strictObject({
      failureThreshold: z._default(positiveInt, DEFAULT_CIRCUIT_FAILURE_THRESHOLD),
      cooldownMs: z._default(nonNegativeInt, DEFAULT_CIRCUIT_COOLDOWN_MS),
    }),
    { failureThreshold: DEFAULT_CIRCUIT_FAILURE_THRESHOLD, cooldownMs: DEFAULT_CIRCUIT_COOLDOWN_MS },
  ),
  sampling: z._default(
    z.strictObject({
      defaultRate: z._default(rate, 1),
      rates: z._default(z.record(z.string(), rate), {}),
    }),
    { defaultRate: 1, rates: {} },
  ),
  redaction: z._default(z.union([z.literal(false), z.custom<Omit<RedactorOptions, 'diagnostics'>>((v) => typeof v === 'object' && v !== null, 'must be false or redaction options')]), {}),
  beforeSend: z.optional(fn<BeforeSend>('beforeSend')),
  onDrop: z.optional(fn<OnDrop>('onDrop')),
  transport: z.optional(objectWith<Transport>(['send'], 'a Transport with send()')),
  store: z.optional(objectWith<EventStore>(['save', 'load', 'clear'], 'an EventStore with save(), load() and clear()')),
  registry: z.optional(objectWith<MetricsRegistry>(['instruments'], 'a MetricsRegistry')),
  selfMetrics: z._default(z.boolean(), true),
  signal: z._default(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case metric label value')), DEFAULT_SIGNAL),
  diagnostics: z.optional(objectWith<Diagnostics>(['warn', 'error', 'debug', 'internalError'], 'a Diagnostics')),
  strict: z.optional(z.boolean()),
});

/** Options after validation, every default filled in. */
export type ResolvedTelemetryOptions = z.output<typeof telemetryOptionsSchema>;

// The hand-written, documented options type and the schema must describe the same input.
type _SchemaAcceptsOptions = TelemetryClientOptions extends z.input<typeof telemetryOptionsSchema> ? true : never;
const _schemaAcceptsOptions: _SchemaAcceptsOptions = true;
void _schemaAcceptsOptions;

/**
 * Validates client options: each invalid field gets one diagnostic naming its path and falls
 * back to its default; with `strict: true` a `LookoutConfigError` is thrown instead.
 */
export function resolveTelemetryOptions(
  input: unknown,
  diagnostics?: Diagnostics,
  component = 'createTelemetryClient',
): { ok: true; options: ResolvedTelemetryOptions } | { ok: false; options: ResolvedTelemetryOptions; issues: ConfigIssue[] } {
  const context = diagnostics === undefined ? { component } : { component, diagnostics };
  const result = resolveOptions<ResolvedTelemetryOptions>(telemetryOptionsSchema as SafeParser<ResolvedTelemetryOptions>, input, context);
  if (result.ok) return result;
  // Every field has a default, so the empty input always parses.
  return { ok: false, options: result.options ?? telemetryOptionsSchema.parse({}), issues: result.issues };
}

/** The consent states, for checks. */
export const CONSENT_STATES: readonly ConsentState[] = ['granted', 'pending', 'denied'];
