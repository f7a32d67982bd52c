import { isHistogram, type AnyInstrument, type HistogramImpl } from '../metrics/internal/instruments.js';
import { finiteTotal, hasCounterSum } from '../metrics/internal/series.js';
import type { HistogramSeries, ScalarSeries } from '../metrics/internal/series.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { escapeHelp, escapeLabelValue, openMetricsFamilyName, openMetricsUnit } from '../metrics/names.js';

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export interface RenderOptions {
  /** OpenMetrics 1.0 instead of the Prometheus text format: `# UNIT`, `# EOF`, exemplars. Default false. */
  openMetrics?: boolean;
  /** Runs observable callbacks for at most this long (ms). Default 1000. */
  observeTimeoutMs?: number;
}

const OVERFLOW_LABEL = 'otel_metric_overflow="true"';

/**
 * Renders every instrument of `registry` in the Prometheus text format (or OpenMetrics). Runs
 * observable callbacks first and applies series TTLs. Never throws: a failure is reported to the
 * registry's diagnostics and the rest is still rendered.
 */
export async function renderPrometheus(registry: MetricsRegistry, options: RenderOptions = {}): Promise<string> {
  await registry.prepareCollection(options.observeTimeoutMs);
  return renderPrepared(registry, options.openMetrics === true);
}

/**
 * Renders synchronously, for where nothing can be awaited: a `process.on('exit')` handler after
 * the host called `process.exit()`. Runs the observable callbacks that answer synchronously;
 * asynchronous ones are started but not awaited, so their series are missing from this render
 * (they are back at the next one). Never throws.
 */
export function renderPrometheusSync(registry: MetricsRegistry, options: RenderOptions = {}): string {
  try {
    // prepareCollection runs every callback synchronously up to its first `await`.
    registry.prepareCollection(options.observeTimeoutMs).catch((error: unknown) => registry.diag.internalError(error, 'renderPrometheusSync'));
  } catch (error) {
    registry.diag.internalError(error, 'renderPrometheusSync');
  }
  return renderPrepared(registry, options.openMetrics === true);
}

/** Renders without running callbacks (the caller has called `prepareCollection`). */
export function renderPrepared(registry: MetricsRegistry, openMetrics: boolean): string {
  let out = '';
  for (const inst of registry.instruments()) {
    try {
      out += renderInstrument(inst, openMetrics);
    } catch (error) {
      registry.diag.internalError(error, `render ${inst.d.promName}`);
    }
  }
  return openMetrics ? `${out}# EOF\n` : out;
}

function renderInstrument(inst: AnyInstrument, om: boolean): string {
  const d = inst.d;
  const family = om ? openMetricsFamilyName(d.promName, d.kind) : d.promName;
  const type = d.kind === 'counter' || d.kind === 'observablecounter' ? 'counter' : d.kind === 'histogram' ? 'histogram' : 'gauge';
  let out = `# HELP ${family} ${escapeHelp(d.description || d.name, om)}\n# TYPE ${family} ${type}\n`;
  if (om) {
    const unit = openMetricsUnit(d.unit);
    if (unit !== undefined && family.endsWith(`_${unit}`)) out += `# UNIT ${family} ${unit}\n`;
  }
  const name = d.promName;
  if (isHistogram(inst)) {
    const le = leLabels(inst);
    // OpenMetrics 1.0 (Histogram): the sum is a counter, so "MUST NOT be NaN or negative", and
    // "Negative threshold buckets MAY be used, but then the Histogram MetricPoint MUST NOT contain
    // a sum value". The text format 0.0.4 has no such rule: it keeps `_sum`, as prom-client does.
    const omNoSum = om && inst.bounds.length > 0 && inst.bounds[0]! < 0;
    forEachLabelText(inst, (s, inner) => {
      const h = s as HistogramSeries;
      out += renderHistogramSeries(name, h, inner, le, om, !om || (!omNoSum && hasCounterSum(h)));
    });
    return out;
  }
  forEachLabelText(inst, (s, inner) => {
    out += `${name}${inner === '' ? '' : `{${inner}}`} ${formatValue(finiteTotal((s as ScalarSeries).v))}\n`;
  });
  return out;
}

/**
 * Walks the instrument's series with their label text (`a="x",b="y"`, without braces). The text
 * of each level of the tree is built once and shared by everything below it, so a series costs
 * one label's worth of string work and no label text is kept between scrapes.
 */
function forEachLabelText(inst: AnyInstrument, emit: (s: ScalarSeries | HistogramSeries, inner: string) => void): void {
  const table = inst.table;
  const names = inst.d.labelNames;
  const last = names.length - 1;
  if (last < 0) {
    if (table.single !== undefined) emit(table.single, '');
  } else {
    // Map#forEach rather than for…of: no entry array is allocated per series.
    const walk = (node: Map<string, unknown>, depth: number, prefix: string): void => {
      const sep = prefix === '' ? '' : ',';
      const label = names[depth]!;
      node.forEach((child, value) => {
        // An empty label value is the same as no label in Prometheus.
        const text = value === '' ? prefix : `${prefix}${sep}${label}="${escapeLabelValue(value)}"`;
        if (depth === last) emit(child as ScalarSeries | HistogramSeries, text);
        else walk(child as Map<string, unknown>, depth + 1, text);
      });
    };
    walk(table.root, 0, '');
  }
  if (table.overflow !== undefined) emit(table.overflow, OVERFLOW_LABEL);
}

const leCache = new WeakMap<HistogramImpl, string[]>();

function leLabels(inst: HistogramImpl): string[] {
  let cached = leCache.get(inst);
  if (cached === undefined) {
    cached = inst.bounds.map((b) => `le="${formatValue(b)}"`);
    cached.push('le="+Inf"');
    leCache.set(inst, cached);
  }
  return cached;
}

function renderHistogramSeries(name: string, s: HistogramSeries, inner: string, le: string[], om: boolean, withSum: boolean): string {
  const braced = inner === '' ? '' : `{${inner}}`;
  const prefix = inner === '' ? '{' : `{${inner},`;
  let out = '';
  let cumulative = 0;
  const counts = s.counts;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i]!;
    out += `${name}_bucket${prefix}${le[i]}} ${cumulative}`;
    const ex = om && s.ex !== undefined ? s.ex[i] : undefined;
    if (ex !== undefined) {
      out += ` # {trace_id="${escapeLabelValue(ex.traceId)}",span_id="${escapeLabelValue(ex.spanId)}"} ${formatValue(ex.value)} ${(ex.time / 1000).toFixed(3)}`;
    }
    out += '\n';
  }
  if (withSum) out += `${name}_sum${braced} ${formatValue(finiteTotal(s.sum))}\n`;
  out += `${name}_count${braced} ${s.count}\n`;
  return out;
}

/** Prometheus number syntax: `+Inf`, `-Inf`, `NaN`, otherwise JavaScript's shortest round-trip form. */
export function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return `${v}`;
}
