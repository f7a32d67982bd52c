import { describe, expect, it } from 'vitest';
import * as root from '@lookout/web-vitals';
import * as attribution from '@lookout/web-vitals/attribution';
import * as schema from '@lookout/web-vitals/schema';

describe('@lookout/web-vitals', () => {
  describe('exports', () => {
    it('should export the root surface by package name', () => {
      expect(Object.keys(root).sort()).toEqual(
        [
          'CLS_BUCKETS',
          'DEFAULT_BUDGETS',
          'DEFAULT_CLS_BUDGET',
          'DEFAULT_FCP_BUDGET_MS',
          'DEFAULT_INP_BUDGET_MS',
          'DEFAULT_LCP_BUDGET_MS',
          'DEFAULT_MAX_ATTRIBUTION_LENGTH',
          'DEFAULT_SOFT_NAVIGATION_EVENT_NAME',
          'DEFAULT_VITAL_EVENT_NAME',
          'INP_BUCKETS_S',
          'MAX_LANDING_URL_LENGTH',
          'MAX_ROUTE_LENGTH',
          'PAINT_BUCKETS_S',
          'TTFB_BUCKETS_S',
          'UNKNOWN_ROUTE',
          'VITAL_NAMES',
          'createWebVitalsCollector',
          'readWebVitalsOptions',
          'WEB_VITALS_FIELD_CHECKS',
          'routeFromPath',
          'toEventProperties',
        ].sort(),
      );
      expect(root.DEFAULT_BUDGETS).toEqual({ FCP: 2000, LCP: 3000, CLS: 0.1, INP: 200 });
    });

    it('should export the zod schema resolver from ./schema only', () => {
      expect(Object.keys(schema)).toEqual(['resolveWebVitalsOptions']);
    });

    it('should export the attribution collector from ./attribution', () => {
      expect(Object.keys(attribution).sort()).toEqual(['createWebVitalsCollector', 'summariseAttribution']);
      expect(attribution.createWebVitalsCollector).not.toBe(root.createWebVitalsCollector);
    });

    it('should export the lite reporter from ./lite, with the same route labels and defaults as the root', async () => {
      const lite = await import('@lookout/web-vitals/lite');
      expect(Object.keys(lite).sort()).toEqual(['BUDGETS_CHECK', 'DEFAULT_BUDGETS', 'DEFAULT_SOFT_NAVIGATION_EVENT_NAME', 'DEFAULT_VITAL_EVENT_NAME', 'SOFT_NAVIGATION_WAIT_MS', 'UNKNOWN_ROUTE', 'cleanRoute', 'routeFromPath', 'softNavigationSupport', 'startLiteVitals', 'unlessSoftNavigation']);
      expect(lite.routeFromPath).toBe(root.routeFromPath);
      expect(lite.DEFAULT_BUDGETS).toBe(root.DEFAULT_BUDGETS);
    });
  });

  describe('routeFromPath', () => {
    it('should fold ids, drop query and fragment, and bound segments', () => {
      expect(root.routeFromPath('/users/42/orders/3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b?tab=1#x')).toBe('/users/:id/orders/:id');
      expect(root.routeFromPath('/a/b/c/d/e/f/g/h/i/j')).toBe('/a/b/c/d/e/f/g/h/…');
      expect(root.routeFromPath('/blog/how-we-ship')).toBe('/blog/how-we-ship');
      expect(root.routeFromPath('/files/deadbeefcafe1234')).toBe('/files/:id');
      expect(root.routeFromPath('')).toBe('/');
    });
  });
});
