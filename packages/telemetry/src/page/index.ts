// The lean event client for pages: a few KB, no zod, persistence and self-metrics on demand.
// The full client (`@lookout/telemetry/browser`) stays for apps that want every option.
export {
  createPageClient,
  DEFAULT_PAGE_MAX_QUEUE_EVENTS,
  DEFAULT_PAGE_MAX_BATCH_EVENTS,
  MAX_PAGE_EVENT_NAME_LENGTH,
  MAX_PAGE_PROPERTY_DEPTH,
  PAGE_DROP_REASONS,
} from './createPageClient.js';
export type { PageClient, PageClientOptions, PageClientStats, PageDropReason } from './types.js';
export type { ConsentState, TelemetryEvent } from '../types.js';
