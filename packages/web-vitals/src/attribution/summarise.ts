import type { AttributionSummary } from '../types.js';
import type { MetricLike } from '../collector/createCollector.js';

// Runs of two or more digits in selectors (`#row-1234`) become `N`, so one label is not one per element.
const DIGIT_RUN = /\d{2,}/g;

/**
 * A bounded summary of a metric's attribution: a few named numbers (milliseconds, rounded) and
 * at most two short strings per metric (a CSS selector with digit runs collapsed, the load
 * state or interaction type), each cut to `maxLength`. URLs and DOM nodes are left out.
 */
export function summariseAttribution(metric: MetricLike, maxLength: number): AttributionSummary | undefined {
  const a = metric.attribution as Record<string, unknown> | undefined;
  if (typeof a !== 'object' || a === null) return undefined;
  const out: AttributionSummary = {};
  const text = (key: string, value: unknown): void => {
    if (typeof value !== 'string' || value.length === 0) return;
    const short = value.replace(DIGIT_RUN, 'N');
    out[key] = short.length > maxLength ? short.slice(0, maxLength) : short;
  };
  const ms = (key: string, value: unknown): void => {
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = Math.round(value * 10) / 10;
  };
  switch (metric.name) {
    case 'LCP':
      text('target', a['target']);
      ms('ttfb_ms', a['timeToFirstByte']);
      ms('resource_load_delay_ms', a['resourceLoadDelay']);
      ms('resource_load_duration_ms', a['resourceLoadDuration']);
      ms('element_render_delay_ms', a['elementRenderDelay']);
      break;
    case 'INP':
      text('target', a['interactionTarget']);
      text('interaction_type', a['interactionType']);
      text('load_state', a['loadState']);
      ms('input_delay_ms', a['inputDelay']);
      ms('processing_duration_ms', a['processingDuration']);
      ms('presentation_delay_ms', a['presentationDelay']);
      break;
    case 'CLS':
      text('target', a['largestShiftTarget']);
      text('load_state', a['loadState']);
      if (typeof a['largestShiftValue'] === 'number' && Number.isFinite(a['largestShiftValue'])) out['largest_shift_value'] = Math.round(a['largestShiftValue'] * 1e4) / 1e4;
      ms('largest_shift_time_ms', a['largestShiftTime']);
      break;
    case 'FCP':
      text('load_state', a['loadState']);
      ms('ttfb_ms', a['timeToFirstByte']);
      ms('first_byte_to_fcp_ms', a['firstByteToFCP']);
      break;
    case 'TTFB':
      ms('waiting_ms', a['waitingDuration']);
      ms('cache_ms', a['cacheDuration']);
      ms('dns_ms', a['dnsDuration']);
      ms('connection_ms', a['connectionDuration']);
      ms('request_ms', a['requestDuration']);
      break;
    default:
      return undefined;
  }
  return out;
}
