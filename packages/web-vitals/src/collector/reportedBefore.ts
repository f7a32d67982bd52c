// Page-wide: which caller reported each navigation metric of the current document (page load),
// across collectors. Made on first use, never at import.
let seen: [document: object, by: Record<string, unknown>] | undefined;

/**
 * Whether `metric` is a TTFB, FCP or LCP of the page load that another collector (`by`: any
 * value that stands for the caller) of this document already reported; otherwise marks it as
 * reported by `by`. A page load's navigation metrics are reported once, whatever re-inits
 * happen: a collector started after another was stopped (`shutdown()` then `initMonitoring()`)
 * gets them again from web-vitals, rebuilt from the buffered entries under new ids. CLS and INP
 * are not affected (a stopped collector's instances are never reported again), nor are the
 * instances of soft navigations and bfcache restores.
 */
export function reportedBefore(metric: { name: string; navigationType?: string }, by: unknown): boolean {
  const doc = (globalThis as { document?: object }).document;
  if (!doc || !'TFL'.includes(metric.name[0]!) || /soft|cache|restore/.test(metric.navigationType!)) return false;
  if (seen?.[0] !== doc) seen = [doc, {}];
  return (seen[1][metric.name] ??= by) !== by;
}
