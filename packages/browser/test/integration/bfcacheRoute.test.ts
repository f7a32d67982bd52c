// Metrics of a view restored from the back/forward cache carry the route the user is on: they
// carried the landing page's, because web-vitals fills `navigationURL` of a `back-forward-cache`
// instance with the URL of the original hard navigation, which an SPA has since left.
// Both tiers, in Debian's Chromium with the bfcache on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents } from '../helpers/otlpJson.js';
import { openProductPage, sleep, SLOW_BUTTON_SCRIPT, startTierSite, TIERS } from '../helpers/tierSite.js';
import type { TierSite } from '../helpers/tierSite.js';

declare const window: { L: { setRoute(route: string): void }; restored: number; go(): void };

let site: TierSite;

beforeAll(async () => {
  site = await startTierSite(`window.M = L.initMonitoring(OPTS);
    window.restored = 0;
    addEventListener('pageshow', (e) => { if (e.persisted) window.restored++; });
    ${SLOW_BUTTON_SCRIPT}
    window.go = () => { document.getElementById('title').textContent = 'Checkout'; history.pushState(null, '', '/checkout/2' + location.search); L.setRoute('checkout'); };`);
});

afterAll(async () => {
  await site?.close();
});

describe.each(TIERS)('initMonitoring (%s tier, headless Chromium)', (tier) => {
  describe('bfcache restore', () => {
    it('should label the metrics of the restored view with the route the page is on', async () => {
      const { context, page } = await openProductPage(site, tier);
      await page.click('#button');
      await page.evaluate(() => window.go());
      await sleep(500);
      await page.goto(`${site.url}/elsewhere?tier=${tier}`);
      await sleep(500);
      await page.goBack({ waitUntil: 'commit' });
      await sleep(800);
      expect(await page.evaluate(() => window.restored)).toBe(1);
      await page.click('#button');
      await sleep(300);
      await page.close({ runBeforeUnload: true });
      await site.receiver.waitFor(() => allEvents(site.receiver.requests).some((e) => e.attributes['navigation_type'] === 'back-forward-cache' && e.attributes['metric'] === 'INP'), 10_000);
      await context.close();

      const restored = allEvents(site.receiver.requests).filter((e) => e.name === 'web_vital' && e.attributes['navigation_type'] === 'back-forward-cache');
      expect(restored.length).toBeGreaterThanOrEqual(3);
      for (const e of restored) expect(`${e.attributes['metric']} ${e.attributes['route']}`).toBe(`${e.attributes['metric']} checkout`);
    });
  });
});
