// The event client of `@lookout/browser/lite`: batches, retries and page-hide delivery of OTLP/HTTP
// logs in about 2 KB gzip, without the page client's sampling, beforeSend, persistence or metrics.
export { createLiteClient, LITE_DROP_REASONS } from './createLiteClient.js';
export type { LiteClient, LiteClientOptions, LiteStats, LiteDropReason } from './types.js';
export type { ConsentState, TelemetryEvent } from '../types.js';
