interface PageGlobals {
  PerformanceObserver?: { supportedEntryTypes?: readonly string[] } & (new (callback: (list: { getEntries(): Array<{ name: string; startTime: number }> }) => void) => { observe(options: object): void; disconnect(): void });
  PerformanceSoftNavigation?: { prototype?: { getLargestInteractionContentfulPaint?: unknown } };
}

/** How long `setRoute()` waits for the browser's own report of a soft navigation before it sends the router-driven event. */
export const SOFT_NAVIGATION_WAIT_MS = 1000;

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

/**
 * Runs `missed` once, unless the browser reports (with a `soft-navigation` entry) a soft
 * navigation to the path `path` that started at `since` (a `performance.now()` time) or later,
 * before or within {@link SOFT_NAVIGATION_WAIT_MS}. Chromium reports only URL changes that follow
 * a user interaction: a router navigation on a timer, a websocket message or at boot gets no
 * entry, and `missed` sends the router-driven event for it. Never throws.
 */
export function unlessSoftNavigation(path: string, since: number, missed: () => void): void {
  try {
    const observer = new (globalThis as PageGlobals).PerformanceObserver!((list) => {
      for (const entry of list.getEntries()) if (entry.startTime >= since && new URL(entry.name).pathname == path) clearTimeout(timer), observer.disconnect();
    });
    // Buffered: a router that names the route late (after the paint) comes after the entry.
    observer.observe({ type: 'soft-navigation', buffered: true });
    const timer = setTimeout(() => (observer.disconnect(), missed()), SOFT_NAVIGATION_WAIT_MS);
  } catch {
    // No observer: the router-driven event it is.
    missed();
  }
}
