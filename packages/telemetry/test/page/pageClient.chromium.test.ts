import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startChromiumPage } from '../helpers/chromiumPage.js';
import type { ChromiumPageHarness } from '../helpers/chromiumPage.js';
import type { EventReceiver } from '../helpers/eventReceiver.js';

interface PageApi {
  track(count: number, padding: number): string[];
  stats(): { queued: number; sent: number; beaconed: number; persisted: number; restored: number; dropped: Record<string, number> };
  flush(): Promise<void>;
}
declare const pageTest: PageApi;
// The page's document, as the page sees it (the test suite compiles without DOM types).
declare const document: { dispatchEvent(event: Event): boolean };

let harness: ChromiumPageHarness;
let browser: Browser;
let receiver: EventReceiver;
let pageUrl: string;

beforeAll(async () => {
  harness = await startChromiumPage(resolve(import.meta.dirname, '../fixtures/pageClientPage.ts'));
  ({ browser, receiver, pageUrl } = harness);
});

afterAll(async () => {
  await harness?.stop();
});

describe('createPageClient (headless Chromium)', () => {
  it('should deliver each event tracked on a page exactly once when the page is hidden and closed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pageUrl);
    // 45 events: two full batches leave the normal way (in flight with keepalive), the rest at page hide.
    const ids = await page.evaluate(() => pageTest.track(45, 50));
    expect(ids).not.toContain('dropped');
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const hidden = await page.evaluate(() => pageTest.stats());
    // At least the 5 past the two batches leave at page hide; on a slow machine the batches may not have left yet, and go too.
    expect(hidden.beaconed).toBeGreaterThanOrEqual(5);
    expect(hidden.beaconed).toBeLessThanOrEqual(45);
    expect(hidden.dropped.page_hidden).toBe(0);
    await page.close({ runBeforeUnload: true });
    await receiver.waitForUnique(45, 10_000);
    // Give any duplicate time to arrive.
    await new Promise((r) => setTimeout(r, 500));
    const arrived = receiver.events().filter((e) => ids.includes(e.id));
    expect(arrived.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(receiver.duplicateIds()).toEqual([]);
    expect(arrived[0]).toMatchObject({ name: 'clicked', platform: 'browser' });
    await context.close();
  });

  it('should send what is queued once when the page closes without being hidden first', async () => {
    receiver.batches.length = 0;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pageUrl);
    const ids = await page.evaluate(() => pageTest.track(7, 10));
    await page.close({ runBeforeUnload: true });
    await receiver.waitForUnique(45 + 7, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.events().filter((e) => ids.includes(e.id))).toHaveLength(7);
    expect(receiver.duplicateIds()).toEqual([]);
    await context.close();
  });

  it('should keep in IndexedDB what does not fit at page hide and send it on the next load, each event exactly once', async () => {
    const before = receiver.uniqueIds().size;
    const context = await browser.newContext();
    const url = pageUrl.replace('/?', '/?idb=1&');
    const page = await context.newPage();
    await page.goto(url);
    // About 250 KB of OTLP/JSON: far more than the 64 KiB a closing page may send.
    const ids = await page.evaluate(() => pageTest.track(300, 400));
    expect(ids).not.toContain('dropped');
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const hidden = await page.evaluate(() => pageTest.stats());
    expect(hidden.persisted).toBeGreaterThan(0);
    expect(hidden.dropped.page_hidden).toBe(0);
    // Everything is accounted for: left the normal way, handed over at page hide, or stored.
    expect(hidden.sent + hidden.queued + hidden.beaconed + hidden.persisted).toBeGreaterThanOrEqual(300);
    // The hidden page stays open until its requests settle (a keepalive request Chromium refuses is
    // retried the normal way while the page lives), then closes.
    await page.waitForFunction(() => pageTest.stats().queued === 0);
    await page.close({ runBeforeUnload: true });

    const next = await context.newPage();
    await next.goto(url);
    await next.waitForFunction(() => pageTest.stats().restored > 0);
    await next.evaluate(() => pageTest.flush());
    await receiver.waitForUnique(before + 300, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const arrived = receiver.events().filter((e) => ids.includes(e.id));
    expect(arrived.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(receiver.duplicateIds()).toEqual([]);
    expect(await next.evaluate(() => pageTest.stats().restored)).toBe(hidden.persisted);
    await context.close();
  });
});
