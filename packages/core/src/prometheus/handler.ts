import { renderPrometheus, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from '../exposition/renderPrometheus.js';
import { getDefaultRegistry } from '../metrics/defaultRegistry.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';

/** What a scrape needs from the incoming request. */
export interface ScrapeRequest {
  /** The request's `Accept` header. */
  accept?: string | null;
}

/** What to send back: framework-agnostic, so any HTTP server can serve it. */
export interface ScrapeResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface PrometheusHandlerOptions {
  /** Default: the default registry (which starts aggregating when the handler is created). */
  registry?: MetricsRegistry;
  /** Answer OpenMetrics to scrapers whose Accept header asks for it. Default true. */
  openMetrics?: boolean;
  /** Longest wait for observable callbacks (ms). Default 1000. */
  observeTimeoutMs?: number;
}

/**
 * A scrape handler for any HTTP framework: `const { status, contentType, body } = await handler({ accept })`.
 * Negotiates OpenMetrics from the Accept header. Never rejects; a failure answers 500.
 */
export function createPrometheusHandler(options: PrometheusHandlerOptions = {}): (request?: ScrapeRequest) => Promise<ScrapeResponse> {
  const registry = options.registry ?? getDefaultRegistry();
  registry.enable();
  const allowOpenMetrics = options.openMetrics !== false;
  return async (request) => {
    try {
      const accept = request?.accept ?? '';
      const openMetrics = allowOpenMetrics && typeof accept === 'string' && accept.includes('application/openmetrics-text');
      const body = await renderPrometheus(registry, { openMetrics, observeTimeoutMs: options.observeTimeoutMs });
      return { status: 200, contentType: openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE, body };
    } catch (error) {
      registry.diag.internalError(error, 'prometheus scrape');
      return { status: 500, contentType: 'text/plain; charset=utf-8', body: 'lookout: scrape failed\n' };
    }
  };
}
