import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { Diagnostics, MetricsRegistry, ResolveResult } from '@lookout/core';

/** Port the viewer listens on unless told otherwise (0 picks a free one). */
export const DEFAULT_VIEWER_PORT = 9469;
/** Interface the viewer listens on. Only loopback addresses are accepted. */
export const DEFAULT_VIEWER_HOST = '127.0.0.1';
/** How often the registry is read and a metrics snapshot is streamed. */
export const DEFAULT_METRICS_INTERVAL_MS = 500;
/** How often records waiting for a stream are written to it, as one message. */
export const DEFAULT_STREAM_FLUSH_INTERVAL_MS = 100;
/** Most metric series streamed one by one; past it, series are aggregated per metric. */
export const DEFAULT_MAX_SERIES = 10_000;
/** Most records streamed per second; past it, records are sampled and counted. */
export const DEFAULT_MAX_RECORDS_PER_SECOND = 1_000;
/** Recent records kept so a page that opens (or changes its filter) starts with something. */
export const DEFAULT_HISTORY_SIZE = 1_000;
/** Bytes a stream may hold for a page that does not read; older messages are dropped past it. */
export const DEFAULT_STREAM_BUFFER_BYTES = 1024 * 1024;
/** Open streams at once. */
export const DEFAULT_MAX_STREAMS = 16;
/** Largest request body accepted (after decompression). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Series kept for metrics posted over OTLP by other processes. */
export const DEFAULT_MAX_EXTERNAL_SERIES = 10_000;
/** Memory (estimated bytes) those series may take. */
export const DEFAULT_MAX_EXTERNAL_BYTES = 16 * 1024 * 1024;
/** Name shown for what this process records itself. */
export const DEFAULT_SOURCE_NAME = 'local';
/** Shortest token accepted when the host passes its own. */
export const MIN_TOKEN_LENGTH = 16;

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;

const positiveInt = z.int().check(z.positive());
const registryLike = z.custom<MetricsRegistry>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { instruments?: unknown }).instruments === 'function',
  'must be a MetricsRegistry',
);
const diagnosticsLike = z.custom<Diagnostics>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { warn?: unknown }).warn === 'function' && typeof (v as { internalError?: unknown }).internalError === 'function',
  'must be a Diagnostics',
);
const originSchema = z.string().check(
  z.refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as http://localhost:5173 (scheme, host and port, no path)'),
);

export const viewerOptionsSchema = z.strictObject({
  /** Loopback interface to listen on: `127.0.0.1` (default), `::1` or `localhost`. Anything else is refused. */
  host: z._default(z.enum(LOOPBACK_HOSTS), DEFAULT_VIEWER_HOST),
  /** Port; 0 picks a free one. Default 9469. */
  port: z._default(z.int().check(z.minimum(0), z.maximum(65_535)), DEFAULT_VIEWER_PORT),
  /** Secret every request must carry. Default: 32 random bytes in hex. At least 16 characters; use letters, digits and `_` only if Sentry SDKs will use `endpoints.sentryDsn`. */
  token: z.optional(z.string().check(z.minLength(MIN_TOKEN_LENGTH), z.maxLength(256), z.regex(/^[A-Za-z0-9_-]+$/, 'must be URL-safe (letters, digits, "_" and "-")'))),
  /** The registry whose metrics are shown. Default: `getDefaultRegistry()` (which starts aggregating). */
  registry: z.optional(registryLike),
  /** Name shown for this process's own records and metrics. Default `'local'`. */
  sourceName: z._default(z.string().check(z.minLength(1), z.maxLength(128)), DEFAULT_SOURCE_NAME),
  /** How often metrics are read and streamed (ms). Default 500. */
  metricsIntervalMs: z._default(z.int().check(z.minimum(50), z.maximum(60_000)), DEFAULT_METRICS_INTERVAL_MS),
  /** How often pending records are written to each stream (ms). Default 100. */
  flushIntervalMs: z._default(z.int().check(z.minimum(10), z.maximum(5_000)), DEFAULT_STREAM_FLUSH_INTERVAL_MS),
  /** Series streamed one by one before they are aggregated per metric. Default 10,000. */
  maxSeries: z._default(positiveInt, DEFAULT_MAX_SERIES),
  /** Records streamed per second before sampling starts. Default 1,000. */
  maxRecordsPerSecond: z._default(positiveInt, DEFAULT_MAX_RECORDS_PER_SECOND),
  /** Recent records replayed to a page that connects. Default 1,000. */
  historySize: z._default(z.int().check(z.nonnegative(), z.maximum(100_000)), DEFAULT_HISTORY_SIZE),
  /** Bytes buffered per stream for a slow page before messages are dropped. Default 1 MiB. */
  streamBufferBytes: z._default(z.int().check(z.minimum(16 * 1024)), DEFAULT_STREAM_BUFFER_BYTES),
  /** Streams open at once; more are refused with 503. Default 16. */
  maxStreams: z._default(positiveInt, DEFAULT_MAX_STREAMS),
  /** Largest request body accepted, after gunzip (bytes). Default 4 MiB. */
  maxBodyBytes: z._default(positiveInt, DEFAULT_MAX_BODY_BYTES),
  /** Series kept for metrics other processes post over OTLP. Default 10,000. */
  maxExternalSeries: z._default(positiveInt, DEFAULT_MAX_EXTERNAL_SERIES),
  /** Estimated bytes those series may take (names, labels, buckets); past it, new series are dropped and counted. Default 16 MiB. */
  maxExternalBytes: z._default(z.int().check(z.minimum(64 * 1024)), DEFAULT_MAX_EXTERNAL_BYTES),
  /**
   * Origins (besides the viewer's own and any loopback `http://` origin) whose pages may post
   * beacons and OTLP to the viewer. They can never read the stream. Default none.
   */
  allowedOrigins: z._default(z.array(originSchema), []),
  /** Scrub secrets and PII from records with core's redactor before they are shown. Default true. */
  redact: z._default(z.boolean(), true),
  /** Where problems are reported. Default: the process-wide diagnostics. */
  diagnostics: z.optional(diagnosticsLike),
  /** Throw `LookoutConfigError` on invalid options instead of using defaults. */
  strict: z.optional(z.boolean()),
});

/** Options of `startViewer()`. */
export type ViewerOptions = z.input<typeof viewerOptionsSchema>;
/** Options after validation and defaults. */
export type ResolvedViewerOptions = z.output<typeof viewerOptionsSchema>;

/**
 * Validates viewer options with core's `resolveOptions`: each invalid field gets one diagnostic
 * naming its path and its default; `strict: true` throws `LookoutConfigError` instead.
 */
export function resolveViewerOptions(input: unknown, diagnostics?: Diagnostics): ResolveResult<ResolvedViewerOptions> {
  const diag = diagnostics ?? pickDiagnostics(input);
  return resolveOptions(viewerOptionsSchema, input, { component: 'startViewer', diagnostics: diag });
}

function pickDiagnostics(input: unknown): Diagnostics | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  try {
    const d = (input as { diagnostics?: unknown }).diagnostics;
    return diagnosticsLike.safeParse(d).success ? (d as Diagnostics) : undefined;
  } catch {
    return undefined;
  }
}
