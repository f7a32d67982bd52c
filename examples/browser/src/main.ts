// The example page's script. Everything Lookout needs is the initMonitoring() call; the rest is a
// tiny "shop" page with things to measure: a slow button (INP), a late banner (CLS), a broken
// button (an uncaught error), a failed request (an unhandled rejection) and an SPA route change.
import { initMonitoring, setRoute, track, trackDownload } from '@lookout/browser';

// The parts of the page used here (the workspace typechecks without DOM types).
interface El {
  textContent: string | null;
  style: Record<string, string>;
  addEventListener(type: string, listener: () => void): void;
  insertBefore(node: El, child: El | null): void;
  firstChild: El | null;
}
interface Page {
  location: { search: string };
  document: { getElementById(id: string): El | null; createElement(tag: string): El; body: El };
  history: { pushState(state: unknown, title: string, url: string): void };
  performance: { now(): number };
  exampleApp?: unknown;
}
const page = globalThis as unknown as Page;
const params = new URLSearchParams(page.location.search);

// Called before init: queued, then replayed by initMonitoring.
track('page_opened', { referrer: 'example' });

const monitoring = initMonitoring({
  serviceName: 'example-shop',
  serviceVersion: '1.4.2',
  environment: 'example',
  endpoint: params.get('endpoint') ?? 'http://127.0.0.1:4318/v1/logs',
  consent: (params.get('consent') as 'granted' | 'pending' | 'denied' | null) ?? 'granted',
  telemetry: { flushIntervalMs: 60_000 },
  // Errors also go to Sentry when a DSN is given (`?sentry=<dsn>`); @sentry/browser is loaded only then.
  ...(params.get('sentry') === null ? {} : { sentry: { dsn: params.get('sentry') as string, environment: 'example', release: 'example-shop@1.4.2' } }),
});
if (params.get('optout') === '1') monitoring.optOut();

trackDownload('linux', 'deb', '2.1.0');

const byId = (id: string): El => {
  const el = page.document.getElementById(id);
  if (el === null) throw new Error(`#${id} missing`);
  return el;
};

// Runs about 120 ms on the main thread: a poor interaction for INP.
byId('slow').addEventListener('click', () => {
  const until = page.performance.now() + 120;
  while (page.performance.now() < until) {
    // busy: a heavy click handler
  }
  byId('slow').textContent = 'Added to cart';
  track('add_to_cart', { sku: 'A-1' });
});

byId('broken').addEventListener('click', () => {
  const cart = undefined as unknown as { items: unknown[] };
  byId('count').textContent = String(cart.items.length);
});

byId('reject').addEventListener('click', () => {
  void Promise.reject(new Error('checkout request failed'));
});

// A link handled by the "router": new content, a new URL, a named route (a soft navigation).
byId('next').addEventListener('click', () => {
  byId('title').textContent = 'Checkout';
  byId('intro').textContent = 'Review your order and pay. This text replaces the product page, as a router would render the next view.';
  page.history.pushState(null, '', '/checkout/777');
  setRoute('/checkout');
});

// For the test and for people poking at the page from the console.
page.exampleApp = {
  monitoring,
  /** A banner that arrives late and pushes the content down (a layout shift without input). */
  shiftLayout() {
    const banner = page.document.createElement('div');
    banner.textContent = 'Free shipping this week!';
    banner.style['height'] = '240px';
    banner.style['background'] = '#fc0';
    page.document.body.insertBefore(banner, page.document.body.firstChild);
  },
  /** An SPA navigation: the router updates the URL and names the route. */
  navigate(path: string, route: string) {
    page.history.pushState(null, '', path);
    setRoute(route);
  },
};
