// initMonitoring() for web apps: events, errors and web vitals through one event client.
export { initMonitoring, getMonitoring, resetMonitoringForTests } from './init/initMonitoring.js';
export { track, trackDownload, captureException, captureMessage, setRoute, identify, optIn, optOut, flush, shutdown } from './init/api.js';
export {
  readMonitoringOptions,
  MONITORING_FIELD_CHECKS,
  DEFAULT_SERVICE_NAME,
  MAX_PENDING_CALLS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DOWNLOAD_EVENT_NAME,
  ERROR_EVENT_NAME,
} from './config.js';
export type { ResolvedMonitoringOptions } from './config.js';
export { createErrorEventSink, formatStack, MAX_EVENT_STACK_FRAMES, MAX_EVENT_STACK_LENGTH } from './errors/eventSink.js';
export { MAX_RECORDS_BEFORE_SENTRY } from './errors/lazySentrySink.js';
export type {
  Monitoring,
  MonitoringOptions,
  MonitoringWebVitalsOptions,
  MonitoringErrorOptions,
  MonitoringSentryOptions,
  MonitoringTelemetryOptions,
} from './types.js';
