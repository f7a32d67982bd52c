import { getDiagnostics } from '../diagnostics/index.js';
import { DISPOSE } from '../metrics/internal/clock.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import type { Counter, Gauge, Histogram, Timer, UpDownCounter } from '../metrics/types.js';

export interface StandardMetricsOptions {
  /** Prefix of every name. Default `'app'`, giving e.g. `app_startup_duration_seconds`. */
  namespace?: string;
  /**
   * Registry to define the metrics in (required; `getDefaultRegistry()` for the default one). No
   * default here, so browser bundles that pass none never carry the registry implementation.
   */
  registry: MetricsRegistry;
}

/** Startup times of CLIs and servers: 10 ms … 5 s, dense around the 50–250 ms budget. */
export const STARTUP_BUCKETS_S: readonly number[] = Object.freeze([0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5]);
/** Pipeline stages, including model calls that take seconds: 10 ms … 2 min. */
export const STAGE_BUCKETS_S: readonly number[] = Object.freeze([0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120]);

/** The ready-made metrics every Lookout app shares, with conventional names, units and buckets. */
export interface StandardMetrics {
  /** `{ns}_startup_duration_seconds`: process start to ready. */
  startupDuration: Histogram;
  /** `{ns}_pipeline_stage_duration_seconds{stage,model,outcome}`: one observation per stage run. */
  stageDuration: Histogram<'stage' | 'model' | 'outcome'>;
  /** `{ns}_memory_usage_bytes{type}`: process memory (`rss`, `heap_used`, `heap_total`, `external`). */
  memoryUsage: Gauge<'type'>;
  /** `{ns}_sessions_active`: sessions open now. */
  activeSessions: UpDownCounter;
  /** `{ns}_errors_total{category,severity}`. */
  errors: Counter<'category' | 'severity'>;
}

/**
 * Defines (or returns, when already defined) the standard metrics in a registry. Domain metrics
 * take one line each on the same registry, e.g.
 * `registry.counter('app.files.analyzed', { unit: '{file}' })` (files per second is its `rate()`),
 * `registry.gauge('app.cache.hit_ratio', { unit: '1' })`, `registry.gauge('app.frame.rate', { unit: '{frame}' })`,
 * `registry.histogram('app.input.latency', { unit: 's' })`.
 */
export function createStandardMetrics(options: StandardMetricsOptions): StandardMetrics {
  const registry = (options as Partial<StandardMetricsOptions> | undefined)?.registry;
  if (registry === undefined || registry === null || typeof (registry as { histogram?: unknown }).histogram !== 'function') {
    getDiagnostics().warn('metric.registry-missing', 'createStandardMetrics: `registry` must be a MetricsRegistry; the standard metrics record nothing', 'createStandardMetrics');
    return noopStandardMetrics();
  }
  const ns = typeof options.namespace === 'string' && options.namespace !== '' ? options.namespace : 'app';
  return {
    startupDuration: registry.histogram(`${ns}.startup.duration`, {
      description: 'Time from process start until the application is ready',
      unit: 's',
      buckets: STARTUP_BUCKETS_S,
    }),
    stageDuration: registry.histogram(`${ns}.pipeline.stage.duration`, {
      description: 'Duration of one pipeline stage, by stage, model and outcome',
      unit: 's',
      labels: ['stage', 'model', 'outcome'],
      buckets: STAGE_BUCKETS_S,
    }),
    memoryUsage: registry.gauge(`${ns}.memory.usage`, {
      description: 'Process memory in bytes, by type',
      unit: 'By',
      labels: ['type'],
    }),
    activeSessions: registry.upDownCounter(`${ns}.sessions.active`, {
      description: 'Sessions open now',
      unit: '{session}',
    }),
    errors: registry.counter(`${ns}.errors`, {
      description: 'Errors, by category and severity',
      unit: '{error}',
      labels: ['category', 'severity'],
    }),
  };
}

/** Standard metrics that accept every call and record nothing (no registry was given). */
function noopStandardMetrics(): StandardMetrics {
  const record = (): void => {};
  const timer = (): Timer => {
    const end = ((): number => 0) as Timer;
    end.end = end;
    end[DISPOSE] = record;
    return end;
  };
  const histogram = { name: '', record, startTimer: timer, bind: () => ({ record, startTimer: timer }) } as unknown as Histogram<never>;
  return {
    startupDuration: histogram,
    stageDuration: histogram as unknown as StandardMetrics['stageDuration'],
    memoryUsage: { name: '', set: record, bind: () => ({ set: record }) } as unknown as StandardMetrics['memoryUsage'],
    activeSessions: { name: '', add: record, bind: () => ({ add: record }) } as unknown as StandardMetrics['activeSessions'],
    errors: { name: '', add: record, bind: () => ({ add: record }) } as unknown as StandardMetrics['errors'],
  };
}
