import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { CircuitOptions, Diagnostics, MetricsRegistry, ResolveResult, RetryOptions } from '@lookout/core';
import { SYSLOG_FACILITIES } from './formatSyslogMessage.js';
import type { SyslogFacility } from './formatSyslogMessage.js';

/** Default syslog port for UDP (RFC 5426) and TCP: 514. */
export const DEFAULT_SYSLOG_PORT = 514;
/** Default port for syslog over TLS: 6514, the port RFC 5425 registers. */
export const DEFAULT_SYSLOG_TLS_PORT = 6514;
/** Oldest TLS version the TLS transport accepts by default: 1.2 (RFC 9662 updates RFC 5425 to require it). */
export const DEFAULT_SYSLOG_TLS_MIN_VERSION = 'TLSv1.2';
/** Default largest UDP message: 2048 bytes, which RFC 5426 says receivers SHOULD accept. */
export const DEFAULT_SYSLOG_UDP_MAX_BYTES = 2048;
/** Default largest TCP/TLS message: 64 KiB. */
export const DEFAULT_SYSLOG_STREAM_MAX_BYTES = 65_536;
/** Default batch age: 1 s. */
export const DEFAULT_SYSLOG_FLUSH_INTERVAL_MS = 1000;
/** Default connect timeout for TCP/TLS. */
export const DEFAULT_SYSLOG_CONNECT_TIMEOUT_MS = 5000;

const positiveInt = z.int().check(z.positive());
const facilityNames = Object.keys(SYSLOG_FACILITIES) as [SyslogFacility, ...SyslogFacility[]];
/** PEM text or DER bytes, or a list of them (Node's `tls.connect` forms). */
export type SyslogTlsMaterial = string | Uint8Array | ReadonlyArray<string | Uint8Array>;
const isMaterialPart = (v: unknown): boolean => (typeof v === 'string' && v.length > 0) || (v instanceof Uint8Array && v.length > 0);
const material = z.custom<SyslogTlsMaterial>(
  (v) => isMaterialPart(v) || (Array.isArray(v) && v.length > 0 && v.every(isMaterialPart)),
  'must be PEM text, DER bytes, or a non-empty list of them',
);

export const syslogTlsOptionsSchema = z.strictObject({
  ca: z.optional(material),
  cert: z.optional(material),
  key: z.optional(material),
  passphrase: z.optional(z.string()),
  servername: z.optional(z.string().check(z.minLength(1, 'must be a non-empty host name'))),
  rejectUnauthorized: z.optional(z.boolean()),
  minVersion: z.optional(z.enum(['TLSv1.2', 'TLSv1.3'])),
  checkServerIdentity: z.optional(z.custom<NonNullable<SyslogTlsOptions['checkServerIdentity']>>((v) => typeof v === 'function', 'must be a function')),
});

/**
 * TLS settings of the `tls` protocol (RFC 5425). The receiver's certificate is always verified
 * (against Node's root CAs, or `ca`) and its name checked against `servername` or `host`.
 */
export interface SyslogTlsOptions {
  /** CA certificate(s) that signed the receiver's certificate, for a private PKI. Default: Node's root CAs. */
  ca?: SyslogTlsMaterial;
  /** Client certificate chain, for receivers that require mutual TLS (RFC 5425 section 5.3). Needs `key`. */
  cert?: SyslogTlsMaterial;
  /** Private key of `cert`. */
  key?: SyslogTlsMaterial;
  /** Passphrase of an encrypted `key`. Never logged. */
  passphrase?: string;
  /** Name the receiver's certificate must carry, and the SNI sent. Default: `host` (SNI only for a name, not an address). */
  servername?: string;
  /**
   * `false` accepts any certificate: anyone on the path can then read and forge the log stream.
   * A warning is reported once when it is set. Default `true`.
   */
  rejectUnauthorized?: boolean;
  /** Oldest TLS version accepted. Default {@link DEFAULT_SYSLOG_TLS_MIN_VERSION}. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Replaces Node's name check (e.g. to pin a certificate fingerprint): return an Error to refuse. */
  checkServerIdentity?: (hostname: string, cert: unknown) => Error | undefined;
}

const object = <T>(what: string) => z.custom<T>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), `${what} must be an object`);

