import { booleanField, diagnosticsField, getDiagnostics, methodsField, quickResolve } from '@lookout/core/page';
import type { FieldCheck } from '@lookout/core/page';
import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import { DEFAULT_SERVICE_NAME } from './constants.js';
import { SHARED_FIELD_CHECKS } from './fieldChecks.js';
import type { ConsentState } from '@lookout/telemetry';
import type { MonitoringErrorOptions, MonitoringOptions, MonitoringSentryOptions, MonitoringTelemetryOptions, MonitoringWebVitalsOptions } from './types.js';
export { DEFAULT_SERVICE_NAME, MAX_PENDING_CALLS, DEFAULT_SHUTDOWN_TIMEOUT_MS, DOWNLOAD_EVENT_NAME, ERROR_EVENT_NAME } from './constants.js';

const isObject: FieldCheck = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSwitch: FieldCheck = (v) => typeof v === 'boolean' || isObject(v);

/** One check per option, accepting exactly what the zod schema of `@lookout/browser/schema` accepts. */
export const MONITORING_FIELD_CHECKS: Readonly<Record<keyof MonitoringOptions, FieldCheck>> = {
  ...SHARED_FIELD_CHECKS,
  persistence: booleanField,
  webVitals: isSwitch,
  errors: isSwitch,
  sentry: (v) => typeof v === 'object' && v !== null && typeof (v as { dsn?: unknown }).dsn === 'string' && (v as { dsn: string }).dsn.length > 0,
  telemetry: isObject,
  registry: methodsField('histogram'),
  // Every method Lookout calls: an object with only `warn` (the lite tier's shape) threw a TypeError
  // from inside the first `catch` that reported an internal error.
  diagnostics: diagnosticsField,
  strict: booleanField,
};

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
 * Checks `initMonitoring` options without zod (core's `quickResolve`, held to the zod schema of
 * `@lookout/browser/schema` by a property test): each invalid or unknown field gets one
 * diagnostic naming it and falls back to its default; `strict: true` throws `LookoutConfigError`.
 * Options of the parts (`webVitals`, `errors`, `telemetry`, `sentry`) are checked field by field
 * by the part itself.
 */
export function readMonitoringOptions(input: unknown, diagnostics?: Diagnostics): ResolvedMonitoringOptions {
  return resolveFromValid(quickResolve(input, MONITORING_FIELD_CHECKS, 'initMonitoring', diagnostics).options as MonitoringOptions, diagnostics);
}

/**
 * A plain copy of a part's options, each own key read on its own (inside a `try`): a key whose
 * getter throws gets one diagnostic naming it and is left out, so that part takes its default
 * there. Later code then reads a plain object, never the host's getters, in no task of its own.
 */
function copyPart<T>(part: T, name: string, diagnostics: Diagnostics): T {
  const copy: Record<string, unknown> = {};
  let keys: string[] = [];
  const unreadable = (path: string): void => diagnostics.warn('config.invalid', `initMonitoring: ${path} could not be read; the default is used`, `config.invalid:${path}`);
  try {
    keys = Object.keys(part as object);
  } catch {
    unreadable(name);
  }
  for (const key of keys) {
    try {
      copy[key] = (part as Record<string, unknown>)[key];
    } catch {
      unreadable(`${name}.${key}`);
    }
  }
  return copy as T;
}

/** `false`, or a part's options copied key by key (`true` and unset: all its defaults). */
function part<T extends object>(value: T | boolean | undefined, name: string, diagnostics: Diagnostics): T | false {
  return value === false ? false : value === true || value === undefined ? ({} as T) : copyPart(value, name, diagnostics);
}

/** Defaults filled into options already known to be valid; warns once when `serviceName` is missing. */
export function resolveFromValid(o: MonitoringOptions, diagnostics: Diagnostics | undefined): ResolvedMonitoringOptions {
  const d = o.diagnostics ?? diagnostics ?? getDiagnostics();
  if (o.serviceName === undefined) {
    d.warn('browser/no-service-name', `initMonitoring: serviceName is not set; events are sent as ${DEFAULT_SERVICE_NAME}`, 'browser:no-service-name');
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
    webVitals: part(o.webVitals, 'webVitals', d),
    errors: part(o.errors, 'errors', d),
    sentry: o.sentry,
    telemetry: copyPart(o.telemetry ?? {}, 'telemetry', d),
    registry: o.registry,
    diagnostics: o.diagnostics,
  };
}
