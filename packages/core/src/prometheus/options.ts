import * as z from 'zod/mini';
import { headersSchema, httpUrlSchema, portSchema, positiveIntSchema, registryLikeSchema } from '../config/schemas.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';

export const DEFAULT_PROMETHEUS_HOST = '127.0.0.1';
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_PROMETHEUS_PATH = '/metrics';
export const DEFAULT_PUSH_TIMEOUT_MS = 5_000;

export const prometheusServerOptionsSchema = z.strictObject({
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  host: z._default(z.string().check(z.minLength(1)), DEFAULT_PROMETHEUS_HOST),
  /** Port; 0 picks a free one. Default 9464 (OpenTelemetry's Prometheus exporter port). */
  port: z._default(portSchema, DEFAULT_PROMETHEUS_PORT),
  /** Path served. Default `/metrics`. */
  path: z._default(z.string().check(z.startsWith('/')), DEFAULT_PROMETHEUS_PATH),
  /** Offer OpenMetrics (with exemplars) to scrapers that ask for it. Default true. */
  openMetrics: z._default(z.boolean(), true),
  registry: z.optional(registryLikeSchema),
  strict: z.optional(z.boolean()),
});
export type PrometheusServerOptions = z.input<typeof prometheusServerOptionsSchema> & { registry?: MetricsRegistry };

const labelNameSchema = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Prometheus label name'));

export const pushOptionsSchema = z.strictObject({
  /** Pushgateway base URL, e.g. `http://127.0.0.1:9091`. */
  url: httpUrlSchema,
  /** The `job` grouping label. */
  job: z.string().check(z.minLength(1)),
  /** More grouping labels, e.g. `{ instance: 'ci-42' }`. */
  groupingLabels: z._default(z.record(labelNameSchema, z.string()), {}),
  /** `PUT` replaces the whole group (default); `POST` replaces only the pushed metric families. */
  method: z._default(z.enum(['PUT', 'POST']), 'PUT'),
  timeoutMs: z._default(positiveIntSchema, DEFAULT_PUSH_TIMEOUT_MS),
  headers: z._default(headersSchema, {}),
  registry: z.optional(registryLikeSchema),
  strict: z.optional(z.boolean()),
});
export type PushOptions = z.input<typeof pushOptionsSchema> & { registry?: MetricsRegistry };
