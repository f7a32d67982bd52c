import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals/attribution';
import { createCollector } from '../collector/createCollector.js';
import type { VitalsSource } from '../collector/createCollector.js';
import type { WebVitalsCollector, WebVitalsOptions } from '../types.js';
import { summariseAttribution } from './summarise.js';

/**
 * `createWebVitalsCollector` of `@lookout/web-vitals` on the attribution build of `web-vitals`:
 * every report also carries a bounded summary of why the value is what it is (the element, the
 * phases of LCP and INP, the load state; see `summariseAttribution`), sent as `attribution.*`
 * event properties. Import this entry instead of the root one; a page should use only one.
 */
export function createWebVitalsCollector(options?: WebVitalsOptions): WebVitalsCollector {
  const source: VitalsSource = { onCLS, onFCP, onINP, onLCP, onTTFB, summarise: summariseAttribution };
  return createCollector(source, options);
}
