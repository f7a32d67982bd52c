// The collector's defaults, apart from config.ts so that code which only needs them (route
// labels, @lookout/browser/lite) loads no option checks.
import type { VitalName } from './types.js';

/** Every metric, in reporting order. */
export const VITAL_NAMES: readonly VitalName[] = ['TTFB', 'FCP', 'LCP', 'CLS', 'INP'];
/** Default FCP budget: 2.0 s. */
export const DEFAULT_FCP_BUDGET_MS = 2000;
/** Default LCP budget: 3.0 s. */
export const DEFAULT_LCP_BUDGET_MS = 3000;
/** Default CLS budget (unitless). */
export const DEFAULT_CLS_BUDGET = 0.1;
/** Default INP budget: 200 ms. */
export const DEFAULT_INP_BUDGET_MS = 200;
/** Default budgets; TTFB has none unless the host sets one. */
export const DEFAULT_BUDGETS: Readonly<Partial<Record<VitalName, number>>> = /* @__PURE__ */ Object.freeze({
  FCP: DEFAULT_FCP_BUDGET_MS,
  LCP: DEFAULT_LCP_BUDGET_MS,
  CLS: DEFAULT_CLS_BUDGET,
  INP: DEFAULT_INP_BUDGET_MS,
});
/** Default name of report events. */
export const DEFAULT_VITAL_EVENT_NAME = 'web_vital';
/** Default name of router-driven soft navigation events. */
export const DEFAULT_SOFT_NAVIGATION_EVENT_NAME = 'soft_navigation';
/** Default longest attribution text, in characters. */
export const DEFAULT_MAX_ATTRIBUTION_LENGTH = 100;
/** Longest `landingUrl`, in characters. */
export const MAX_LANDING_URL_LENGTH = 8192;
/** Longest route label, in characters. */
export const MAX_ROUTE_LENGTH = 128;
