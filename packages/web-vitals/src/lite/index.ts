// Core Web Vitals for `@lookout/browser/lite`: web-vitals' reports as `web_vital` event
// properties, with budgets and route labels, without the collector's option checks, histograms,
// attribution and soft-navigation timing.
export { startLiteVitals } from './startLiteVitals.js';
export { routeFromPath, cleanRoute, UNKNOWN_ROUTE } from '../collector/route.js';
export { softNavigationSupport, unlessSoftNavigation, SOFT_NAVIGATION_WAIT_MS } from '../collector/softNavigationSupport.js';
export { BUDGETS_CHECK } from '../budgetsCheck.js';
export { DEFAULT_BUDGETS, DEFAULT_VITAL_EVENT_NAME, DEFAULT_SOFT_NAVIGATION_EVENT_NAME } from '../constants.js';
export type { LiteVitalsOptions } from './types.js';
export type { BudgetBreach, VitalBudgets, VitalName, VitalRating } from '../types.js';
