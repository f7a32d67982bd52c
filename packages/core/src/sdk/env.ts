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
    resourceAttributes: parseResourceAttributes(get('OTEL_RESOURCE_ATTRIBUTES'), diag),
    otlpEndpoint: url('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', '') ?? url('OTEL_EXPORTER_OTLP_ENDPOINT', '/v1/metrics'),
    otlpHeaders: {
      ...parseKeyValues(get('OTEL_EXPORTER_OTLP_HEADERS'), 'OTEL_EXPORTER_OTLP_HEADERS', diag),
      ...parseKeyValues(get('OTEL_EXPORTER_OTLP_METRICS_HEADERS'), 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', diag),
    },
    otlpProtocol: protocol('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ?? protocol('OTEL_EXPORTER_OTLP_PROTOCOL'),
    otlpTimeoutMs: int('OTEL_EXPORTER_OTLP_METRICS_TIMEOUT') ?? int('OTEL_EXPORTER_OTLP_TIMEOUT'),
    exportIntervalMs: int('OTEL_METRIC_EXPORT_INTERVAL'),
    exportTimeoutMs: int('OTEL_METRIC_EXPORT_TIMEOUT'),
    exporters: get('OTEL_METRICS_EXPORTER')?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    sdkDisabled: get('OTEL_SDK_DISABLED')?.toLowerCase() === 'true',
  };
}

/** Longest key or value OTel JS's envDetector takes from OTEL_RESOURCE_ATTRIBUTES. */
const MAX_RESOURCE_ATTRIBUTE_LENGTH = 255;

/**
 * OTEL_RESOURCE_ATTRIBUTES: `k1=v1,k2=v2`, `,` and `=` percent-encoded in keys and values, both
 * decoded. The resource SDK spec: "In case of any error, e.g. failure during the decoding process,
 * the entire environment variable value SHOULD be discarded and an error SHOULD be reported". So
 * an unencoded `=`, an empty key, bad percent-encoding, or a key or value past 255 characters
 * (as OTel JS's envDetector) gives `{}` and one warning. Empty entries (`a=1,,b=2`) are skipped.
 */
function parseResourceAttributes(raw: string | undefined, diag: Diagnostics): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  const name = 'OTEL_RESOURCE_ATTRIBUTES';
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const problem = addResourceAttribute(out, entry);
    if (problem !== undefined) {
      diag.warn('env.invalid', `${name}: "${entry.slice(0, 64)}" ${problem}; the whole value is ignored, as the OpenTelemetry specification says`, name);
      return {};
    }
  }
  return out;
}

/** Adds one `key=value` entry; returns what is wrong with it, if anything. */
function addResourceAttribute(out: Record<string, string>, entry: string): string | undefined {
  const parts = entry.split('=');
  if (parts.length !== 2) return 'is not key=value (a "," or "=" inside a key or value must be percent-encoded)';
  const key = parts[0]!.trim();
  if (key === '') return 'has an empty key';
  let decodedKey: string;
  let decodedValue: string;
  try {
    decodedKey = decodeURIComponent(key);
    decodedValue = decodeURIComponent(parts[1]!.trim());
  } catch {
    return 'is not valid percent-encoding';
  }
  if (decodedKey.length > MAX_RESOURCE_ATTRIBUTE_LENGTH || decodedValue.length > MAX_RESOURCE_ATTRIBUTE_LENGTH) {
    return `has a key or value longer than ${MAX_RESOURCE_ATTRIBUTE_LENGTH} characters`;
  }
  out[decodedKey] = decodedValue;
  return undefined;
}

/**
 * `k1=v1,k2=v2` with percent-encoded values (W3C Baggage octets), as the OTLP headers variables
 * use. Lenient, as OTel JS is for headers: a bad pair is skipped with a warning, the rest kept.
 * Values are never logged.
 */
function parseKeyValues(raw: string | undefined, name: string, diag: Diagnostics): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (key === '') {
      if (pair.trim() !== '') diag.warn('env.invalid', `${name}: "…" is not key=value; ignored`, `${name}\u0000${pair}`);
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
