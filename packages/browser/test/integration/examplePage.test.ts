// The example page (examples/browser), built with esbuild from the packages and served on
// 127.0.0.1, driven by playwright-core in Debian's Chromium; events go to a real HTTP receiver on
// another port (cross-origin, as in production). The page runs on `@lookout/browser` and, with
// `lite=1`, on `@lookout/browser/lite`: both must deliver the same events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, startHttpReceiver } from '../../../../testing/backends.js';
import type { HttpReceiverHandle } from '../../../../testing/backends.js';
import { serveExample } from '../../../../examples/browser/server.js';
import type { ExampleSite } from '../../../../examples/browser/server.js';
import { gunzipSync } from 'node:zlib';
import { parseEnvelope } from '../helpers/envelope.js';
import { allEvents } from '../helpers/otlpJson.js';
import type { ReceivedEvent } from '../helpers/otlpJson.js';

interface Stats {
  dropped: Record<string, number>;
  queued: number;
}
interface ExampleApp {
  ready: boolean;
  shiftLayout(): void;
  navigate(path: string, route: string): void;
  // `@lookout/browser`'s handle has `vitals` and `telemetry`; the lite one has `stats`.
  monitoring: { vitals?: { softNavigationSupport: boolean }; telemetry?: { stats: Stats }; stats?: Stats };
}
declare const exampleApp: ExampleApp;

let browser: Browser;
let site: ExampleSite;
let receiver: HttpReceiverHandle;

