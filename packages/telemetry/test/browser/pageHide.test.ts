import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../../testing/backends.js';
import { bundleFixture } from '../helpers/bundle.js';
import { startEventReceiver } from '../helpers/eventReceiver.js';
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

let browser: Browser;
let site: Server;
let siteUrl: string;
let receiver: EventReceiver;

beforeAll(async () => {
  const script = readFileSync(await bundleFixture(resolve(import.meta.dirname, '../fixtures/browserPage.ts'), 'browser'), 'utf8');
  // The page and the receiver are on different ports: the requests are cross-origin, as in production.
  site = createServer((req, res) => {
    if (req.url?.startsWith('/app.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title><script src="/app.js"></script>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  const address = site.address();
  siteUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  receiver = await startEventReceiver();
  browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await new Promise((r) => site?.close(r));
});

describe('createBrowserTelemetryClient (headless Chromium)', () => {
  describe('page hide', () => {
    it('should deliver events queued on a page when the page is closed', async () => {
      // 80 events of OTLP/JSON fit the page's 64 KiB keepalive budget; more would need persistence.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${siteUrl}/?endpoint=${encodeURIComponent(receiver.endpoint)}`);
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
      const url = `${siteUrl}/?idb=1&endpoint=${encodeURIComponent(receiver.endpoint)}`;
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
