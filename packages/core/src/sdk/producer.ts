import type { Attributes, HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { CollectionResult, Histogram, MetricData, MetricProducer } from '@opentelemetry/sdk-metrics';
import { isHistogram, type AnyInstrument } from '../metrics/internal/instruments.js';
import { finiteTotal, hasCounterSum } from '../metrics/internal/series.js';
import type { HistogramSeries, ScalarSeries } from '../metrics/internal/series.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';

// Numeric values of the SDK's enums, so this module needs no runtime import of the SDK.
const DATA_POINT_HISTOGRAM = 0;
const DATA_POINT_GAUGE = 2;
const DATA_POINT_SUM = 3;
const TEMPORALITY_CUMULATIVE = 1;
const VALUE_TYPE_DOUBLE = 1;

export const LOOKOUT_SCOPE = { name: '@lookout/core', version: '0.1.0' } as const;

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/**
 * Hands a Lookout registry to OpenTelemetry's readers (`PeriodicExportingMetricReader`,
 * `PrometheusExporter`, any `MetricReader`) through the SDK's MetricProducer interface: each
 * collection reads the registry's own aggregates and returns them as cumulative OpenTelemetry
 * MetricData, so every OTel exporter (OTLP protobuf/JSON, console, in-memory) sends them exactly
 * in its format. Attribute keys are the instruments' declared keys as given.
 *
 * Histogram exemplars are not part of this data: OpenTelemetry JS's `MetricData` has no field for
 * them and its OTLP exporters send none, so they show in OpenMetrics scrapes only.
 */
export function createOtelMetricProducer(registry: MetricsRegistry, resource: Resource, timeoutMs?: number): MetricProducer {
  registry.enable();
  return {
    async collect(options): Promise<CollectionResult> {
      const errors: unknown[] = [];
      try {
        await registry.prepareCollection(options?.timeoutMillis ?? timeoutMs);
      } catch (error) {
        errors.push(error);
      }
      const end = hrTime(registry.now());
      const metrics: MetricData[] = [];
      for (const inst of registry.instruments()) {
        try {
          const data = toMetricData(inst, end);
          // An instrument without series is left out, as the SDK leaves out one never recorded into.
          if (data !== undefined && data.dataPoints.length > 0) metrics.push(data);
        } catch (error) {
          errors.push(error);
        }
      }
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { ...LOOKOUT_SCOPE }, metrics }] }, errors };
    },
  };
}

/** OpenTelemetry attributes of a series: its declared keys as given; `undefined` values mean the overflow series (`otel.metric.overflow: true`, a boolean as in the SDK). */
function attributesOf(inst: AnyInstrument, values: readonly string[] | undefined): Attributes {
  const attrs: Attributes = {};
  if (values === undefined) {
    attrs['otel.metric.overflow'] = true;
    return attrs;
  }
  // Empty values are kept, as the OpenTelemetry SDK keeps `{ room: '' }` (Prometheus, where an
  // empty label is no label, leaves them out).
  const keys = inst.d.keys;
  for (let i = 0; i < keys.length; i++) attrs[keys[i]!] = values[i]!;
  return attrs;
}

function toMetricData(inst: AnyInstrument, endTime: HrTime): MetricData | undefined {
  const d = inst.d;
  const descriptor = { name: d.name, description: d.description, unit: d.unit, valueType: VALUE_TYPE_DOUBLE };
  if (isHistogram(inst)) {
    const boundaries = [...inst.bounds];
    const dataPoints: object[] = [];
    inst.table.forEach((s, values) => {
      const h = s as HistogramSeries;
      const value: Histogram = { buckets: { boundaries, counts: [...h.counts] }, count: h.count };
      // OTLP's HistogramDataPoint.sum: "Negative events can be recorded, but sum should not be filled out when doing so."
      if (hasCounterSum(h)) value.sum = finiteTotal(h.sum);
      if (h.count > 0) {
        value.min = h.min;
        value.max = h.max;
      }
      dataPoints.push({ startTime: hrTime(inst.seriesStartTime(h)), endTime, attributes: attributesOf(inst, values), value });
    });
    return { descriptor, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPointType: DATA_POINT_HISTOGRAM, dataPoints } as MetricData;
  }
  const points: object[] = [];
  inst.table.forEach((s, values) => {
    points.push({ startTime: hrTime(inst.seriesStartTime(s)), endTime, attributes: attributesOf(inst, values), value: finiteTotal((s as ScalarSeries).v) });
  });
  if (d.kind === 'counter' || d.kind === 'updowncounter' || d.kind === 'observablecounter') {
    return {
      descriptor,
      aggregationTemporality: TEMPORALITY_CUMULATIVE,
      dataPointType: DATA_POINT_SUM,
      isMonotonic: d.kind !== 'updowncounter',
      dataPoints: points,
    } as MetricData;
  }
  return { descriptor, aggregationTemporality: TEMPORALITY_CUMULATIVE, dataPointType: DATA_POINT_GAUGE, dataPoints: points } as MetricData;
}
