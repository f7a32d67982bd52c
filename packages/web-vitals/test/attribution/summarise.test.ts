import { describe, expect, it } from 'vitest';
import { summariseAttribution } from '../../src/attribution/summarise.js';

describe('summariseAttribution', () => {
  describe('summariseAttribution', () => {
    it('should keep the LCP phases and a selector with digit runs folded, and drop entries and URLs', () => {
      const summary = summariseAttribution(
        {
          name: 'LCP',
          value: 1,
          delta: 1,
          rating: 'good',
          id: 'x',
          attribution: { target: 'main > img#hero-12345', url: 'https://cdn.example.com/a.jpg?sig=secret', timeToFirstByte: 12.345, resourceLoadDelay: 3, resourceLoadDuration: 40.04, elementRenderDelay: 7, lcpEntry: {}, navigationEntry: {} },
        },
        100,
      );
      expect(summary).toEqual({ target: 'main > img#hero-N', ttfb_ms: 12.3, resource_load_delay_ms: 3, resource_load_duration_ms: 40, element_render_delay_ms: 7 });
    });

    it('should cut long selectors to maxLength', () => {
      const summary = summariseAttribution({ name: 'INP', value: 1, delta: 1, rating: 'good', id: 'x', attribution: { interactionTarget: 'div.a'.repeat(100), interactionType: 'pointer', inputDelay: 1, processingDuration: 2, presentationDelay: 3, loadState: 'complete' } }, 20);
      expect(String(summary?.['target'])).toHaveLength(20);
      expect(summary).toMatchObject({ interaction_type: 'pointer', load_state: 'complete', input_delay_ms: 1, processing_duration_ms: 2, presentation_delay_ms: 3 });
    });

    it('should return undefined for a metric without attribution or an unknown name', () => {
      expect(summariseAttribution({ name: 'LCP', value: 1, delta: 1, rating: 'good', id: 'x' }, 100)).toBeUndefined();
      expect(summariseAttribution({ name: 'FID', value: 1, delta: 1, rating: 'good', id: 'x', attribution: {} }, 100)).toBeUndefined();
    });

    it('should skip non-finite numbers and non-string texts', () => {
      const summary = summariseAttribution({ name: 'TTFB', value: 1, delta: 1, rating: 'good', id: 'x', attribution: { waitingDuration: Number.NaN, dnsDuration: 'x', cacheDuration: 1, connectionDuration: Infinity, requestDuration: 2 } }, 100);
      expect(summary).toEqual({ cache_ms: 1, request_ms: 2 });
    });
  });
});
