// One Chromium, one site serving a bundled fixture page, one event receiver on another port
// (requests are cross-origin, as in production): what the page-level Chromium tests share.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../../testing/backends.js';
import { bundleFixture } from '../../../../testing/bundleFixture.js';
import { startEventReceiver } from './eventReceiver.js';
import type { EventReceiver } from './eventReceiver.js';

export interface ChromiumPageHarness {
  browser: Browser;
  receiver: EventReceiver;
  /** The fixture page's URL (`http://127.0.0.1:<port>/?endpoint=…`), the receiver as its `endpoint` query parameter. */
  pageUrl: string;
  stop(): Promise<void>;
}

/** Bundles `fixture` for the browser, serves it on 127.0.0.1 and launches Debian's Chromium (a missing one fails). */
export async function startChromiumPage(fixture: string): Promise<ChromiumPageHarness> {
  const script = readFileSync(await bundleFixture(fixture, 'browser'), 'utf8');
  const site: Server = createServer((req, res) => {
    if (req.url?.startsWith('/app.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title><script src="/app.js"></script>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  const address = site.address();
  const siteUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const receiver = await startEventReceiver();
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
  return {
    browser,
    receiver,
    pageUrl: `${siteUrl}/?endpoint=${encodeURIComponent(receiver.endpoint)}`,
    async stop() {
      await browser.close();
      await receiver.stop();
      await new Promise((r) => site.close(r));
    },
  };
}
