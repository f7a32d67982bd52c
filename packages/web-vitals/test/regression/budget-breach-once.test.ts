// `onBudgetExceeded` runs once per metric instance however many instances came before: the
// collector cleared every remembered id once it held 128, so a live instance (the page's INP,
// reported again at the next hide) had its breach reported twice; the lite tier's set had no bound.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('web-vitals', () => import('../../../../testing/fakeWebVitals.js'));
import { startLiteVitals } from '@lookout/web-vitals/lite';
import { webVitals } from '../../../../testing/fakeWebVitals.js';
import { createCollector } from '../../src/collector/createCollector.js';
import { createFakeSource, installFakePage } from '../helpers/fakePage.js';

let page: ReturnType<typeof installFakePage>;
beforeEach(() => {
  page = installFakePage('/app');
  webVitals.callbacks.clear();
});
afterEach(() => page.restore());

const inp = (id: string, value: number) => ({ name: 'INP', value, delta: value, rating: 'poor', id, navigationType: 'navigate' });

describe('createCollector', () => {
  describe('onBudgetExceeded', () => {
    it('should run once for a live instance reported again after the remembered ids filled up', () => {
      const breaches: string[] = [];
      const source = createFakeSource();
      createCollector(source, { onBudgetExceeded: (b) => breaches.push(`${b.id}:${b.value}`) });
      const others = (from: number, count: number) => {
        for (let i = from; i < from + count; i++) source.emit({ ...inp(`other-${i}`, 5000), name: 'LCP' });
      };
      // A long-lived SPA: many earlier instances, then the current page's INP, then a few more.
      others(0, 100);
      source.emit(inp('inp-current', 350));
      others(100, 40);
      // web-vitals reports the same INP instance again at the next hide.
      source.emit(inp('inp-current', 420));
      expect(breaches.filter((b) => b.startsWith('inp-current'))).toEqual(['inp-current:350']);
    });
  });
});

describe('startLiteVitals', () => {
  it('should run onBudgetExceeded once per instance and remember a bounded number of them', () => {
    const breaches: string[] = [];
    startLiteVitals({ onBudgetExceeded: (b) => breaches.push(b.id) }, () => '/app', () => undefined, () => undefined);
    const report = webVitals.callbacks.get('INP')!;
    report(inp('inp-current', 350));
    for (let i = 0; i < 100; i++) report(inp(`other-${i}`, 300));
    report(inp('inp-current', 420));
    expect(breaches.filter((id) => id === 'inp-current')).toHaveLength(1);
    // Bounded: the oldest of more than 128 breached instances is forgotten.
    for (let i = 0; i < 200; i++) report(inp(`more-${i}`, 300));
    report(inp('other-0', 300));
    expect(breaches.filter((id) => id === 'other-0')).toHaveLength(2);
  });
});
