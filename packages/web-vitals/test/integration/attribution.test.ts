// The attribution collector in Debian's Chromium: real web-vitals reports, real attribution.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../../testing/backends.js';
import { lookoutSources } from '../../../../testing/bundleFixture.js';
import type { VitalReport } from '@lookout/web-vitals';

declare const vitalsTest: { reports: VitalReport[]; breaches: string[]; metrics(): Promise<string> };
declare const document: { dispatchEvent(e: unknown): boolean };
declare const window: { dispatchEvent(e: unknown): boolean };

let browser: Browser;
let site: Server;
let url: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [resolve(import.meta.dirname, '../fixtures/attributionPage.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    plugins: [lookoutSources],
  });
  expect(out.warnings).toEqual([]);
  const script = out.outputFiles[0]?.text ?? '';
  const html = `<!doctype html><title>v</title><h1 style="font-size:64px">Attribution</h1><p>Some text to paint.</p>
    <!-- INP needs a handler of 40 ms or more that also paints -->
    <button id="slow" onclick="const t=performance.now()+80;while(performance.now()<t){}this.textContent='done'">slow</button>
    <script>${script.replace(/<\/script/g, '<\\/script')}</script>`;
  site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  const address = site.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/items/99`;
  browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
});

describe('createWebVitalsCollector (attribution build, headless Chromium)', () => {
  describe('reports', () => {
    it('should report every metric with a bounded attribution summary, budgets and histograms', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      // FCP and TTFB come right after load: once they are in, the collector's observers are
      // running, so the click below is seen (on a loaded machine the first task can be late).
      await page.waitForFunction(() => typeof vitalsTest !== 'undefined' && vitalsTest.reports.length >= 2, undefined, { timeout: 20_000 });
      await page.click('#slow');
      await page.waitForTimeout(1500);
      // Hidden: CLS and INP are reported (the page stays open to be read).
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await page.waitForFunction(() => vitalsTest.reports.length >= 5, undefined, { timeout: 20_000 });
      // Unloading: CLS and INP are final, and go into the histograms.
      await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
      const reports = await page.evaluate(() => vitalsTest.reports);
      const breaches = await page.evaluate(() => vitalsTest.breaches);
      const metrics = await page.evaluate(() => vitalsTest.metrics());
      await context.close();

      const byName = Object.fromEntries(reports.map((r) => [r.name, r]));
      expect(Object.keys(byName).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
      for (const r of reports) {
        expect(r.route).toBe('/items/:id');
        expect(r.attribution).toBeDefined();
        // Bounded: a handful of numbers and short strings, never DOM nodes or entries.
        for (const v of Object.values(r.attribution ?? {})) expect(['string', 'number']).toContain(typeof v);
        expect(Object.keys(r.attribution ?? {}).length).toBeLessThanOrEqual(6);
      }
      expect(byName['INP']?.attribution).toMatchObject({ target: '#slow', interaction_type: 'pointer' });
      expect(byName['INP']?.value).toBeGreaterThanOrEqual(80);
      expect(byName['LCP']?.attribution?.['target']).toMatch(/h1|p/);
      expect(breaches).toContain('INP');
      expect(metrics).toContain('web_vitals_inp_seconds_count{route="/items/:id"');
      expect(metrics).toContain('web_vitals_ttfb_seconds_bucket');
    });
  });
});
