// Where the browser reports soft navigations (Chromium), a router navigation it does not detect
// still gets the router-driven `soft_navigation` event: Chromium reports only URL changes that
// follow a user interaction, and `setRoute()` sent nothing where the browser had support, so a
// redirect on a timer was lost. Now `setRoute()` waits a second for the browser's entry of the new
// path and sends the event only without one: exactly once either way. Both tiers, in Debian's Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents } from '../helpers/otlpJson.js';
import { openProductPage, sleep, startTierSite, TIERS } from '../helpers/tierSite.js';
import type { TierSite } from '../helpers/tierSite.js';

declare const window: { L: { setRoute(route: string): void }; go(path: string, route: string, text: string): void };

let site: TierSite;

beforeAll(async () => {
  site = await startTierSite(`window.M = L.initMonitoring(OPTS);
    window.go = (path, route, text) => {
      document.getElementById('title').textContent = text;
      const p = document.createElement('p');
      p.textContent = text + ' and more content'.repeat(20);
      document.body.appendChild(p);
      history.pushState(null, '', path + location.search);
      L.setRoute(route);
    };
    document.getElementById('button').addEventListener('click', () => go('/checkout/2', 'checkout', 'Checkout'));`);
});

afterAll(async () => {
  await site?.close();
});

describe.each(TIERS)('initMonitoring (%s tier, headless Chromium)', (tier) => {
  describe('setRoute', () => {
    it('should send the router-driven soft_navigation event for a timer redirect the browser does not report, and none for a click it reports', async () => {
      const { context, page } = await openProductPage(site, tier);
      const supported = await page.evaluate(() => {
        const g = globalThis as { PerformanceObserver?: { supportedEntryTypes?: string[] }; PerformanceSoftNavigation?: { prototype?: { getLargestInteractionContentfulPaint?: unknown } } };
        return !!g.PerformanceObserver?.supportedEntryTypes?.includes('soft-navigation') && typeof g.PerformanceSoftNavigation?.prototype?.getLargestInteractionContentfulPaint === 'function';
      });
      expect(supported).toBe(true);
      // Started by the user: the browser reports it (web-vitals' soft-navigation metrics).
      await page.click('#button');
      await sleep(1500);
      // Started by the app: a session-expiry redirect on a timer, which the browser does not report.
      await page.evaluate(() => void setTimeout(() => window.go('/login', 'login', 'Please log in again'), 10));
      await sleep(1500);
      await page.close({ runBeforeUnload: true });
      await site.receiver.waitFor(() => allEvents(site.receiver.requests).some((e) => e.name === 'soft_navigation'), 10_000);
      await sleep(300);
      await context.close();

      const events = allEvents(site.receiver.requests);
      const navigations = events.filter((e) => e.name === 'soft_navigation').map((e) => `${e.attributes['from']} -> ${e.attributes['to']} (${e.attributes['source']})`);
      expect(navigations).toEqual(['checkout -> login (router)']);
      // The click-driven one was the browser's, reported by web-vitals with its route.
      expect(events.some((e) => e.name === 'web_vital' && e.attributes['navigation_type'] === 'soft-navigation' && e.attributes['route'] === 'checkout')).toBe(true);
    });
  });
});
