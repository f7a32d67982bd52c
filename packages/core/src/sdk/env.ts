import { getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { isHttpUrl, parseUrl } from '../internal/url.js';

/** What the standard OpenTelemetry environment variables say about metrics export. */
export interface OtelEnvConfig {
  serviceName?: string;
  resourceAttributes: Record<string, string>;
  /** Full metrics URL (`…/v1/metrics`). */
  otlpEndpoint?: string;
  otlpHeaders: Record<string, string>;
  otlpProtocol?: 'http/protobuf' | 'http/json';
  otlpTimeoutMs?: number;
  exportIntervalMs?: number;
  exportTimeoutMs?: number;
  /** OTEL_METRICS_EXPORTER, split: `otlp`, `prometheus`, `console`, `none`. */
  exporters?: string[];
  sdkDisabled: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The process environment where there is one (Node), else empty. Read at call time. */
export function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/**
 * Reads `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT`,
 * `…_HEADERS`, `…_PROTOCOL`, `…_TIMEOUT`, `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_METRIC_EXPORT_TIMEOUT`,
 * `OTEL_METRICS_EXPORTER` and `OTEL_SDK_DISABLED` as the OpenTelemetry specification defines them.
 * A value that does not parse gets a warning and is ignored. Header values are never logged.
 */
export function parseOtelEnv(env: Env = processEnv(), diag: Diagnostics = getDiagnostics()): OtelEnvConfig {
  const source: Env = env !== null && typeof env === 'object' ? env : {};
  const get = (name: string): string | undefined => {
    let v: unknown;
    try {
      v = source[name];
    } catch {
      v = undefined;
    }
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const int = (name: string): number | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (Number.isInteger(n) && n > 0) return n;
    diag.warn('env.invalid', `${name}="${raw.slice(0, 32)}" is not a positive integer (milliseconds); ignored`, name);
    return undefined;
  };
  const url = (name: string, suffix: string): string | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    if (!isHttpUrl(raw)) {
      diag.warn('env.invalid', `${name} is not an http(s) URL; ignored`, name);
      return undefined;
    }
    return suffix === '' ? parseUrl(raw)!.toString() : `${raw.replace(/\/+$/, '')}${suffix}`;
  };
  const protocol = (name: string): OtelEnvConfig['otlpProtocol'] => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    if (raw === 'http/protobuf' || raw === 'http/json') return raw;
    diag.warn('env.invalid', `${name}="${raw.slice(0, 32)}": Lookout supports http/protobuf and http/json; ignored`, name);
    return undefined;
  };
  const serviceName = get('OTEL_SERVICE_NAME');
  return {
    serviceName,
    resourceAttributes: parseKeyValues(get('OTEL_RESOURCE_ATTRIBUTES'), 'OTEL_RESOURCE_ATTRIBUTES', diag, true),
    otlpEndpoint: url('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', '') ?? url('OTEL_EXPORTER_OTLP_ENDPOINT', '/v1/metrics'),
    otlpHeaders: {
      ...parseKeyValues(get('OTEL_EXPORTER_OTLP_HEADERS'), 'OTEL_EXPORTER_OTLP_HEADERS', diag, false),
      ...parseKeyValues(get('OTEL_EXPORTER_OTLP_METRICS_HEADERS'), 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', diag, false),
    },
    otlpProtocol: protocol('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ?? protocol('OTEL_EXPORTER_OTLP_PROTOCOL'),
    otlpTimeoutMs: int('OTEL_EXPORTER_OTLP_METRICS_TIMEOUT') ?? int('OTEL_EXPORTER_OTLP_TIMEOUT'),
    exportIntervalMs: int('OTEL_METRIC_EXPORT_INTERVAL'),
    exportTimeoutMs: int('OTEL_METRIC_EXPORT_TIMEOUT'),
    exporters: get('OTEL_METRICS_EXPORTER')?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    sdkDisabled: get('OTEL_SDK_DISABLED')?.toLowerCase() === 'true',
  };
}

/** `k1=v1,k2=v2` with percent-encoded values (W3C Baggage octets), as OTEL_RESOURCE_ATTRIBUTES and headers use. */
function parseKeyValues(raw: string | undefined, name: string, diag: Diagnostics, showValues: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (key === '') {
      if (pair.trim() !== '') diag.warn('env.invalid', `${name}: "${showValues ? pair.slice(0, 32) : '…'}" is not key=value; ignored`, `${name}\u0000${pair}`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      diag.warn('env.invalid', `${name}: the value of "${key}" is not valid percent-encoding; ignored`, `${name}\u0000${key}`);
    }
  }
  return out;
}
