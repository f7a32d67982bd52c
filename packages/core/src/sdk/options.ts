import * as z from 'zod/mini';
import { headersSchema, httpUrlSchema, positiveIntSchema, profileSchema, registryLikeSchema } from '../config/schemas.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';

const otlpSchema = z.strictObject({
  /** Full metrics URL, e.g. `http://127.0.0.1:4318/v1/metrics`. Default: OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT, else `http://localhost:4318/v1/metrics`. */
  endpoint: z.optional(httpUrlSchema),
  /** `http/protobuf` (default) or `http/json`. */
  protocol: z.optional(z.enum(['http/protobuf', 'http/json'])),
  /** Extra headers (auth). Never logged. */
  headers: z.optional(headersSchema),
  /** Export interval; default from the profile (production: 60 s). */
  intervalMs: z.optional(positiveIntSchema),
  /** Per-export timeout; default from the profile. */
  timeoutMs: z.optional(positiveIntSchema),
});

export const metricsSdkOptionsSchema = z.strictObject({
  /** `service.name`. Default: `resourceAttributes['service.name']`, else OTEL_SERVICE_NAME, else `service.name` in OTEL_RESOURCE_ATTRIBUTES, else OpenTelemetry's default `unknown_service:<process.argv0>`. */
  serviceName: z.optional(z.string().check(z.minLength(1))),
  /** `service.version`. */
  serviceVersion: z.optional(z.string()),
  /** `deployment.environment.name`. */
  environment: z.optional(z.string()),
  /** More resource attributes; they override OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, which fill in what is not given here. */
  resourceAttributes: z.optional(z.record(z.string(), z.string())),
  /** development / staging / production: picks export interval and timeout defaults. Default production. */
  profile: z.optional(profileSchema),
  /** Registry to export. Default: the default registry. */
  registry: z.optional(registryLikeSchema),
  /** Push OTLP/HTTP: `true` for the environment's settings, or explicit ones. */
  otlp: z.optional(z.union([z.boolean(), otlpSchema])),
  /** Print metrics to the console at the export interval. */
  console: z.optional(z.boolean()),
  /** Keep exported metrics in memory (tests): read them with `sdk.memoryMetrics()`. */
  memory: z.optional(z.boolean()),
  /** Register the MeterProvider as OpenTelemetry's global one. Default false: the host's globals are left alone. */
  registerGlobal: z.optional(z.boolean()),
  /** Attach the active span's trace and span ids to histogram exemplars. Default true. */
  exemplars: z.optional(z.boolean()),
  /** Environment to read OTEL_* from. Default: `process.env` where it exists. */
  env: z.optional(z.record(z.string(), z.optional(z.string()))),
  strict: z.optional(z.boolean()),
});

export type MetricsSdkOptions = Omit<z.input<typeof metricsSdkOptionsSchema>, 'registry'> & { registry?: MetricsRegistry };
export type ResolvedMetricsSdkOptions = z.output<typeof metricsSdkOptionsSchema>;
