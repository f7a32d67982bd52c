export { createPrometheusHandler } from './handler.js';
export type { ScrapeRequest, ScrapeResponse, PrometheusHandlerOptions } from './handler.js';
export { startPrometheusServer } from './server.js';
export type { PrometheusServer } from './server.js';
export { pushToGateway, deleteFromGateway } from './pushgateway.js';
export type { PushResult } from './pushgateway.js';
export {
  prometheusServerOptionsSchema,
  pushOptionsSchema,
  DEFAULT_PROMETHEUS_HOST,
  DEFAULT_PROMETHEUS_PORT,
  DEFAULT_PROMETHEUS_PATH,
  DEFAULT_PUSH_TIMEOUT_MS,
} from './options.js';
export type { PrometheusServerOptions, PushOptions } from './options.js';
export { renderPrometheus, PROMETHEUS_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE } from '../exposition/renderPrometheus.js';
