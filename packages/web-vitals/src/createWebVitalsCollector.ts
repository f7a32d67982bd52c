import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { createCollector } from './collector/createCollector.js';
import type { VitalsSource } from './collector/createCollector.js';
import type { WebVitalsCollector, WebVitalsOptions } from './types.js';

/**
 * Starts collecting CLS, INP, LCP, FCP and TTFB through `web-vitals` (standard build, about
 * 3.3 KB gzip). Each report carries value, delta, rating, navigation type and a route label, is
 * checked against its budget (`onBudgetExceeded` fires once per metric instance over budget),
 * is sent as a `web_vital` event through `options.telemetry` (a `@lookout/telemetry` browser
 * client flushes it when the page is hidden, inside the page's shared beacon budget) and, when
 * `options.registry` is given, recorded in histograms.
 *
 * `web-vitals` reports TTFB and FCP soon after load; LCP at the first input or when the page is
 * hidden; CLS and INP when the page is hidden (INP only after an interaction). Call once per
 * page. Never throws (unless `strict: true` and the options are invalid); outside a browser it
 * collects nothing.
 */
export function createWebVitalsCollector(options?: WebVitalsOptions): WebVitalsCollector {
  const source: VitalsSource = { onCLS, onFCP, onINP, onLCP, onTTFB };
  return createCollector(source, options);
}
