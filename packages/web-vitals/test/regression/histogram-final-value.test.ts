// Vitals histograms hold one observation per metric instance, with its final value: they kept
// the first report of each id, so with `reportAllChanges` an early LCP candidate or the first
// layout shift, and with the defaults the CLS or INP of the first hide (web-vitals reports them
// again, same id, at each later hide where they grew). A page whose CLS ended poor was "good".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createCollector } from '../../src/collector/createCollector.js';
import { createFakeSource, installFakePage } from '../helpers/fakePage.js';

let page: ReturnType<typeof installFakePage>;
let pageHide: Array<() => void>;
beforeEach(() => {
  page = installFakePage('/app');
  pageHide = [];
  vi.stubGlobal('addEventListener', (type: string, listener: () => void) => type === 'pagehide' && pageHide.push(listener));
  vi.stubGlobal('removeEventListener', (type: string, listener: () => void) => type === 'pagehide' && pageHide.splice(pageHide.indexOf(listener), 1));
});
afterEach(() => {
  page.restore();
  vi.unstubAllGlobals();
});

/** The collector with a registry whose histograms module has loaded. */
async function start(reportAllChanges: boolean) {
  const registry = createMetricsRegistry();
  const source = createFakeSource();
  const collector = createCollector(source, { registry, reportAllChanges });
  source.emit({ name: 'TTFB', value: 100, id: 't' });
  // Once the histograms module is in, a page hide closes the TTFB instance.
  await vi.waitFor(async () => {
    for (const listener of [...pageHide]) listener();
    expect(await renderPrometheus(registry)).toContain('web_vitals_ttfb_seconds_count');
  });
  return { source, collector, text: () => renderPrometheus(registry) };
}

const series = (text: string, metric: string) => text.split('\n').filter((l) => l.startsWith(`web_vitals_${metric}_count`) || l.startsWith(`web_vitals_${metric}_sum`));

describe('createCollector', () => {
  describe('histograms', () => {
    it('should record the final LCP and CLS of an instance with reportAllChanges, once', async () => {
      const { source, text } = await start(true);
      source.emit({ name: 'LCP', value: 400, id: 'lcp', rating: 'good' });
      source.emit({ name: 'LCP', value: 2900, id: 'lcp', rating: 'needs-improvement' });
      source.emit({ name: 'CLS', value: 0.01, id: 'cls', rating: 'good' });
      source.emit({ name: 'CLS', value: 0.4, id: 'cls', rating: 'poor' });
      for (const listener of [...pageHide]) listener();
      const out = await text();
      expect(series(out, 'lcp_seconds')).toEqual([
        'web_vitals_lcp_seconds_sum{route="/app",rating="needs-improvement",navigation_type="navigate"} 2.9',
        'web_vitals_lcp_seconds_count{route="/app",rating="needs-improvement",navigation_type="navigate"} 1',
      ]);
      expect(series(out, 'cls')).toEqual(['web_vitals_cls_sum{route="/app",rating="poor",navigation_type="navigate"} 0.4', 'web_vitals_cls_count{route="/app",rating="poor",navigation_type="navigate"} 1']);
    });

    it('should record the CLS of the last hide with the defaults, not the first', async () => {
      const { source, collector, text } = await start(false);
      source.emit({ name: 'CLS', value: 0.05, id: 'cls', rating: 'good' });
      source.emit({ name: 'CLS', value: 0.3, id: 'cls', rating: 'poor' });
      collector.stop();
      expect(series(await text(), 'cls')).toEqual(['web_vitals_cls_sum{route="/app",rating="poor",navigation_type="navigate"} 0.3', 'web_vitals_cls_count{route="/app",rating="poor",navigation_type="navigate"} 1']);
    });

    it('should close an instance when a new one of the same metric replaces it', async () => {
      const { source, text } = await start(false);
      source.emit({ name: 'INP', value: 120, id: 'inp-1', rating: 'good' });
      source.emit({ name: 'INP', value: 350, id: 'inp-1', rating: 'needs-improvement' });
      source.emit({ name: 'INP', value: 80, id: 'inp-2', rating: 'good', navigationType: 'soft-navigation' });
      expect(series(await text(), 'inp_seconds')).toEqual([
        'web_vitals_inp_seconds_sum{route="/app",rating="needs-improvement",navigation_type="navigate"} 0.35',
        'web_vitals_inp_seconds_count{route="/app",rating="needs-improvement",navigation_type="navigate"} 1',
      ]);
    });
  });
});
