// The lean event client for pages: a few KB, no zod, persistence and self-metrics on demand.
// The full client (`@lookout/telemetry/browser`) stays for apps that want every option.
export { DEFAULT_PAGE_MAX_QUEUE_EVENTS, DEFAULT_PAGE_MAX_BATCH_EVENTS } from '../constants.js';
export {
  createPageClient,
  MAX_PAGE_EVENT_NAME_LENGTH,
  MAX_PAGE_PROPERTY_DEPTH,
  PAGE_DROP_REASONS,
} from './createPageClient.js';
// The hand-written OTLP/HTTP JSON logs encoder the page client uses (also `@lookout/browser/lite`'s).
export { createOtlpJsonEncoder } from '../encoding/otlpJson.js';
export type { PageClient, PageClientOptions, PageClientStats, PageDropReason } from './types.js';
export type { ConsentState, TelemetryEvent } from '../types.js';
