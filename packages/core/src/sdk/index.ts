export { startMetricsSdk, DEFAULT_OTLP_METRICS_ENDPOINT } from './startMetricsSdk.js';
export type { MetricsSdk } from './startMetricsSdk.js';
export { metricsSdkOptionsSchema } from './options.js';
export type { MetricsSdkOptions, ResolvedMetricsSdkOptions } from './options.js';
export { createOtelMetricProducer, LOOKOUT_SCOPE } from './producer.js';
export { parseOtelEnv, processEnv } from './env.js';
export { createMetricsResource } from './resource.js';
export type { ResourceOptions } from './resource.js';
export type { OtelEnvConfig, Env } from './env.js';
