// @lookout/browser and @lookout/browser/lite on the main thread, in Debian's headless Chromium:
// how long initMonitoring() blocks (options, event client, error handlers; web vitals start in the
// next task), what one track() costs, and how long the page-hide flush of 200 queued events
// blocks; plus the gzip size of the entries
// (scripts/check-bundle-size.mjs). Prints one JSON object with a `markdown` section.
// Runs against the package sources (esbuild), so no build is needed. `--quick` for a smoke run.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { lookoutSources, measure } from '../../scripts/check-bundle-size.mjs';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('../..', import.meta.url));
const LOADS = quick ? 5 : 25;
const TRACKS = 2000;
const QUEUED = 200;

// The same page on both tiers. The queue bound is raised so that every timed track() does the
// whole work (a full queue would make later calls cheap drops).
const page = (tier, options) => `
import { initMonitoring } from '${tier}';
const params = new URLSearchParams(location.search);
const t0 = performance.now();
const m = initMonitoring({ serviceName: 'bench', endpoint: params.get('endpoint'), ${options} });
const initMs = performance.now() - t0;
globalThis.bench = {
  initMs,
  track(n) {
    const t = performance.now();
    for (let i = 0; i < n; i++) m.track('clicked', { i, button: 'buy', page: '/products/:id' });
    return (performance.now() - t) / n;
  },
  hide() {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    const t = performance.now();
    document.dispatchEvent(new Event('visibilitychange'));
    return performance.now() - t;
  },
  stats: () => (m.telemetry ?? m).stats,
};`;
const TIERS = {
  '@lookout/browser': page('@lookout/browser', 'telemetry: { flushIntervalMs: 600000, maxBatchEvents: 10000, maxQueueEvents: 10000 }'),
  '@lookout/browser/lite': page('@lookout/browser/lite', 'flushIntervalMs: 600000, maxBatchEvents: 10000, maxQueueEvents: 10000'),
};
const html = {};
for (const [tier, code] of Object.entries(TIERS)) {
  const bundle = await build({ stdin: { contents: code, resolveDir: root, loader: 'ts' }, bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', minify: true, logLevel: 'silent', plugins: [lookoutSources] });
  const script = bundle.outputFiles[0].text;
  html[tier] = `<!doctype html><title>bench</title><h1>Bench</h1><p>Main-thread cost of Lookout.</p><script>${script.replace(/<\/script/g, '<\\/script')}</script>`;
}

const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${server.address().port}`)));
const site = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html[req.url?.includes('tier=lite') ? '@lookout/browser/lite' : '@lookout/browser']));
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }).end());
});
const [siteUrl, receiverUrl] = await Promise.all([listen(site), listen(receiver)]);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const runs = {};
try {
  for (const tier of Object.keys(TIERS)) {
    const run = (runs[tier] = { init: [], track: [], hide: [], sentOrBeaconed: 0 });
    const url = `${siteUrl}/products/1?endpoint=${encodeURIComponent(`${receiverUrl}/v1/logs`)}${tier.endsWith('/lite') ? '&tier=lite' : ''}`;
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(url);
      run.init.push(await tab.evaluate(() => globalThis.bench.initMs));
      run.track.push(await tab.evaluate((n) => globalThis.bench.track(n), TRACKS));
      const { dropped } = await tab.evaluate(() => globalThis.bench.stats());
      if (Object.values(dropped).some((n) => n > 0)) throw new Error(`${tier}: events were dropped while timing track(): ${JSON.stringify(dropped)}`);
      await context.close();
      // Page hide with a realistic queue, in a page of its own.
      const context2 = await browser.newContext();
      const tab2 = await context2.newPage();
      await tab2.goto(url);
      await tab2.evaluate((n) => globalThis.bench.track(n), QUEUED);
      run.hide.push(await tab2.evaluate(() => globalThis.bench.hide()));
      await context2.close();
    }
  }
} finally {
  await browser.close();
  site.close();
  receiver.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);
// Sizes of the browser entries exactly as the budget check measures them (scripts/bundle-budgets.json).
const sizes = {};
const { entries } = JSON.parse(readFileSync(new URL('../../scripts/bundle-budgets.json', import.meta.url), 'utf8'));
for (const entry of entries) {
  const m = await measure(entry.code, entry.onDemand ?? []);
  sizes[entry.name] = {
    criticalKb: +(m.gzipBytes / 1024).toFixed(2),
    everyPageKb: +(m.everyPageGzipBytes / 1024).toFixed(2),
    onDemandKb: +(m.lazyGzipBytes / 1024).toFixed(1),
    budgetKb: entry.budgetKb,
    targetKb: entry.targetKb,
  };
}

const out = { loads: LOADS, tiers: {}, gzip: sizes };
for (const [tier, run] of Object.entries(runs)) {
  out.tiers[tier] = {
    initMs: { median: median(run.init), max: max(run.init) },
    trackUsPerCall: { median: median(run.track) * 1000, max: max(run.track) * 1000 },
    pageHideFlushMs: { median: median(run.hide), max: max(run.hide), events: QUEUED },
  };
}
const f = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
const [full, lite] = [out.tiers['@lookout/browser'], out.tiers['@lookout/browser/lite']];
out.markdown = [
  '## @lookout/browser on the main thread (headless Chromium)',
  '',
  `Median (max) over ${LOADS} page loads of Debian's Chromium on this machine, for each tier.`,
  '',
  '| measure | `@lookout/browser` median | max | `@lookout/browser/lite` median | max |',
  '|---|---|---|---|---|',
  `| \`initMonitoring()\`, synchronous part on a cold page (ms) | ${f(full.initMs.median)} | ${f(full.initMs.max)} | ${f(lite.initMs.median)} | ${f(lite.initMs.max)} |`,
  `| \`track()\` with 3 properties (µs per call, ${TRACKS} calls) | ${f(full.trackUsPerCall.median)} | ${f(full.trackUsPerCall.max)} | ${f(lite.trackUsPerCall.median)} | ${f(lite.trackUsPerCall.max)} |`,
  `| page-hide flush of ${QUEUED} queued events, synchronous part (ms) | ${f(full.pageHideFlushMs.median)} | ${f(full.pageHideFlushMs.max)} | ${f(lite.pageHideFlushMs.median)} | ${f(lite.pageHideFlushMs.max)} |`,
  '',
  'Gzip KB of the browser entries (`node scripts/check-bundle-size.mjs`): *critical* is what loads before the entry runs, *every page* adds the chunks every page then imports (the budget is checked against it), *on demand* what loads only when asked (Sentry with a DSN; metrics with a registry; IndexedDB with persistence).',
  '',
  '| entry | critical | every page | budget | target | on demand |',
  '|---|---|---|---|---|---|',
  ...Object.entries(sizes).map(([k, v]) => `| ${k} | ${v.criticalKb} | ${v.everyPageKb} | ${v.budgetKb} | ${v.targetKb === undefined ? '' : `${v.targetKb}${v.everyPageKb > v.targetKb ? ' ❌' : ' ✅'}`} | ${v.onDemandKb} |`),
].join('\n');
console.log(JSON.stringify(out));
