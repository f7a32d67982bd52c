// Diagnostics: Lookout's own messages.
export {
  createDiagnostics,
  describeError,
  getDiagnostics,
  configureDiagnostics,
  resetDiagnosticsForTests,
  MAX_DISTINCT_DIAGNOSTIC_KEYS,
  DEFAULT_DIAG_MAX_PER_MINUTE,
} from './diagnostics/index.js';
export type { DiagLevel, Logger, Diagnostics, DiagnosticCounts, DiagnosticsOptions } from './diagnostics/index.js';

// Metrics: registry, instruments, exposition.
export {
  MetricsRegistry,
  createMetricsRegistry,
  getDefaultRegistry,
  resetDefaultRegistryForTests,
  DEFAULT_CARDINALITY_LIMIT,
  DEFAULT_MAX_LABEL_VALUE_LENGTH,
  DEFAULT_OBSERVE_TIMEOUT_MS,
  DEFAULT_SECONDS_BUCKETS,
  DEFAULT_BYTES_BUCKETS,
  DEFAULT_BUCKETS,
  defaultBucketsFor,
  promFamilyName,
  promLabelName,
  sanitizePromName,
  isValidInstrumentName,
  LOOKOUT_PROVIDER_MARK,
} from './metrics/index.js';
export type {
  RecordMetricOptions,
  OtelMeterProviderLike,
  LabelValue,
  Labels,
  InstrumentKind,
  Unit,
  MetricOptions,
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
} from './metrics/index.js';
export { renderPrometheus, formatValue, PROMETHEUS_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE } from './exposition/renderPrometheus.js';
export type { RenderOptions } from './exposition/renderPrometheus.js';

// instrument(), timers, standard metrics.
export { instrument, instrumentMethod, instrumented, errorTypeOf, DEFAULT_INSTRUMENT_NAMESPACE } from './instrument/instrument.js';
export type { InstrumentOptions } from './instrument/instrument.js';
export { createStandardMetrics, STARTUP_BUCKETS_S, STAGE_BUCKETS_S } from './standard/standardMetrics.js';
export type { StandardMetrics, StandardMetricsOptions } from './standard/standardMetrics.js';

// --- kernel: delivery (BatchQueue, transports, retry, beacon budget) ---
// --- end kernel: delivery ---

// --- kernel: redaction ---
// --- end kernel: redaction ---
