// The collector on the `web-vitals/attribution` build (about 5.7 KB gzip instead of 3.3 KB):
// same API as `@lookout/web-vitals`, plus a bounded attribution summary on every report.
export { createWebVitalsCollector } from './createWebVitalsCollector.js';
export { summariseAttribution } from './summarise.js';
