import { isHttpUrl, parseOtelEnv } from '@lookout/core';
import type { Diagnostics, Env, OtelEnvConfig } from '@lookout/core';
import type { NodeMonitoringOptions } from '../types.js';

/** The `LOOKOUT_*` variables `initMonitoring()` and `lookout doctor` read, with what each sets. */
export const LOOKOUT_ENV_VARS: Readonly<Record<string, string>> = Object.freeze({
  LOOKOUT_DISABLED: '`true` turns Lookout off (as OTEL_SDK_DISABLED does)',
  LOOKOUT_SERVICE_NAME: 'serviceName (OTEL_SERVICE_NAME too)',
  LOOKOUT_ENVIRONMENT: 'environment',
  LOOKOUT_PROFILE: 'profile: development, staging or production',
  LOOKOUT_LOG_LEVEL: "diagnostics.level: none, error, warn, info or debug",
  LOOKOUT_PROMETHEUS_PORT: 'metrics.prometheus.port: serve a scrape endpoint',
  LOOKOUT_PROMETHEUS_HOST: 'metrics.prometheus.host',
  LOOKOUT_PUSHGATEWAY_URL: 'metrics.pushgateway.url',
  LOOKOUT_PUSHGATEWAY_JOB: 'metrics.pushgateway.job',
  LOOKOUT_REMOTE_WRITE_URL: 'metrics.remoteWrite.url',
  LOOKOUT_REMOTE_WRITE_HEADERS: 'metrics.remoteWrite.headers, as k=v,k2=v2',
  LOOKOUT_TELEMETRY_ENDPOINT: 'telemetry.endpoint',
  LOOKOUT_SENTRY_DSN: 'errors.dsn (SENTRY_DSN too)',
  LOOKOUT_AUDIT_LOG_DIR: 'security.auditLog.dir',
  LOOKOUT_SPOOL_DIR: 'spool.directory',
  LOOKOUT_EXIT_DEADLINE_MS: 'exit.deadlineMs',
  LOOKOUT_DISK_PATHS: 'runtimeMetrics.diskPaths, as name=path,name2=path2',
  LOOKOUT_WORKER_LABELS: '`true`: workers.labelByWorker',
});

const LEVELS = ['none', 'error', 'warn', 'info', 'debug'] as const;
const PROFILES = ['development', 'staging', 'production'] as const;

/**
 * Reads `LOOKOUT_*` and the standard `OTEL_*` variables (through core's `parseOtelEnv`) into
 * options. A value that does not parse gets one warning naming the variable and is ignored;
 * secrets (headers, DSN) are never echoed. Explicit options win over everything read here.
 */
export function readEnvOptions(env: Env, diag: Diagnostics): NodeMonitoringOptions {
  // Most processes set none of these: they skip the parsers below, which are not even compiled.
  return env === process.env && !namesAny(env) ? {} : readVariables(env, diag);
}

