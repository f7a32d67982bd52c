// A site for Chromium tests of both tiers: every path serves one page that loads
// `@lookout/browser` (`?tier=full`, the default) or `@lookout/browser/lite` (`?tier=lite`) as `L`,
// then runs `script` (with `ENDPOINT`, a real HTTP receiver on another port, and `OPTS`, options
// for `L.initMonitoring` in that tier's shape). Debian's Chromium runs it with the back/forward
// cache on (playwright turns it off by default). A missing Chromium fails the test, never skips it.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bundleFixture } from '../../../../testing/bundleFixture.js';
import { CHROMIUM_ARGS, findChromium, startHttpReceiver } from '../../../../testing/backends.js';
import type { HttpReceiverHandle } from '../../../../testing/backends.js';

export const TIERS = ['full', 'lite'] as const;

/** Page script: `#button` runs an 80 ms handler when clicked (an interaction INP measures). */
export const SLOW_BUTTON_SCRIPT = "document.getElementById('button').addEventListener('click', () => { const t = performance.now(); while (performance.now() - t < 80); });";

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export type Tier = (typeof TIERS)[number];

export interface TierSite {
  /** `http://127.0.0.1:<port>`; pages are `${url}/<any path>?tier=<tier>`. */
  url: string;
  receiver: HttpReceiverHandle;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the site, the receiver and Chromium; `script` runs on every page after the tier's bundle. */
export async function startTierSite(script: string): Promise<TierSite> {
  const fixture = (name: string) => bundleFixture(resolve(import.meta.dirname, `../fixtures/${name}.ts`), 'browser');
  const [fullJs, liteJs, receiver, browser] = await Promise.all([
    fixture('fullTier'),
    fixture('liteTier'),
    startHttpReceiver(),
    chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS], ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
  ]);
  const bundles: Record<Tier, string> = { full: readFileSync(fullJs, 'utf8'), lite: readFileSync(liteJs, 'utf8') };
  const endpoint = `${receiver.url}/v1/logs`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') return void res.writeHead(404).end();
    const tier: Tier = url.searchParams.get('tier') === 'lite' ? 'lite' : 'full';
    const options = tier === 'lite' ? '{ serviceName: "shop", endpoint: ENDPOINT, flushIntervalMs: 200 }' : '{ serviceName: "shop", endpoint: ENDPOINT, telemetry: { flushIntervalMs: 200 } }';
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<h1 id="title" style="font-size:48px">Page ${url.pathname.replace(/[<&]/g, '')}</h1><p>Some text to paint.</p><button id="button">click</button>
<script>${bundles[tier].replace(/<\/script/g, '<\\/script')}</script>
<script>var ENDPOINT = ${JSON.stringify(endpoint)}; var OPTS = ${options};\n${script}</script></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
    receiver,
    browser,
    async close() {
      await browser.close();
      await receiver.stop();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/** Clears the receiver, then opens `/products/1` of `tier` in a context of its own and, once it has painted, names the route `product`. */
export async function openProductPage(site: TierSite, tier: Tier): Promise<{ context: BrowserContext; page: Page }> {
  site.receiver.clear();
  const context = await site.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}/products/1?tier=${tier}`);
  await sleep(600);
  await page.evaluate(() => (globalThis as unknown as { L: { setRoute(route: string): void } }).L.setRoute('product'));
  return { context, page };
}
