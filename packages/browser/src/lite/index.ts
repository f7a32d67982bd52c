// @lookout/browser/lite: initMonitoring() for pages where every kilobyte counts: usage events,
// errors and Core Web Vitals as the same OTLP log records as `@lookout/browser`, batched, retried
// and sent at page hide, without its persistence, sampling, beforeSend, breadcrumbs, parsed
// stacks, metrics registry, attribution or Sentry forwarding.
export { initMonitoring, getMonitoring, resetLiteMonitoringForTests, LITE_FIELD_CHECKS, DEFAULT_LITE_ERRORS_PER_MINUTE } from './initMonitoring.js';
export { track, trackDownload, captureException, setRoute, identify, optIn, optOut, flush, shutdown } from './api.js';
export type { LiteMonitoring, LiteMonitoringOptions, LiteErrorOptions } from './types.js';
export type { LiteStats, LiteDropReason } from '@lookout/telemetry/lite';
export type { LiteVitalsOptions } from '@lookout/web-vitals/lite';