export const syslogSinkOptionsSchema = z.strictObject({
  host: z.optional(z.string().check(z.minLength(1))),
  port: z.optional(z.int().check(z.minimum(1), z.maximum(65_535))),
  protocol: z.optional(z.enum(['udp', 'tcp', 'tls'])),
  framing: z.optional(z.enum(['octet-counting', 'lf'])),
  facility: z.optional(z.union([z.enum(facilityNames), z.int().check(z.minimum(0), z.maximum(23))])),
  hostname: z.optional(z.string()),
  appName: z.optional(z.string()),
  sdId: z.optional(z.string().check(z.regex(/^[!#-<>-\\^-~]{1,32}$/, 'must be an SD-ID: 1-32 printable ASCII characters without = ] " or space'))),
  bom: z.optional(z.boolean()),
  maxMessageBytes: z.optional(z.int().check(z.minimum(480))),
  tls: z.optional(syslogTlsOptionsSchema),
  connectTimeoutMs: z.optional(positiveInt),
  sendTimeoutMs: z.optional(positiveInt),
  flushIntervalMs: z.optional(positiveInt),
  maxBatchItems: z.optional(positiveInt),
  maxQueueItems: z.optional(positiveInt),
  retry: z.optional(object<RetryOptions>('retry')),
  circuit: z.optional(object<CircuitOptions>('circuit')),
  registry: z.optional(z.custom<MetricsRegistry>((v) => v !== null && typeof v === 'object' && typeof (v as MetricsRegistry).counter === 'function', 'must be a MetricsRegistry')),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => v !== null && typeof v === 'object' && typeof (v as Diagnostics).warn === 'function', 'must be a Diagnostics')),
  strict: z.optional(z.boolean()),
});

/** Input of `createSyslogSink`. Every field is optional. */
export interface SyslogSinkOptions {
  /** Receiver host. Default `127.0.0.1`. */
  host?: string;
  /** Receiver port. Default {@link DEFAULT_SYSLOG_PORT}, or {@link DEFAULT_SYSLOG_TLS_PORT} for `tls`. */
  port?: number;
  /** `udp` (RFC 5426, default), `tcp` (RFC 6587) or `tls` (RFC 5425). */
  protocol?: 'udp' | 'tcp' | 'tls';
  /** Stream framing: `octet-counting` (RFC 6587 3.4.1, default; RFC 5425 requires it) or `lf` (non-transparent, newline-terminated). */
  framing?: 'octet-counting' | 'lf';
  /** Facility name or number. Default `authpriv` (10): security/authorisation messages. */
  facility?: SyslogFacility | number;
  /** HOSTNAME field. Default: the machine's host name. */
  hostname?: string;
  /** APP-NAME field. Default `lookout`. */
  appName?: string;
  /** SD-ID of the structured data. Default {@link DEFAULT_SD_ID} (documentation enterprise number: set your own). */
  sdId?: string;
  /** Mark MSG as UTF-8 with a BOM. Default `false`. */
  bom?: boolean;
  /**
   * Largest message in bytes (≥ 480, what RFC 5424 receivers must accept); MSG is cut to fit,
   * then structured-data values (never the structured data itself). Default 2048 (UDP) or 65536 (TCP/TLS).
   */
  maxMessageBytes?: number;
  /** TLS settings for protocol `tls`: `ca`, `cert`/`key` (mutual TLS), `servername` … (see {@link SyslogTlsOptions}). */
  tls?: SyslogTlsOptions;
  /** TCP/TLS connect timeout, in ms. Default {@link DEFAULT_SYSLOG_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /**
   * Longest a batch may take to be connected and written, in ms; past it the TCP/TLS connection
   * is dropped and the batch retried on a new one. Default: core's `DEFAULT_SEND_TIMEOUT_MS` (10 s).
   */
  sendTimeoutMs?: number;
  /** Batch age, in ms. Default {@link DEFAULT_SYSLOG_FLUSH_INTERVAL_MS}. */
  flushIntervalMs?: number;
  /** Messages per batch. Default 100. */
  maxBatchItems?: number;
  /** Messages held at most while the receiver is away. Default 1000. */
  maxQueueItems?: number;
  retry?: RetryOptions;
  circuit?: CircuitOptions;
  /** Where delivery metrics go (`lookout_delivery_*{signal="security_syslog"}`). */
  registry?: MetricsRegistry;
  diagnostics?: Diagnostics;
  strict?: boolean;
}

export type ResolvedSyslogSinkOptions = z.output<typeof syslogSinkOptionsSchema>;

export function resolveSyslogSinkOptions(input: unknown, diagnostics?: Diagnostics): ResolveResult<ResolvedSyslogSinkOptions> {
  const ctx = diagnostics === undefined ? { component: 'createSyslogSink' } : { component: 'createSyslogSink', diagnostics };
  return resolveOptions<ResolvedSyslogSinkOptions>(syslogSinkOptionsSchema, input, ctx);
}
