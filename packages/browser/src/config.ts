import * as z from 'zod/mini';
import { getDiagnostics, resolveOptions } from '@lookout/core';
import type { ConfigIssue, Diagnostics, MetricsRegistry, SafeParser } from '@lookout/core';
import type { ConsentState } from '@lookout/telemetry';
import type { MonitoringErrorOptions, MonitoringOptions, MonitoringSentryOptions, MonitoringTelemetryOptions, MonitoringWebVitalsOptions } from './types.js';

/** `service.name` when `serviceName` is missing (OpenTelemetry's own fallback). */
export const DEFAULT_SERVICE_NAME = 'unknown_service';
/** Calls (track, captureException …) kept before `initMonitoring`; later ones are dropped and counted. */
export const MAX_PENDING_CALLS = 100;
/** Default deadline of `flush()` and `shutdown()`. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;
/** Name of `trackDownload` events. */
export const DOWNLOAD_EVENT_NAME = 'download';
/** Name of the events errors are sent as. */
export const ERROR_EVENT_NAME = 'error';

const httpUrl = z.string().check(
  z.refine((s) => {
    try {
      const UrlCtor = (globalThis as { URL?: new (url: string) => { protocol: string } }).URL;
      if (UrlCtor === undefined) return /^https?:\/\/\S+$/.test(s);
      const protocol = new UrlCtor(s).protocol;
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);
const label = z.string().check(z.minLength(1), z.maxLength(256));
const object = <T>(what: string) => z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), `must be ${what}`);
const featureSwitch = <T>(what: string) => z.union([z.boolean(), object<T>(what)]);

const monitoringSchema = z.strictObject({
  serviceName: z.optional(label),
  serviceVersion: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  environment: z.optional(label),
  endpoint: z.optional(httpUrl),
  headers: z.optional(z.record(z.string(), z.string())),
  consent: z.optional(z.enum(['granted', 'pending', 'denied'])),
  userId: z.optional(label),
  persistence: z.optional(z.boolean()),
  webVitals: z.optional(featureSwitch<MonitoringWebVitalsOptions>('a boolean or web vitals options')),
  errors: z.optional(featureSwitch<MonitoringErrorOptions>('a boolean or error tracker options')),
  sentry: z.optional(
    z.custom<MonitoringSentryOptions>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { dsn?: unknown }).dsn === 'string' && (v as { dsn: string }).dsn.length > 0,
      'must be an object with a dsn string',
    ),
  ),
  telemetry: z.optional(object<MonitoringTelemetryOptions>('event client options')),
  registry: z.optional(z.custom<MetricsRegistry>((v) => typeof v === 'object' && v !== null && typeof (v as MetricsRegistry).histogram === 'function', 'must be a MetricsRegistry')),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => typeof v === 'object' && v !== null && typeof (v as Diagnostics).warn === 'function', 'must be a Diagnostics')),
  strict: z.optional(z.boolean()),
});

// The documented options type and the schema must describe the same input.
type _SchemaAcceptsOptions = MonitoringOptions extends z.input<typeof monitoringSchema> ? true : never;
const _schemaAcceptsOptions: _SchemaAcceptsOptions = true;
void _schemaAcceptsOptions;

/** {@link MonitoringOptions} after validation, defaults filled in. */
export interface ResolvedMonitoringOptions {
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  endpoint: string | undefined;
  headers: Record<string, string>;
  consent: ConsentState;
  userId: string | undefined;
  persistence: boolean;
  webVitals: MonitoringWebVitalsOptions | false;
  errors: MonitoringErrorOptions | false;
  sentry: MonitoringSentryOptions | undefined;
  telemetry: MonitoringTelemetryOptions;
  registry: MetricsRegistry | undefined;
  diagnostics: Diagnostics | undefined;
}

/**
 * Validates `initMonitoring` options with core's `resolveOptions`: each invalid field gets one
 * diagnostic naming its path and falls back to its default; `strict: true` throws
 * `LookoutConfigError`. Options of the parts (`webVitals`, `errors`, `telemetry`, `sentry`) are
 * checked field by field by the part itself.
 */
export function resolveMonitoringOptions(input: unknown, diagnostics?: Diagnostics): { ok: boolean; options: ResolvedMonitoringOptions; issues: ConfigIssue[] } {
  const context = diagnostics === undefined ? { component: 'initMonitoring' } : { component: 'initMonitoring', diagnostics };
  const result = resolveOptions<z.output<typeof monitoringSchema>>(monitoringSchema as SafeParser<z.output<typeof monitoringSchema>>, input, context);
  const o = result.options ?? {};
  const issues = result.ok ? [] : [...result.issues];
  if (o.serviceName === undefined) {
    (o.diagnostics ?? diagnostics ?? getDiagnostics()).warn('browser/no-service-name', `initMonitoring: serviceName is not set; events are sent as ${DEFAULT_SERVICE_NAME}`, 'browser:no-service-name');
  }
  const options: ResolvedMonitoringOptions = {
    serviceName: o.serviceName ?? DEFAULT_SERVICE_NAME,
    serviceVersion: o.serviceVersion,
    environment: o.environment,
    endpoint: o.endpoint,
    headers: o.headers ?? {},
    consent: o.consent ?? 'granted',
    userId: o.userId,
    persistence: o.persistence ?? false,
    webVitals: o.webVitals === false ? false : o.webVitals === true || o.webVitals === undefined ? {} : o.webVitals,
    errors: o.errors === false ? false : o.errors === true || o.errors === undefined ? {} : o.errors,
    sentry: o.sentry,
    telemetry: o.telemetry ?? {},
    registry: o.registry,
    diagnostics: o.diagnostics,
  };
  return { ok: result.ok, options, issues };
}
