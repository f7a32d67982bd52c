// The example page's "shop": a slow button (INP), a late banner (CLS), a broken button (an
// uncaught error), a failed request (an unhandled rejection) and an SPA route change. Both entry
// scripts (main.ts on @lookout/browser, lite.ts on @lookout/browser/lite) wire it the same way.

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

/** The page's query parameters (`endpoint`, `consent`, `optout`, `sentry`). */
export const params = new URLSearchParams(page.location.search);

/** What the shop calls: the module-level functions of either entry. */
export interface ShopMonitoring {
  track(name: string, properties?: Record<string, unknown>): unknown;
  setRoute(route: string): void;
}

/** Wires the buttons and exposes `exampleApp` (with `monitoring`, the handle of `initMonitoring`) for the test and the console. */
export function openShop(lookout: ShopMonitoring, monitoring: unknown): void {
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
    lookout.track('add_to_cart', { sku: 'A-1' });
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
    lookout.setRoute('/checkout');
  });

  const app = {
    monitoring,
    /** Set a task after init: web vitals start in the task after `initMonitoring`, so they run by then. */
    ready: false,
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
      lookout.setRoute(route);
    },
  };
  setTimeout(() => (app.ready = true), 0);
  page.exampleApp = app;
}
