import { resolveOptions, type ConfigIssue, type DiagLevel, type Diagnostics, type Logger, type MetricsRegistry, type Profile, type SafeParser, isHttpUrl } from '@lookout/core';
import type * as Z from 'zod/mini';
import { lazyRequire } from './internal/lazy.js';
import { fastAccepts } from './internal/fastCheck.js';
import type { NodeMonitoringOptions, NodeErrorsOptions, NodeSecurityOptions, OtlpMetricsOptions } from './types.js';

/** Longest an exit is delayed to send what is pending. */
export const DEFAULT_EXIT_DEADLINE_MS = 2000;
/** Upper bound of `exit.deadlineMs`: an exit is never held longer than this. */
export const MAX_EXIT_DEADLINE_MS = 60_000;
/** Default scrape endpoint. */
export const DEFAULT_PROMETHEUS_HOST = '127.0.0.1';
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_PROMETHEUS_PATH = '/metrics';
/** Event-loop delay sampling resolution. */
export const DEFAULT_EVENT_LOOP_RESOLUTION_MS = 10;
/** How often workers send their metrics to the primary. */
export const DEFAULT_WORKER_INTERVAL_MS = 1000;
/** Per-request timeout of metric pushes. */
export const DEFAULT_PUSH_TIMEOUT_MS = 5000;
/** Most bytes the on-disk spool keeps. */
export const DEFAULT_SPOOL_MAX_BYTES = 10 * 1024 * 1024;
/** Prefix of the standard metrics. */
export const DEFAULT_NAMESPACE = 'app';

/** Options after validation, with every default filled in. */
export interface ResolvedNodeOptions {
  enabled: boolean;
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  profile: Profile;
  namespace: string;
  diagnostics: { level: DiagLevel | undefined; logger: Logger | undefined; maxPerMinute: number | undefined };
  metrics:
    | false
    | {
        registry: MetricsRegistry | undefined;
        prometheus: false | { host: string; port: number; path: string };
        pushgateway: { url: string; job: string; groupingLabels: Record<string, string>; headers: Record<string, string>; intervalMs: number } | undefined;
        remoteWrite: { url: string; headers: Record<string, string>; externalLabels: Record<string, string>; intervalMs: number; timeoutMs: number } | undefined;
        otlp: OtlpMetricsOptions | undefined;
        pushOnExit: boolean;
      };
  runtimeMetrics: false | { eventLoopResolutionMs: number; gc: boolean; diskPaths: Record<string, string> };
  workers: { aggregate: boolean; labelByWorker: boolean; intervalMs: number };
  telemetry: false | Record<string, unknown>;
  errors: false | NodeErrorsOptions;
  security: false | NodeSecurityOptions;
  viewer: false | { port?: number };
  spool: false | { directory: string | undefined; maxBytes: number };
  exit: { deadlineMs: number; signals: boolean };
  env: Record<string, string | undefined> | undefined;
}

type ZodMini = typeof Z;

/**
 * The zod schema of {@link NodeMonitoringOptions}. zod is loaded on the first call (never at
 * import): a well-formed options object is accepted by a quick structural check and never needs
 * it, so the common start-up pays nothing for it.
 */
export function nodeOptionsSchema(): ReturnType<typeof buildSchema> {
  return (schema ??= buildSchema(lazyRequire<ZodMini>('zod/mini')));
}
let schema: ReturnType<typeof buildSchema> | undefined;

