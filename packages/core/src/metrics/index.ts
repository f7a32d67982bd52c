export { MetricsRegistry, DEFAULT_CARDINALITY_LIMIT, DEFAULT_MAX_LABEL_VALUE_LENGTH, DEFAULT_OBSERVE_TIMEOUT_MS } from './MetricsRegistry.js';
export type { RecordMetricOptions } from './MetricsRegistry.js';
export { createMetricsRegistry } from './createMetricsRegistry.js';
export { getDefaultRegistry, resetDefaultRegistryForTests } from './defaultRegistry.js';
export { DEFAULT_SECONDS_BUCKETS, DEFAULT_BYTES_BUCKETS, DEFAULT_BUCKETS, defaultBucketsFor } from './buckets.js';
export { promFamilyName, promLabelName, sanitizePromName, isValidInstrumentName } from './names.js';
export { LOOKOUT_PROVIDER_MARK } from './internal/otelGlobal.js';
export type { OtelMeterProviderLike } from './internal/otelGlobal.js';
export type {
  LabelValue,
  Labels,
  InstrumentKind,
  Unit,
  InstrumentOptions as MetricOptions,
  HistogramOptions,
  Counter,
  UpDownCounter,
  Gauge,
  Histogram,
  ObservableGauge,
  ObservableCallback,
  Observer,
  BoundCounter,
  BoundUpDownCounter,
  BoundGauge,
  BoundHistogram,
  Timer,
  ExemplarSource,
  RegistryOptions,
  RegistryMode,
} from './types.js';
