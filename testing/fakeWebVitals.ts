// A stand-in for the `web-vitals` package in unit tests, which run in Node without a page:
// `vi.mock('web-vitals', () => import('<path>/testing/fakeWebVitals.js'))`, then report metrics by
// hand through the callbacks kept here. The real package runs in the Chromium tests.

/** What the code under test subscribed: the callback per metric name, and each call in order. */
export const webVitals = {
  callbacks: new Map<string, (metric: Record<string, unknown>) => void>(),
  subscribed: [] as Array<{ name: string; options: unknown }>,
};

const on = (name: string) => (callback: (metric: Record<string, unknown>) => void, options?: unknown) => {
  webVitals.callbacks.set(name, callback);
  webVitals.subscribed.push({ name, options });
};

export const onCLS = on('CLS');
export const onFCP = on('FCP');
export const onINP = on('INP');
export const onLCP = on('LCP');
export const onTTFB = on('TTFB');
