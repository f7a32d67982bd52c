// A page load's navigation metrics (TTFB, FCP, LCP) are reported once however often monitoring
// is shut down and started again (a consent flow built on shutdown/initMonitoring): a new
// collector subscribed again, and web-vitals rebuilt them from the buffered entries under new
// ids, so dashboards counted the page view twice. Both tiers, in Debian's Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents } from '../helpers/otlpJson.js';
import { sleep, SLOW_BUTTON_SCRIPT, startTierSite, TIERS } from '../helpers/tierSite.js';
import type { TierSite } from '../helpers/tierSite.js';

declare const window: { L: { shutdown(ms: number): Promise<void>; initMonitoring(options: unknown): unknown }; OPTS: unknown };

let site: TierSite;

beforeAll(async () => {
  site = await startTierSite(`L.initMonitoring(OPTS);
    ${SLOW_BUTTON_SCRIPT}`);
});

afterAll(async () => {
  await site?.close();
});

describe.each(TIERS)('initMonitoring (%s tier, headless Chromium)', (tier) => {
  describe('shutdown, then initMonitoring again', () => {
    it('should report each navigation metric of the page load once', async () => {
      site.receiver.clear();
      const context = await site.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${site.url}/products/1?tier=${tier}`);
      await sleep(800);
      await page.click('#button');
      await sleep(500);
      await page.evaluate(async () => {
        await window.L.shutdown(1000);
        window.L.initMonitoring(window.OPTS);
      });
      await sleep(800);
      await page.click('#button');
      await sleep(500);
      await page.close({ runBeforeUnload: true });
      await site.receiver.waitFor(() => allEvents(site.receiver.requests).some((e) => e.attributes['metric'] === 'INP'), 10_000);
      await sleep(500);
      await context.close();

      const counts: Record<string, number> = {};
      for (const e of allEvents(site.receiver.requests)) if (e.name === 'web_vital') counts[String(e.attributes['metric'])] = (counts[String(e.attributes['metric'])] ?? 0) + 1;
      expect(counts).toEqual({ TTFB: 1, FCP: 1, LCP: 1, CLS: 1, INP: 1 });
    });
  });
});
