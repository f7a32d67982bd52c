import * as z from 'zod/mini';
import { isHeader, isHttpUrl, resolveOptions } from '@lookout/core';
import type { ConfigIssue, Diagnostics, MetricsRegistry, SafeParser } from '@lookout/core';
import { MONITORING_FIELD_CHECKS, resolveFromValid } from '../config.js';
import type { ResolvedMonitoringOptions } from '../config.js';
import type { MonitoringErrorOptions, MonitoringOptions, MonitoringSentryOptions, MonitoringTelemetryOptions, MonitoringWebVitalsOptions } from '../types.js';

const httpUrl = z.string().check(z.refine(isHttpUrl, 'must be an http(s) URL'));
const label = z.string().check(z.minLength(1), z.maxLength(256));
const object = <T>(what: string) => z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), `must be ${what}`);
const featureSwitch = <T>(what: string) => z.union([z.boolean(), object<T>(what)]);

const monitoringSchema = z.strictObject({
  serviceName: z.optional(label),
  serviceVersion: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  environment: z.optional(label),
  endpoint: z.optional(httpUrl),
  // A header `fetch` refuses would fail every request alike (retried as a network error).
  headers: z.optional(z.custom<Record<string, string>>((v) => z.record(z.string(), z.string()).safeParse(v).success && Object.entries(v as object).every(([k, x]) => isHeader(k, x)), 'must be headers fetch can send')),
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
  diagnostics: z.optional(z.custom<Diagnostics>((v) => MONITORING_FIELD_CHECKS.diagnostics(v) === true, 'must be a Diagnostics (warn, error, info, debug, internalError)')),
  strict: z.optional(z.boolean()),
});

// The documented options type and the schema must describe the same input.
type _SchemaAcceptsOptions = MonitoringOptions extends z.input<typeof monitoringSchema> ? true : never;
const _schemaAcceptsOptions: _SchemaAcceptsOptions = true;
void _schemaAcceptsOptions;

/**
 * Validates `initMonitoring` options with core's `resolveOptions` and the zod schema: each
 * invalid field gets one diagnostic naming its path and falls back to its default; `strict: true`
 * throws `LookoutConfigError`. `initMonitoring` itself checks options without zod
 * ({@link readMonitoringOptions}); this is for hosts that validate configuration up front. Options of the parts (`webVitals`, `errors`, `telemetry`, `sentry`) are
 * checked field by field by the part itself.
 */
export function resolveMonitoringOptions(input: unknown, diagnostics?: Diagnostics): { ok: boolean; options: ResolvedMonitoringOptions; issues: ConfigIssue[] } {
  const context = diagnostics === undefined ? { component: 'initMonitoring' } : { component: 'initMonitoring', diagnostics };
  const result = resolveOptions<z.output<typeof monitoringSchema>>(monitoringSchema as SafeParser<z.output<typeof monitoringSchema>>, input, context);
  const options = resolveFromValid(result.options ?? {}, diagnostics);
  return { ok: result.ok, options, issues: result.ok ? [] : [...result.issues] };
}