function readVariables(env: Env, diag: Diagnostics): NodeMonitoringOptions {
  const get = (name: string): string | undefined => {
    let v: unknown;
    try {
      v = env[name];
    } catch {
      return undefined;
    }
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const bad = (name: string, why: string, show = true): undefined => {
    diag.warn('env.invalid', `${name}${show ? `="${String(get(name)).slice(0, 32)}"` : ''} ${why}; ignored`, name);
    return undefined;
  };
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : bad(name, `is not an integer in [${min}, ${max}]`);
  };
  const url = (name: string, secret = false): string | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    return isHttpUrl(raw) ? raw : bad(name, 'is not an http(s) URL', !secret);
  };
  const oneOf = <T extends string>(name: string, values: readonly T[]): T | undefined => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    return (values as readonly string[]).includes(raw) ? (raw as T) : bad(name, `is not one of ${values.join(', ')}`);
  };
  const pairs = (name: string, secret: boolean): Record<string, string> | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const part of raw.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) {
        if (part.trim() !== '') bad(name, `has "${secret ? '…' : part.slice(0, 32)}", which is not key=value`, false);
        continue;
      }
      try {
        out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        bad(name, 'has a value that is not valid percent-encoding', false);
      }
    }
    return out;
  };
  const flag = (name: string): boolean | undefined => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (raw === 'true' || raw === '1' || raw === 'yes') return true;
    if (raw === 'false' || raw === '0' || raw === 'no') return false;
    return bad(name, 'is not true or false');
  };

  const otel = readOtelEnv(env, diag);
  const out: NodeMonitoringOptions = {};
  if (flag('LOOKOUT_DISABLED') === true || otel.sdkDisabled) out.enabled = false;
  // OTel spec precedence: OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES; only
  // then does the script-name fallback apply.
  const serviceName = get('LOOKOUT_SERVICE_NAME') ?? otel.serviceName ?? otel.resourceAttributes['service.name'];
  if (serviceName !== undefined) out.serviceName = serviceName.slice(0, 256);
  const environment = get('LOOKOUT_ENVIRONMENT') ?? otel.resourceAttributes['deployment.environment.name'];
  if (environment !== undefined) out.environment = environment.slice(0, 128);
  const version = otel.resourceAttributes['service.version'];
  if (version !== undefined) out.serviceVersion = version.slice(0, 128);
  const profile = oneOf('LOOKOUT_PROFILE', PROFILES);
  if (profile !== undefined) out.profile = profile;
  const level = oneOf('LOOKOUT_LOG_LEVEL', LEVELS);
  if (level !== undefined) out.diagnostics = { level };

  const metrics: NonNullable<Exclude<NodeMonitoringOptions['metrics'], false>> = {};
  const port = int('LOOKOUT_PROMETHEUS_PORT', 0, 65_535);
  const exporters = otel.exporters ?? [];
  if (port !== undefined || exporters.includes('prometheus')) {
    metrics.prometheus = { ...(port === undefined ? {} : { port }), ...(get('LOOKOUT_PROMETHEUS_HOST') === undefined ? {} : { host: get('LOOKOUT_PROMETHEUS_HOST') }) };
  }
  const gateway = url('LOOKOUT_PUSHGATEWAY_URL');
  if (gateway !== undefined) metrics.pushgateway = { url: gateway, ...(get('LOOKOUT_PUSHGATEWAY_JOB') === undefined ? {} : { job: get('LOOKOUT_PUSHGATEWAY_JOB') }) };
  const remoteWrite = url('LOOKOUT_REMOTE_WRITE_URL', true);
  if (remoteWrite !== undefined) {
    const headers = pairs('LOOKOUT_REMOTE_WRITE_HEADERS', true);
    metrics.remoteWrite = { url: remoteWrite, ...(headers === undefined ? {} : { headers }) };
  }
  // OTLP: on when OTEL_METRICS_EXPORTER names it, or an OTLP endpoint is set and the list does not say otherwise.
  if (exporters.includes('otlp') || (otel.otlpEndpoint !== undefined && otel.exporters === undefined)) metrics.otlp = true;
  if (Object.keys(metrics).length > 0) out.metrics = metrics;

  const diskPaths = pairs('LOOKOUT_DISK_PATHS', false);
  if (diskPaths !== undefined) out.runtimeMetrics = { diskPaths };
  if (flag('LOOKOUT_WORKER_LABELS') === true) out.workers = { labelByWorker: true };
  const telemetry = url('LOOKOUT_TELEMETRY_ENDPOINT', true);
  if (telemetry !== undefined) out.telemetry = { endpoint: telemetry };
  const dsn = get('LOOKOUT_SENTRY_DSN') ?? get('SENTRY_DSN');
  if (dsn !== undefined) out.errors = { dsn };
  const auditDir = get('LOOKOUT_AUDIT_LOG_DIR');
  if (auditDir !== undefined) out.security = { auditLog: { dir: auditDir } };
  const spoolDir = get('LOOKOUT_SPOOL_DIR');
  if (spoolDir !== undefined) out.spool = { directory: spoolDir };
  const deadline = int('LOOKOUT_EXIT_DEADLINE_MS', 0, 60_000);
  if (deadline !== undefined) out.exit = { deadlineMs: deadline };
  return out;
}

/**
 * Explicit options over environment options, merged one level deep for object-valued parts
 * (`metrics`, `exit` …): `{ metrics: { prometheus: … } }` from code and `LOOKOUT_PUSHGATEWAY_URL`
 * from the environment both apply. `false` from code always wins.
 */
export function mergeOptions(fromEnv: NodeMonitoringOptions, explicit: unknown): unknown {
  if (explicit === undefined) return fromEnv;
  if (explicit === null || typeof explicit !== 'object' || Array.isArray(explicit)) return explicit;
  let out: Record<string, unknown>;
  try {
    out = { ...(fromEnv as Record<string, unknown>) };
    for (const [key, value] of Object.entries(explicit)) {
      const base = out[key];
      out[key] =
        isPlain(value) && isPlain(base) && key !== 'env' ? { ...base, ...value } : value;
    }
  } catch {
    // Unreadable input (throwing getters): let validation report it.
    return explicit;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Whether `env` has a variable {@link readEnvOptions} reads (`LOOKOUT_*`, `OTEL_*`, `SENTRY_DSN`),
 * from one listing of its names. Case-insensitive, as Windows' `process.env` is.
 */
function namesAny(env: Env): boolean {
  let names: string[];
  try {
    names = Object.keys(env);
  } catch {
    return true;
  }
  for (const name of names) {
    const upper = name.toUpperCase();
    if (upper.startsWith('LOOKOUT_') || upper.startsWith('OTEL_') || upper === 'SENTRY_DSN') return true;
  }
  return false;
}

const NO_OTEL: OtelEnvConfig = { resourceAttributes: {}, otlpHeaders: {}, sdkDisabled: false };

/** `OTEL_*` through core's `parseOtelEnv` (from the root entry, which loads no zod). */
function readOtelEnv(env: Env, diag: Diagnostics): OtelEnvConfig {
  try {
    return parseOtelEnv(env, diag);
  } catch (error) {
    diag.internalError(error, 'parseOtelEnv');
    return NO_OTEL;
  }
}
