// Core Web Vitals through `web-vitals` (its standard build). `@lookout/web-vitals/attribution`
// is the same collector on the attribution build, for pages that want to know why.
export { createWebVitalsCollector } from './createWebVitalsCollector.js';
export {
  readWebVitalsOptions,
  WEB_VITALS_FIELD_CHECKS,
  VITAL_NAMES,
  DEFAULT_BUDGETS,
  DEFAULT_FCP_BUDGET_MS,
  DEFAULT_LCP_BUDGET_MS,
  DEFAULT_CLS_BUDGET,
  DEFAULT_INP_BUDGET_MS,
  DEFAULT_VITAL_EVENT_NAME,
  DEFAULT_SOFT_NAVIGATION_EVENT_NAME,
  DEFAULT_MAX_ATTRIBUTION_LENGTH,
  MAX_ROUTE_LENGTH,
  MAX_LANDING_URL_LENGTH,
} from './config.js';
export type { ResolvedWebVitalsOptions } from './config.js';
export { PAINT_BUCKETS_S, INP_BUCKETS_S, TTFB_BUCKETS_S, CLS_BUCKETS } from './collector/buckets.js';
export { routeFromPath, UNKNOWN_ROUTE } from './collector/route.js';
export { toEventProperties } from './collector/createCollector.js';
export type {
  VitalName,
  RequestedVital,
  VitalRating,
  VitalReport,
  BudgetBreach,
  VitalBudgets,
  VitalsEventSink,
  SoftNavigation,
  AttributionSummary,
  WebVitalsOptions,
  WebVitalsCollector,
} from './types.js';
