// @lookout/node: one call for Node servers and CLIs.
export { initMonitoring, getMonitoring, resetMonitoringForTests } from './init/initMonitoring.js';
export {
  resolveNodeOptions,
  nodeOptionsSchema,
  DEFAULT_EXIT_DEADLINE_MS,
  MAX_EXIT_DEADLINE_MS,
  DEFAULT_PROMETHEUS_HOST,
  DEFAULT_PROMETHEUS_PORT,
  DEFAULT_PROMETHEUS_PATH,
  DEFAULT_EVENT_LOOP_RESOLUTION_MS,
  DEFAULT_WORKER_INTERVAL_MS,
  DEFAULT_PUSH_TIMEOUT_MS,
  DEFAULT_SPOOL_MAX_BYTES,
  DEFAULT_NAMESPACE,
} from './config.js';
export type { ResolvedNodeOptions } from './config.js';
export { readEnvOptions, LOOKOUT_ENV_VARS } from './env/readEnv.js';
export { createRuntimeMetrics, GC_DURATION_BUCKETS_S } from './runtime/createRuntimeMetrics.js';
export type { RuntimeMetrics, RuntimeMetricsConfig } from './runtime/createRuntimeMetrics.js';
export { snappyEncode } from './exporters/snappy.js';
export { encodeWriteRequest } from './exporters/writeRequest.js';
export type { RemoteWriteSeries, RemoteWriteMetadata } from './exporters/writeRequest.js';
export { createRemoteWriter, expositionToWriteRequest, REMOTE_WRITE_HEADERS } from './exporters/createRemoteWriter.js';
export type { RemoteWriter, RemoteWriterOptions, PushOutcome } from './exporters/createRemoteWriter.js';
export { parseExposition, mergeExpositions } from './exposition/parseExposition.js';
export type { ExpositionFamily, ExpositionSample, ExpositionSource } from './exposition/parseExposition.js';
export { createPayloadSpool } from './spool/createPayloadSpool.js';
export type { PayloadSpool, SpooledPayload } from './spool/createPayloadSpool.js';
export { workerRole, WORKER_CHANNEL, IPC_MESSAGE_TYPE } from './workers/createWorkerAggregation.js';
export type { WorkerRole } from './workers/createWorkerAggregation.js';
export type {
  NodeMonitoringOptions,
  Monitoring,
  MonitoringFlushResult,
  ReconfigureOptions,
  MetricsOptions,
  PrometheusEndpointOptions,
  PushgatewayOptions,
  RemoteWriteOptions,
  OtlpMetricsOptions,
  RuntimeMetricsOptions,
  WorkersOptions,
  SpoolOptions,
  ExitOptions,
  NodeErrorsOptions,
  NodeSecurityOptions,
} from './types.js';
