// Route labels never carry tokens, emails or ids: path segments that look like one are folded to
// `:id`; a label over 128 characters is cut before the word that crosses the limit (a JWT cut in
// its payload no longer looks like a JWT to the event client's scrubber); histogram labels, which
// the registry never redacts, are scrubbed with the event client's rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { cleanRoute, routeFromPath } from '@lookout/web-vitals/lite';
import { createCollector } from '../../src/collector/createCollector.js';
import { createFakeSource, installFakePage } from '../helpers/fakePage.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJqYW5lLmRvZUBleGFtcGxlLmNvbSIsIm5hbWUiOiJKYW5lIERvZSJ9.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

let page: ReturnType<typeof installFakePage>;
beforeEach(() => {
  page = installFakePage('/');
});
afterEach(() => page.restore());

describe('routeFromPath', () => {
  it.each([
    [`/auth/callback/${JWT}`, '/auth/callback/:id'],
    ['/invite/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==', '/invite/:id'],
    ['/share/abc.def-123.ghi456jkl789mnop', '/share/:id'],
    ['/users/jane.doe@example.com/orders', '/users/:id/orders'],
    ['/reset/alice%40example.com', '/reset/:id'],
    ['/orders/ORD-2024-000123', '/orders/:id'],
  ])('should fold the token or id in %s', (path, route) => {
    expect(routeFromPath(path)).toBe(route);
  });

  it.each([['/products/shoes'], ['/blog/getting-started'], ['/docs/v2/api'], ['/en-GB/checkout/step-3']])('should keep the names in %s', (path) => {
    expect(routeFromPath(path)).toBe(path);
  });
});

describe('cleanRoute', () => {
  it('should fold the tokens, emails and ids in a host-given label', () => {
    expect(cleanRoute(`/auth/callback/${JWT}`)).toBe('/auth/callback/:id');
    expect(cleanRoute(`magic link ${JWT}`)).toBe('magic link :id');
    expect(cleanRoute('/reset/alice@example.com')).toBe('/reset/:id');
    expect(cleanRoute('/products/:productId')).toBe('/products/:productId');
    expect(cleanRoute('checkout')).toBe('checkout');
  });

  it('should cut a long label before the word that crosses the limit, so no part of a token is left', () => {
    const cut = cleanRoute(`/search ${'results '.repeat(15)}Bearer abc.def`) ?? '';
    expect(cut.length).toBeLessThanOrEqual(128);
    expect(cut).toMatch(/results …$/);
    const long = `/${'section/'.repeat(20)}`;
    expect(cleanRoute(long)?.length).toBeLessThanOrEqual(128);
    expect(cleanRoute(long)).toMatch(/^\/section\/.*\/…$/);
    expect(cleanRoute('/checkout')).toBe('/checkout');
  });
});

describe('createCollector', () => {
  describe('histograms', () => {
    it('should never put an email or a token into a histogram label', async () => {
      const registry = createMetricsRegistry();
      const source = createFakeSource();
      const collector = createCollector(source, { registry });
      page.setPath('/users/jane.doe@example.com/orders');
      source.emit({ name: 'LCP', value: 1200 });
      collector.setRoute(`/reset/${JWT}`);
      source.emit({ name: 'FCP', value: 900 });
      collector.setRoute('/reset/alice@example.com');
      source.emit({ name: 'TTFB', value: 100 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = await renderPrometheus(registry);
      expect(text).toContain('web_vitals_lcp_seconds_count');
      expect(text).not.toMatch(/jane|alice|eyJ/);
    });
  });
});
