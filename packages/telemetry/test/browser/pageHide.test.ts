import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startChromiumPage } from '../helpers/chromiumPage.js';
import type { ChromiumPageHarness } from '../helpers/chromiumPage.js';
import type { EventReceiver } from '../helpers/eventReceiver.js';

interface PageApi {
  track(count: number, padding: number): string[];
  stats(): { beaconed: number; persisted: number; restored: number; sent: number; queuedItems: number; dropped: Record<string, number> };
  flush(): Promise<unknown>;
}
declare const telemetryTest: PageApi;
// Page globals, as the page sees them (the test suite compiles without DOM types).
declare const document: { dispatchEvent(event: Event): boolean };
declare const window: { dispatchEvent(event: Event): boolean };

let harness: ChromiumPageHarness;
let browser: Browser;
let receiver: EventReceiver;
let pageUrl: string;

beforeAll(async () => {
  harness = await startChromiumPage(resolve(import.meta.dirname, '../fixtures/browserPage.ts'));
  ({ browser, receiver, pageUrl } = harness);
});

afterAll(async () => {
  await harness?.stop();
});

describe('createBrowserTelemetryClient (headless Chromium)', () => {
  describe('page hide', () => {
    it('should deliver events queued on a page when the page is closed', async () => {
      // 80 events of OTLP/JSON fit the page's 64 KiB keepalive budget; more would need persistence.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(pageUrl);
      const ids = await page.evaluate(() => telemetryTest.track(80, 20));
      const before = await page.evaluate(() => telemetryTest.stats());
      expect(before.queuedItems).toBe(80);
      expect(before.sent).toBe(0);
      await page.close({ runBeforeUnload: true });
      await receiver.waitForUnique(80, 10_000);
      const arrived = receiver.events().filter((e) => ids.includes(e.id));
      expect(new Set(arrived.map((e) => e.id))).toEqual(new Set(ids));
      expect(arrived[0]).toMatchObject({ name: 'clicked', platform: 'browser', properties: { i: 0 } });
      await context.close();
    });

    it('should split what is queued to fit the 64 KiB budget and keep the rest in IndexedDB for the next page', async () => {
      receiver.batches.length = 0;
      const context = await browser.newContext();
      const page = await context.newPage();
      const url = pageUrl.replace('/?', '/?idb=1&');
      await page.goto(url);
      // About 300 KB of JSON: far more than one page may send while it closes.
      const ids = await page.evaluate(() => telemetryTest.track(1500, 150));
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
      const afterHide = await page.evaluate(() => telemetryTest.stats());
      expect(afterHide.beaconed).toBeGreaterThan(0);
      expect(afterHide.beaconed).toBeLessThan(1500);
      // Full batches already left through the normal path (sent or still in flight); the rest was beaconed or stored.
      expect(afterHide.persisted).toBeGreaterThan(0);
      expect(afterHide.beaconed + afterHide.persisted + afterHide.sent + afterHide.queuedItems).toBe(1500);
      await page.close({ runBeforeUnload: true });
      for (const r of receiver.requests.slice(-5)) expect(r.bytes).toBeLessThanOrEqual(65_536);

      const next = await context.newPage();
      await next.goto(url);
      await next.waitForFunction(() => telemetryTest.stats().restored > 0);
      await next.evaluate(() => telemetryTest.flush());
      await receiver.waitForUnique(80 + 1500, 10_000);
      const got = receiver.uniqueIds();
      for (const id of ids) expect(got.has(id)).toBe(true);
      await context.close();
    });
  });
});
