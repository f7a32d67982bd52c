interface PageGlobals {
  PerformanceObserver?: { supportedEntryTypes?: readonly string[] };
  PerformanceSoftNavigation?: { prototype?: { getLargestInteractionContentfulPaint?: unknown } };
}

/**
 * Whether this browser reports soft navigations to `web-vitals` (the Soft Navigation API with
 * the interaction-contentful-paint method `web-vitals` 6 reads). Where it does, vitals are
 * reported per soft navigation and no router-driven `soft_navigation` event is needed. Read at
 * call time; `false` outside a page.
 */
export function softNavigationSupport(): boolean {
  const g = globalThis as PageGlobals;
  const entryTypes = g.PerformanceObserver?.supportedEntryTypes;
  return Array.isArray(entryTypes) && entryTypes.includes('soft-navigation') && typeof g.PerformanceSoftNavigation?.prototype?.getLargestInteractionContentfulPaint === 'function';
}
