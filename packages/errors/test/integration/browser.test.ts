import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../../../testing/backends.js';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const SECRET_EMAIL = 'carol.private@example.com';

let receiver: SentryReceiver;
let browser: Browser;
let page: Server;
let pageUrl: string;

/** Bundles a page entry with @lookout/errors (from source) and @sentry/browser, as an app would. */
async function bundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-errors-page-'));
  const entry = join(dir, 'entry.js');
  writeFileSync(
    entry,
    `import { createErrorTracker } from '@lookout/errors';
import { createSentryBrowserSink } from '@lookout/errors/sentry-browser';
const sink = createSentryBrowserSink({ dsn: window.__DSN__, environment: 'browser-test' });
const tracker = createErrorTracker({ sinks: [sink], tags: { page: 'checkout' } });
tracker.setUser(${JSON.stringify(SECRET_EMAIL)});
tracker.addBreadcrumb({ category: 'ui', message: 'clicked pay for ${SECRET_EMAIL}' });
tracker.installGlobalHandlers();
window.__lookout = { tracker, sink };
window.__ready = sink.ready;
`,
  );
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    alias: {
      '@lookout/errors/sentry-browser': join(root, 'packages/errors/src/sentry-browser/index.ts'),
      '@lookout/errors': join(root, 'packages/errors/src/index.ts'),
      '@lookout/core': join(root, 'packages/core/src/index.ts'),
    },
    nodePaths: [join(root, 'node_modules')],
  });
  return result.outputFiles[0]?.text ?? '';
}

beforeAll(async () => {
  receiver = await startSentryReceiver();
  const script = await bundle();
  const html = `<!doctype html><html><head><script>
window.__DSN__ = ${JSON.stringify(receiver.dsn('browserkey'))};
window.__previous = 0;
window.onerror = function () { window.__previous++; };
</script><script src="/app.js"></script></head><body>checkout</body></html>`;
  page = createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  const address = page.address();
  pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => page?.close(r));
  await receiver?.stop();
});

describe('createSentryBrowserSink (real @sentry/browser in headless Chromium)', () => {
  describe('global handlers', () => {
    it('should deliver thrown errors and rejections as envelopes, mapped and scrubbed', async () => {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(pageUrl);
      expect(await tab.evaluate(() => (globalThis as unknown as { __ready: Promise<boolean> }).__ready)).toBe(true);
      await tab.evaluate((email) => {
        setTimeout(() => {
          throw new Error(`payment failed for ${email}`);
        });
        void Promise.reject(new TypeError(`card token tok_visa missing for ${email}`));
      }, SECRET_EMAIL);
      const events = (await receiver.waitForEvents(2)) as Array<Record<string, any>>;
      const thrown = events.find((e) => e.exception.values.at(-1).type === 'Error');
      const rejected = events.find((e) => e.exception.values.at(-1).type === 'TypeError');
      expect(thrown).toBeDefined();
      expect(rejected).toBeDefined();
      const top = thrown?.exception.values.at(-1);
      expect(top.value).toBe('payment failed for [REDACTED:email]');
      expect(top.mechanism).toEqual({ type: 'onerror', handled: false });
      expect(top.stacktrace.frames.length).toBeGreaterThan(0);
      expect(thrown?.level).toBe('error');
      expect(thrown?.tags).toMatchObject({ category: 'javascript', severity: 'high', page: 'checkout' });
      expect(thrown?.fingerprint[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(thrown?.contexts.lookout).toMatchObject({ category: 'javascript', severity: 'high', group: thrown?.fingerprint[0] });
      expect(thrown?.user).toEqual({ id: '[REDACTED:email]' });
      expect(thrown?.environment).toBe('browser-test');
      expect(thrown?.breadcrumbs[0].message).toBe('clicked pay for [REDACTED:email]');
      expect(rejected?.exception.values.at(-1).mechanism).toEqual({ type: 'onunhandledrejection', handled: false });
      expect(rejected?.tags).toMatchObject({ category: 'javascript', severity: 'high' });
      // The page's own onerror still ran.
      expect(await tab.evaluate(() => (globalThis as unknown as { __previous: number }).__previous)).toBe(1);
      const bytes = Buffer.concat(receiver.envelopes.map((e) => e.raw)).toString('utf8');
      expect(bytes).not.toContain(SECRET_EMAIL);
      expect(receiver.envelopes[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
      await context.close();
    });
  });
});
