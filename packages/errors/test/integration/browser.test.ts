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
import { DEFAULT_SENTRY_GZIP_MIN_BYTES } from '@lookout/errors/sentry-browser';
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

  describe('gzip', () => {
    it('should send a large event gzip-compressed through CompressionStream, and a small one as is', async () => {
      receiver.envelopes.length = 0;
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(pageUrl);
      expect(await tab.evaluate(() => (globalThis as unknown as { __ready: Promise<boolean> }).__ready)).toBe(true);
      expect(await tab.evaluate(() => typeof (globalThis as { CompressionStream?: unknown }).CompressionStream)).toBe('function');
      const rows = Array.from({ length: 600 }, (_, i) => `SKU-${(i * 7919) % 100_003} x${i % 9}: row ${i} of the cart import`);
      const ids = await tab.evaluate((lines) => {
        const { tracker } = (globalThis as unknown as { __lookout: { tracker: { captureError(e: unknown, c?: object): string; addBreadcrumb(b: object): void } } }).__lookout;
        const small = tracker.captureError(new Error('small failure'));
        for (let i = 0; i < 40; i++) tracker.addBreadcrumb({ category: 'ui', message: `clicked ${lines.slice(i, i + 4).join(' / ')}` });
        const large = tracker.captureError(new Error('cart import failed'), { context: { rows: lines } });
        return { small, large };
      }, rows);
      const events = (await receiver.waitForEvents(2)) as Array<Record<string, any>>;
      const envelopeOf = (id: string) => receiver.envelopes.find((e) => e.items.some((i) => (i.payload as Record<string, unknown>)['event_id'] === id));
      const small = envelopeOf(ids.small);
      const large = envelopeOf(ids.large);
      expect(small?.headers['content-encoding']).toBeUndefined();
      expect(small?.wire.length).toBeLessThan(DEFAULT_SENTRY_GZIP_MIN_BYTES);
      expect(large?.headers['content-encoding']).toBe('gzip');
      expect(large?.headers['content-type']).toBe('text/plain;charset=UTF-8');
      expect(large?.raw.length).toBeGreaterThanOrEqual(DEFAULT_SENTRY_GZIP_MIN_BYTES);
      expect(large?.wire.length).toBeLessThan((large?.raw.length ?? 0) / 3);
      const event = events.find((e) => e.event_id === ids.large);
      expect(event?.contexts.context.rows).toEqual(rows);
      expect(event?.breadcrumbs.filter((b: { message: string }) => b.message.startsWith('clicked SKU-'))).toHaveLength(40);
      await context.close();
    });
  });
});
