import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, createStandardMetrics, instrument } from '@lookout/core';
import { budgetPreset, createBudgetMonitor } from '@lookout/core/budgets';
import { collectReportFromRegistry, renderReportHtml } from '@lookout/core/generate';
import { CHROMIUM_ARGS, findChromium } from '../../../../testing/backends.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const MIB = 1024 * 1024;

describe('HTML budget report in Chromium', () => {
  it('should open without console errors or requests, show every budget, and be kept as a screenshot', async () => {
    // A day of an app on a fake clock: memory creeping up, pipeline stages slowing, a few errors.
    let now = Date.UTC(2025, 0, 15, 0, 0, 0);
    const registry = createMetricsRegistry({ now: () => now, diagnostics: createDiagnostics({ level: 'none' }) });
    const std = createStandardMetrics({ registry });
    const work = instrument('parse', (fail: boolean) => {
      if (fail) throw new Error('bad input');
      return 1;
    }, { registry });
    const budgets = [
      budgetPreset('startup'),
      budgetPreset('pipeline-duration'),
      budgetPreset('memory'),
      budgetPreset('error-rate'),
      budgetPreset('frame-rate'),
    ];
    registry.gauge('app.frame.rate', { unit: '{frame}' });
    const monitor = createBudgetMonitor({ registry, budgets, autoStart: false });
    std.startupDuration.record(0.042);
    for (let i = 0; i < 96; i++) {
      std.memoryUsage.set((20 + i * 0.35) * MIB, { type: 'heap_used' });
      for (let j = 0; j < 20; j++) std.stageDuration.record(0.2 + i * 0.012 + (j % 5) * 0.05, { stage: 'embed', model: 'm', outcome: 'ok' });
      for (let j = 0; j < 200; j++) {
        try {
          work(j === 0 && i % 3 === 0);
        } catch {
          // Counted by instrument().
        }
      }
      (registry.getInstrument('app_frame_rate') as { set(v: number): void }).set(58 - (i % 7));
      if (i % 10 === 0) std.errors.add(1 + (i % 4), { category: i % 20 === 0 ? 'network' : 'validation', severity: 'high' });
      await monitor.evaluate();
      now += 15 * 60_000;
    }
    const data = await collectReportFromRegistry(budgets, { registry, monitor, title: 'Nightly performance report' });
    expect(data.budgets.every((b) => b.value !== null)).toBe(true);
    const html = renderReportHtml(data);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'budgets-report.html');
    writeFileSync(file, html);

    const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(await page.locator('.grade').textContent()).toBe(data.grade);
      expect(await page.locator('tbody tr').first().locator('b').textContent()).toBe('startup');
      expect(await page.locator('svg.chart').count()).toBe(5);
      // Each chart drew its series path; its size is real layout, not zero.
      const box = await page.locator('svg.chart').nth(2).boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await page.locator('svg.chart').nth(2).locator('path').count()).toBe(2);
      await page.screenshot({ path: join(ARTIFACTS, 'budgets-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 30_000);
});