function buildSchema(z: ZodMini) {
  const positiveInt = z.int().check(z.positive());
  const nonNegativeInt = z.int().check(z.nonnegative());
  const port = z.int().check(z.minimum(0), z.maximum(65_535));
  const name = z.string().check(z.minLength(1), z.maxLength(256));
  const httpUrl = z.string().check(z.refine(isHttpUrl, 'must be an http(s) URL'));
  const headers = z.record(z.string(), z.string());
  const labelName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Prometheus label name'));
  const labels = z.record(labelName, z.string());
  const object = (what: string) => z.custom<Record<string, unknown>>((v) => isRecord(v), `must be an object (${what})`);
  const objectWith = (method: string, what: string) =>
    z.custom<object>((v) => isRecord(v) && typeof v[method] === 'function', `must be ${what}`);
  return z.strictObject({
    enabled: z.optional(z.boolean()),
    serviceName: z.optional(name),
    serviceVersion: z.optional(z.string().check(z.maxLength(128))),
    environment: z.optional(z.string().check(z.maxLength(128))),
    profile: z.optional(z.enum(['development', 'staging', 'production'])),
    namespace: z.optional(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be a metric name prefix'))),
    diagnostics: z.optional(
      z.strictObject({
        level: z.optional(z.enum(['none', 'error', 'warn', 'info', 'debug'])),
        logger: z.optional(
          z.custom<object>(
            (v) => isRecord(v) && ['error', 'warn', 'info', 'debug'].every((m) => typeof v[m] === 'function'),
            'must have error, warn, info and debug methods',
          ),
        ),
        maxPerMinute: z.optional(positiveInt),
      }),
    ),
    metrics: z.optional(
      z.union([
        z.literal(false),
        z.strictObject({
          registry: z.optional(objectWith('instruments', 'a MetricsRegistry')),
          prometheus: z.optional(
            z.union([z.literal(false), z.strictObject({ host: z.optional(z.string().check(z.minLength(1))), port: z.optional(port), path: z.optional(z.string().check(z.startsWith('/'))) })]),
          ),
          pushgateway: z.optional(
            z.strictObject({ url: httpUrl, job: z.optional(name), groupingLabels: z.optional(labels), headers: z.optional(headers), intervalMs: z.optional(nonNegativeInt) }),
          ),
          remoteWrite: z.optional(
            z.strictObject({
              url: httpUrl,
              headers: z.optional(headers),
              externalLabels: z.optional(labels),
              intervalMs: z.optional(nonNegativeInt),
              timeoutMs: z.optional(positiveInt),
            }),
          ),
          otlp: z.optional(
            z.union([
              z.boolean(),
              z.strictObject({
                endpoint: z.optional(httpUrl),
                protocol: z.optional(z.enum(['http/protobuf', 'http/json'])),
                headers: z.optional(headers),
                intervalMs: z.optional(positiveInt),
                timeoutMs: z.optional(positiveInt),
              }),
            ]),
          ),
          pushOnExit: z.optional(z.boolean()),
        }),
      ]),
    ),
    runtimeMetrics: z.optional(
      z.union([
        z.boolean(),
        z.strictObject({
          eventLoopResolutionMs: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
          gc: z.optional(z.boolean()),
          diskPaths: z.optional(z.record(z.string().check(z.minLength(1), z.maxLength(64)), z.string().check(z.minLength(1)))),
        }),
      ]),
    ),
    workers: z.optional(z.strictObject({ aggregate: z.optional(z.boolean()), labelByWorker: z.optional(z.boolean()), intervalMs: z.optional(positiveInt) })),
    // The feature packages validate their own options; here they only need to be objects.
    telemetry: z.optional(z.union([z.literal(false), object('telemetry options')])),
    errors: z.optional(z.union([z.literal(false), object('errors options')])),
    security: z.optional(z.union([z.literal(false), object('security options')])),
    viewer: z.optional(z.union([z.boolean(), z.strictObject({ port: z.optional(z.int().check(z.minimum(0), z.maximum(65_535))) })])),
    spool: z.optional(z.union([z.literal(false), z.strictObject({ directory: z.optional(z.string().check(z.minLength(1))), maxBytes: z.optional(positiveInt) })])),
    exit: z.optional(z.strictObject({ deadlineMs: z.optional(nonNegativeInt.check(z.maximum(MAX_EXIT_DEADLINE_MS))), signals: z.optional(z.boolean()) })),
    env: z.optional(z.record(z.string(), z.optional(z.string()))),
    strict: z.optional(z.boolean()),
  });
}

// The documented options type and the schema must describe the same input.
type SchemaInput = Z.input<ReturnType<typeof buildSchema>>;
type _Accepts = Omit<NodeMonitoringOptions, 'telemetry' | 'errors' | 'security'> extends Omit<SchemaInput, 'telemetry' | 'errors' | 'security'> ? true : never;
const _accepts: _Accepts = true;
void _accepts;

/**
 * Validates `initMonitoring()` options with the shared rules: each invalid field gets one
 * diagnostic naming its path and falls back to its default; `strict: true` throws
 * `LookoutConfigError`. A well-formed object is accepted without loading zod.
 * `defaultServiceName` fills `serviceName` when neither the options nor the environment set it
 * (a function is called only then).
 */
export function resolveNodeOptions(
  input: unknown,
  diagnostics: Diagnostics,
  defaultServiceName: string | (() => string) = 'unknown_service',
): { ok: true; options: ResolvedNodeOptions } | { ok: false; options: ResolvedNodeOptions; issues: ConfigIssue[] } {
  let parsed: NodeMonitoringOptions;
  let issues: ConfigIssue[] | undefined;
  if (fastAccepts(input)) {
    parsed = (input ?? {}) as NodeMonitoringOptions;
  } else {
    const result = resolveOptions(nodeOptionsSchema() as SafeParser<NodeMonitoringOptions>, input, { component: 'initMonitoring', diagnostics });
    parsed = result.options ?? {};
    if (!result.ok) issues = result.issues;
  }
  const options = withDefaults(parsed, defaultServiceName);
  return issues === undefined ? { ok: true, options } : { ok: false, options, issues };
}

/** Fills every default. Shared by both validation paths, so they cannot disagree on defaults. */
export function withDefaults(o: NodeMonitoringOptions, defaultServiceName: string | (() => string)): ResolvedNodeOptions {
  const serviceName = o.serviceName ?? (typeof defaultServiceName === 'function' ? defaultServiceName() : defaultServiceName);
  const m = o.metrics;
  const rt = o.runtimeMetrics === true ? undefined : o.runtimeMetrics;
  const prom = m === false || m === undefined ? undefined : m.prometheus;
  return {
    enabled: o.enabled ?? true,
    serviceName,
    serviceVersion: o.serviceVersion,
    environment: o.environment,
    profile: o.profile ?? 'production',
    namespace: o.namespace ?? DEFAULT_NAMESPACE,
    diagnostics: { level: o.diagnostics?.level, logger: o.diagnostics?.logger, maxPerMinute: o.diagnostics?.maxPerMinute },
    metrics:
      m === false
        ? false
        : {
            registry: m?.registry,
            prometheus:
              prom === undefined || prom === false
                ? false
                : { host: prom.host ?? DEFAULT_PROMETHEUS_HOST, port: prom.port ?? DEFAULT_PROMETHEUS_PORT, path: prom.path ?? DEFAULT_PROMETHEUS_PATH },
            pushgateway:
              m?.pushgateway === undefined
                ? undefined
                : {
                    url: m.pushgateway.url,
                    job: m.pushgateway.job ?? serviceName,
                    groupingLabels: { ...m.pushgateway.groupingLabels },
                    headers: { ...m.pushgateway.headers },
                    intervalMs: m.pushgateway.intervalMs ?? 0,
                  },
            remoteWrite:
              m?.remoteWrite === undefined
                ? undefined
                : {
                    url: m.remoteWrite.url,
                    headers: { ...m.remoteWrite.headers },
                    externalLabels: { job: serviceName, ...m.remoteWrite.externalLabels },
                    intervalMs: m.remoteWrite.intervalMs ?? 0,
                    timeoutMs: m.remoteWrite.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS,
                  },
            otlp: m?.otlp === undefined || m.otlp === false ? undefined : m.otlp === true ? {} : m.otlp,
            pushOnExit: m?.pushOnExit ?? true,
          },
    runtimeMetrics:
      rt === false
        ? false
        : { eventLoopResolutionMs: rt?.eventLoopResolutionMs ?? DEFAULT_EVENT_LOOP_RESOLUTION_MS, gc: rt?.gc ?? true, diskPaths: { ...rt?.diskPaths } },
    workers: { aggregate: o.workers?.aggregate ?? true, labelByWorker: o.workers?.labelByWorker ?? false, intervalMs: o.workers?.intervalMs ?? DEFAULT_WORKER_INTERVAL_MS },
    telemetry: o.telemetry === false || o.telemetry === undefined || (o.telemetry as { endpoint?: unknown }).endpoint === undefined && (o.telemetry as { transport?: unknown }).transport === undefined ? false : (o.telemetry as Record<string, unknown>),
    errors: o.errors === false ? false : (o.errors ?? {}),
    security: o.security === false ? false : (o.security ?? {}),
    viewer: o.viewer === undefined || o.viewer === false ? false : o.viewer === true ? {} : o.viewer,
    spool: o.spool === false ? false : { directory: o.spool?.directory, maxBytes: o.spool?.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES },
    exit: { deadlineMs: o.exit?.deadlineMs ?? DEFAULT_EXIT_DEADLINE_MS, signals: o.exit?.signals ?? true },
    env: o.env,
  };
}


export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
