import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorRecord } from '@lookout/errors';
import { CHROMIUM_ARGS, findChromium } from '../../../../testing/backends.js';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';

/** The page's own code that fails: an uncaught error from a timer and an unhandled rejection. */
const BOOM = `function payNow() { throw new Error('payment failed for carol@example.com'); }
async function loadCart() { throw new TypeError('cart missing'); }
setTimeout(payNow);
loadCart();
`;

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

let receiver: SentryReceiver;
let browser: Browser;
let server: Server;
let pageUrl: string;

/** Bundles a page with @lookout/errors/page (from source) as an app would: ESM with code splitting. */
async function bundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-page-capture-'));
  const entry = join(dir, 'app.js');
  writeFileSync(
    entry,
    `import { createPageErrorCapture } from '@lookout/errors/page';
import { createSentryBrowserSink } from '@lookout/errors/sentry-browser';
import { createRedactor } from '@lookout/core';
window.__records = [];
const memory = { name: 'page-test', capture: (record) => window.__records.push(record) };
const sentry = createSentryBrowserSink({ dsn: window.__DSN__, environment: 'page-test' });
const capture = createPageErrorCapture({ sinks: [memory, sentry], redactor: createRedactor(), tags: { release: '1.0.0' } });
capture.addBreadcrumb({ category: 'ui', message: 'opened checkout' });
capture.installGlobalHandlers();
window.__capture = capture;
window.__ready = sentry.ready;
`,
  );
  const out = join(dir, 'out');
  await build({
    entryPoints: [entry],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    alias: {
      '@lookout/errors/sentry-browser': join(root, 'packages/errors/src/sentry-browser/index.ts'),
      '@lookout/errors/page': join(root, 'packages/errors/src/page/index.ts'),
      '@lookout/core/page': join(root, 'packages/core/src/page/index.ts'),
      '@lookout/core': join(root, 'packages/core/src/index.ts'),
    },
    nodePaths: [join(root, 'node_modules')],
  });
  return out;
}

beforeAll(async () => {
  receiver = await startSentryReceiver();
  const out = await bundle();
  const html = `<!doctype html><html><head><script>
window.__DSN__ = ${JSON.stringify(receiver.dsn('pagekey'))};
window.__previous = [];
window.onerror = function (message) { window.__previous.push(String(message)); };
</script><script type="module" src="/app.js"></script></head><body>checkout</body></html>`;
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/boom.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(BOOM);
    else if (path.endsWith('.js')) {
      try {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(out, path.slice(1).replace(/\.\.+/g, ''))));
      } catch {
        res.writeHead(404).end();
      }
    } else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  // A missing Chromium fails here: findChromium throws.
  browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise((r) => server.close(r));
  await receiver?.stop();
});

describe('createPageErrorCapture (headless Chromium)', () => {
  it('should capture an uncaught error and an unhandled rejection with parsed stacks, keep window.onerror, and feed the Sentry sink', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(pageUrl);
    await tab.waitForFunction(() => (globalThis as unknown as { __capture?: unknown }).__capture !== undefined);
    expect(await tab.evaluate(() => (globalThis as unknown as { __ready: Promise<boolean> }).__ready)).toBe(true);
    await tab.addScriptTag({ url: '/boom.js' });
    await tab.waitForFunction(() => (globalThis as unknown as { __records: unknown[] }).__records.length >= 2, undefined, { timeout: 10_000 });
    const records = (await tab.evaluate(() => (globalThis as unknown as { __records: ErrorRecord[] }).__records)) as ErrorRecord[];
    const thrown = records.find((r) => r.type === 'Error');
    const rejected = records.find((r) => r.type === 'TypeError');
    expect(thrown).toMatchObject({ message: 'payment failed for [REDACTED:email]', mechanism: 'onerror', handled: false, severity: 'high', category: 'javascript', tags: { release: '1.0.0' } });
    expect(thrown?.stack[0]).toMatchObject({ function: 'payNow', inApp: true });
    expect(thrown?.stack[0]?.filename).toBe(`${pageUrl}boom.js`);
    expect(typeof thrown?.stack[0]?.lineno).toBe('number');
    expect(thrown?.breadcrumbs[0]).toMatchObject({ category: 'ui', message: 'opened checkout' });
    expect(rejected).toMatchObject({ message: 'cart missing', mechanism: 'unhandledRejection', handled: false });
    expect(rejected?.stack[0]).toMatchObject({ function: 'loadCart', inApp: true });
    expect(thrown?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // The page's own window.onerror still ran (once: the rejection does not go through onerror).
    expect(await tab.evaluate(() => (globalThis as unknown as { __previous: string[] }).__previous)).toEqual(['Uncaught Error: payment failed for carol@example.com']);

    // The same records through the real Sentry browser sink to a local DSN.
    expect(await tab.evaluate(() => (globalThis as unknown as { __capture: { flush(ms: number): Promise<boolean> } }).__capture.flush(5000))).toBe(true);
    const events = (await receiver.waitForEvents(2)) as Array<Record<string, any>>;
    const sentThrown = events.find((e) => e.exception.values.at(-1).type === 'Error');
    const sentRejected = events.find((e) => e.exception.values.at(-1).type === 'TypeError');
    expect(sentThrown?.exception.values.at(-1).mechanism).toEqual({ type: 'onerror', handled: false });
    expect(sentThrown?.exception.values.at(-1).value).toBe('payment failed for [REDACTED:email]');
    expect(sentThrown?.fingerprint[0]).toBe(thrown?.fingerprint);
    expect(sentThrown?.environment).toBe('page-test');
    expect(sentThrown?.exception.values.at(-1).stacktrace.frames.length).toBeGreaterThan(0);
    expect(sentRejected?.exception.values.at(-1).mechanism).toEqual({ type: 'onunhandledrejection', handled: false });
    expect(Buffer.concat(receiver.envelopes.map((e) => e.raw)).toString('utf8')).not.toContain('carol@example.com');
    await context.close();
  });
});
