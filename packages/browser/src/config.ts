import { booleanField, getDiagnostics, isHttpUrl, isPlainObject, methodsField, quickResolve, textField } from '@lookout/core/page';
import type { Diagnostics, FieldCheck, MetricsRegistry } from '@lookout/core';
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


const isObject: FieldCheck = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSwitch: FieldCheck = (v) => typeof v === 'boolean' || isObject(v);

/** One check per option, accepting exactly what the zod schema of `@lookout/browser/schema` accepts. */
export const MONITORING_FIELD_CHECKS: Readonly<Record<keyof MonitoringOptions, FieldCheck>> = {
  serviceName: textField(1, 256),
  serviceVersion: textField(1, 128),
  environment: textField(1, 256),
  endpoint: (v) => typeof v === 'string' && isHttpUrl(v),
  headers: (v) => isPlainObject(v) && (Object.keys(v).find((k) => typeof v[k] !== 'string') ?? true),
  consent: (v) => v === 'granted' || v === 'pending' || v === 'denied',
  userId: textField(1, 256),
  persistence: booleanField,
  webVitals: isSwitch,
  errors: isSwitch,
  sentry: (v) => typeof v === 'object' && v !== null && typeof (v as { dsn?: unknown }).dsn === 'string' && (v as { dsn: string }).dsn.length > 0,
  telemetry: isObject,
  registry: methodsField('histogram'),
  diagnostics: methodsField('warn'),
  strict: booleanField,
};

/**
 * Checks `initMonitoring` options without zod (core's `quickResolve`, held to the zod schema of
 * `@lookout/browser/schema` by a property test): each invalid or unknown field gets one
 * diagnostic naming it and falls back to its default; `strict: true` throws `LookoutConfigError`.
 * Options of the parts (`webVitals`, `errors`, `telemetry`, `sentry`) are checked field by field
 * by the part itself.
 */
export function readMonitoringOptions(input: unknown, diagnostics?: Diagnostics): ResolvedMonitoringOptions {
  return resolveFromValid(quickResolve(input, MONITORING_FIELD_CHECKS, 'initMonitoring', diagnostics).options as MonitoringOptions, diagnostics);
}

/** Defaults filled into options already known to be valid; warns once when `serviceName` is missing. */
export function resolveFromValid(o: MonitoringOptions, diagnostics: Diagnostics | undefined): ResolvedMonitoringOptions {
  if (o.serviceName === undefined) {
    (o.diagnostics ?? diagnostics ?? getDiagnostics()).warn('browser/no-service-name', `initMonitoring: serviceName is not set; events are sent as ${DEFAULT_SERVICE_NAME}`, 'browser:no-service-name');
  }
  return {
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
}