beforeAll(async () => {
  [site, receiver, browser] = await Promise.all([
    serveExample(),
    startHttpReceiver(),
    chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await site?.close();
});

/** Opens the example page at /products/12345 with `query`; the receiver is its endpoint. */
async function openPage(query = ''): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${site.url}/products/12345?endpoint=${encodeURIComponent(`${receiver.url}/v1/logs`)}${query}`);
  // Vitals start a task after init: wait for them, so clicks are never made before the collectors run.
  await page.waitForFunction(() => typeof exampleApp === 'object' && exampleApp.ready);
  return { page, close: () => context.close() };
}

const countBy = (events: ReceivedEvent[], key: (e: ReceivedEvent) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const e of events) out[key(e)] = (out[key(e)] ?? 0) + 1;
  return out;
};

describe.each([
  ['@lookout/browser', ''],
  ['@lookout/browser/lite', '&lite=1'],
])('%s example page (headless Chromium)', (_entry, tier) => {
  const lite = tier !== '';
  describe('initMonitoring', () => {
    it('should deliver FCP, LCP, TTFB, CLS and INP with ratings and routes, errors with stacks and tracked events, each exactly once', async () => {
      receiver.clear();
      const { page, close } = await openPage(tier);
      expect(await page.locator('script').first().getAttribute('src')).toBe(lite ? '/lite.js' : '/app.js');
      // INP: a click on a handler that runs about 120 ms; LCP is final at the first input.
      await page.click('#slow');
      // CLS: a late banner pushes the content down, with no input before it.
      await page.waitForTimeout(600);
      await page.evaluate(() => exampleApp.shiftLayout());
      // An uncaught error and an unhandled rejection.
      await page.click('#broken');
      await page.click('#reject');
      await page.waitForTimeout(1000);
      // Whether this Chromium reports soft navigations to web-vitals (both tiers then let it).
      const softNavs = await page.evaluate(() => {
        const g = globalThis as { PerformanceObserver?: { supportedEntryTypes?: string[] }; PerformanceSoftNavigation?: { prototype?: { getLargestInteractionContentfulPaint?: unknown } } };
        return !!g.PerformanceObserver?.supportedEntryTypes?.includes('soft-navigation') && typeof g.PerformanceSoftNavigation?.prototype?.getLargestInteractionContentfulPaint === 'function';
      });
      if (!lite) expect(await page.evaluate(() => exampleApp.monitoring.vitals?.softNavigationSupport)).toBe(softNavs);
      await page.click('#next');
      await page.waitForTimeout(1000);
      // Closing fires pagehide, then visibilitychange to hidden: CLS and INP are reported then.
      await page.close({ runBeforeUnload: true });
      await receiver.waitFor(() => allEvents(receiver.requests).some((e) => e.name === 'web_vital' && e.attributes['metric'] === 'INP'), 10_000);
      await new Promise((r) => setTimeout(r, 500));
      await close();

      const events = allEvents(receiver.requests);
      if (process.env['LOOKOUT_DEBUG_EVENTS'] === '1') console.log(softNavs, JSON.stringify(events.map((e) => [e.name, e.attributes]), null, 1));
      const vitals = events.filter((e) => e.name === 'web_vital');
      const hard = vitals.filter((e) => e.attributes['navigation_type'] === 'navigate');
      expect(countBy(hard, (e) => String(e.attributes['metric']))).toEqual({ TTFB: 1, FCP: 1, LCP: 1, CLS: 1, INP: 1 });
      for (const v of vitals) {
        expect(['good', 'needs-improvement', 'poor']).toContain(v.attributes['rating']);
        expect(typeof v.attributes['value']).toBe('number');
        expect(v.resource['service.name']).toBe('example-shop');
      }
      const byMetric = Object.fromEntries(hard.map((v) => [v.attributes['metric'], v.attributes]));
      // Every metric of the page load carries the landing route, the id in its path folded into the
      // label, even CLS and INP, which are reported after the SPA moved on.
      for (const metric of ['TTFB', 'FCP', 'LCP', 'CLS', 'INP']) expect(byMetric[metric]?.['route']).toBe('/products/:id');
      expect(byMetric['CLS']?.['value'] as number).toBeGreaterThan(0);
      expect(byMetric['INP']?.['value'] as number).toBeGreaterThanOrEqual(100);
      // Each report says whether it broke its budget (CLS 0.1, INP 200 ms by default).
      expect(byMetric['CLS']?.['budget']).toBe(0.1);
      expect(byMetric['CLS']?.['over_budget']).toBe((byMetric['CLS']?.['value'] as number) > 0.1);
      expect(byMetric['INP']?.['budget']).toBe(200);

      // The SPA navigation: reported by the browser where it supports soft navigations (this
      // Chromium does), with the route the router named; elsewhere by the router signal.
      const soft = vitals.filter((e) => e.attributes['navigation_type'] === 'soft-navigation');
      const navs = events.filter((e) => e.name === 'soft_navigation');
      if (softNavs) {
        expect(navs).toHaveLength(0);
        const perMetric = countBy(soft, (e) => String(e.attributes['metric']));
        expect(perMetric['LCP']).toBe(1);
        for (const n of Object.values(perMetric)) expect(n).toBe(1);
        for (const v of soft) expect(v.attributes['route']).toBe('/checkout');
      } else {
        expect(soft).toHaveLength(0);
        expect(navs.map((e) => [e.attributes['from'], e.attributes['to'], e.attributes['source']])).toEqual([['/products/:id', '/checkout', 'router']]);
      }

      const errors = events.filter((e) => e.name === 'error');
      expect(countBy(errors, (e) => String(e.attributes['mechanism']))).toEqual({ onerror: 1, unhandledRejection: 1 });
      const uncaught = errors.find((e) => e.attributes['mechanism'] === 'onerror')?.attributes;
      expect(uncaught?.['type']).toBe('TypeError');
      expect(uncaught?.['stack']).toMatch(/^TypeError: .*items/);
      expect(uncaught?.['stack']).toMatch(lite ? /\n {4}at .*lite\.js:\d+:\d+/ : /\n {4}at .*app\.js:\d+:\d+/);
      expect(uncaught?.['route']).toBe('/products/:id');
      const rejected = errors.find((e) => e.attributes['mechanism'] === 'unhandledRejection')?.attributes;
      expect(rejected?.['message']).toBe('checkout request failed');
      expect(rejected?.['stack']).toMatch(/\n {4}at /);

      const tracked = events.filter((e) => e.name !== 'web_vital' && e.name !== 'error' && e.name !== 'soft_navigation');
      expect(countBy(tracked, (e) => e.name)).toEqual({ page_opened: 1, download: 1, add_to_cart: 1 });
      expect(tracked.find((e) => e.name === 'download')?.attributes).toMatchObject({ platform: 'linux', method: 'deb', version: '2.1.0' });

      // Exactly once: no event id twice.
      const ids = events.map((e) => e.attributes['event.id']);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe('consent', () => {
    it.each([
      ['consent withheld', '&consent=pending'],
      ['after optOut()', '&optout=1'],
    ])('should send nothing with %s', async (_label, query) => {
      receiver.clear();
      const { page, close } = await openPage(query + tier);
      await page.click('#slow');
      await page.evaluate(() => exampleApp.shiftLayout());
      await page.click('#broken');
      await page.waitForTimeout(500);
      // Pending consent holds events (sent only after optIn), opting out drops them.
      const heldOrDropped = await page.evaluate(() => {
        const stats = (exampleApp.monitoring.telemetry?.stats ?? exampleApp.monitoring.stats) as Stats;
        return stats.queued + (stats.dropped['consent'] ?? 0);
      });
      await page.close({ runBeforeUnload: true });
      await new Promise((r) => setTimeout(r, 1500));
      await close();
      expect(receiver.requests.filter((r) => r.method === 'POST')).toEqual([]);
      // The events existed and were held or dropped for consent, not lost for another reason.
      expect(heldOrDropped).toBeGreaterThanOrEqual(4);
    });
  });

});

describe('@lookout/browser example page (headless Chromium)', () => {
  describe('sentry', () => {
    const envelopes = (): Array<{ exception?: { values?: Array<{ type?: string; value?: string; stacktrace?: { frames?: unknown[] } }> } }> =>
      receiver.requests
        .filter((r) => r.method === 'POST' && r.url.startsWith('/api/1/envelope/'))
        .flatMap((r) => parseEnvelope(r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body))
        .filter((item) => item.header['type'] === 'event' && typeof item.payload === 'object')
        .map((item) => item.payload as Record<string, never>);

    it('should also forward page errors to Sentry through @sentry/browser when a DSN is given, exactly once', async () => {
      receiver.clear();
      const dsn = `http://publickey@${receiver.hostPort}/1`;
      const { page, close } = await openPage(`&sentry=${encodeURIComponent(dsn)}`);
      await page.click('#broken');
      await page.waitForTimeout(300);
      await page.close({ runBeforeUnload: true });
      await receiver.waitFor((r) => r.url.startsWith('/api/1/envelope/'), 10_000);
      await new Promise((r) => setTimeout(r, 500));
      await close();
      const events = envelopes();
      expect(events).toHaveLength(1);
      expect(events[0]?.exception?.values?.[0]).toMatchObject({ type: 'TypeError', value: expect.stringContaining('items') });
      expect(events[0]?.exception?.values?.[0]?.stacktrace?.frames?.length).toBeGreaterThan(0);
      // The same error also went out as a Lookout event.
      expect(allEvents(receiver.requests).filter((e) => e.name === 'error')).toHaveLength(1);
    });

    it('should not forward to Sentry with consent withheld', async () => {
      receiver.clear();
      const dsn = `http://publickey@${receiver.hostPort}/1`;
      const { page, close } = await openPage(`&consent=denied&sentry=${encodeURIComponent(dsn)}`);
      await page.click('#broken');
      await page.waitForTimeout(300);
      await page.close({ runBeforeUnload: true });
      await new Promise((r) => setTimeout(r, 1500));
      await close();
      expect(receiver.requests.filter((r) => r.method === 'POST')).toEqual([]);
    });
  });
});
