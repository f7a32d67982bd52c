/**
 * The URL of the navigation `metric` belongs to, when it tells where the metric was measured. A
 * view restored from the bfcache (or after a discard) is measured where the page is now: web-vitals
 * gives it the URL of the original hard navigation, which an SPA may have left long ago.
 */
export function urlOf(metric: { navigationType?: string; navigationURL?: string }): string | undefined {
  // `back-forward-cache` and `restore` (the other types: navigate, reload, back-forward, prerender, soft-navigation).
  return /cache|restore/.test(metric.navigationType!) ? undefined : metric.navigationURL;
}
