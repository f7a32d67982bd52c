// Diagnostics: Lookout's own messages.
export {
  createDiagnostics,
  describeError,
  safeString,
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
export { renderPrometheus, renderPrometheusSync, formatValue, PROMETHEUS_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE } from './exposition/renderPrometheus.js';
export type { RenderOptions } from './exposition/renderPrometheus.js';

// instrument(), timers, standard metrics.
export { instrument, instrumentMethod, instrumented, errorTypeOf, DEFAULT_INSTRUMENT_NAMESPACE } from './instrument/instrument.js';
export type { InstrumentOptions } from './instrument/instrument.js';
export { createStandardMetrics, STARTUP_BUCKETS_S, STAGE_BUCKETS_S } from './standard/standardMetrics.js';
export type { StandardMetrics, StandardMetricsOptions } from './standard/standardMetrics.js';

// Configuration: the shared way options are resolved (schemas live with each package).
export { resolveOptions, resolveChanges, LookoutConfigError } from './config/resolveOptions.js';
export type { ConfigIssue, ResolveResult, ResolveContext, ChangesContext, SafeParser, SchemaIssue } from './config/resolveOptions.js';
export { quickResolve, diagnosticsIn, isPlainObject, booleanField, functionField, textField, methodsField, diagnosticsField } from './config/quickResolve.js';
export type { FieldCheck, QuickResolveResult } from './config/quickResolve.js';
export { PROFILES, PROFILE_DEFAULTS, DEFAULT_PROFILE } from './config/profiles.js';
export type { Profile, ProfileDefaults } from './config/profiles.js';

// Timers that never keep a Node process alive.
export { GLOBAL_TIMERS, unrefTimer, settleBy } from './delivery/timers.js';

// A bounded LRU map for per-key state.
export { BoundedMap } from './collections/BoundedMap.js';

// The standard OTEL_* environment variables, parsed (zod-free, so entry packages read them at startup for free).
export { parseOtelEnv, processEnv } from './sdk/env.js';
export type { OtelEnvConfig, Env } from './sdk/env.js';

// URL checks for platform-neutral code.
export { isHttpUrl, parseUrl } from './internal/url.js';

// Ids every signal carries.
export { randomId } from './ids/randomId.js';

// Lookout's own metrics of delivery.
export { observeDeliveryStats } from './selfMetrics/observeDeliveryStats.js';
export type { DeliveryStatsSource } from './selfMetrics/observeDeliveryStats.js';

// --- kernel: delivery (BatchQueue, transports, retry, beacon budget) ---
export {
  createBatchQueue,
  DROP_REASONS,
  makeFetchTransport,
  parseRetryAfter,
  classifyHttpStatus,
  createBeaconBudget,
  getBeaconBudget,
  splitForBudget,
  utf8Length,
  compressionStreamGzip,
  createBodyCompressor,
  validHeaders,
  isHeader,
  withGzip,
  DEFAULT_MAX_QUEUE_ITEMS,
  DEFAULT_MAX_QUEUE_BYTES,
  DEFAULT_MAX_BATCH_ITEMS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_FLUSH_DEADLINE_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_CIRCUIT_FAILURE_THRESHOLD,
  DEFAULT_CIRCUIT_COOLDOWN_MS,
  DEFAULT_BEACON_BUDGET_BYTES,
} from './delivery/index.js';
export type {
  AbortSignalLike,
  Transport,
  TransportRequest,
  TransportResult,
  DropReason,
  BatchQueue,
  BatchQueueOptions,
  BatchQueueStats,
  RetryOptions,
  CircuitOptions,
  CircuitState,
  QueueTimers,
  EncodedBatch,
  FlushResult,
  FetchTransportOptions,
  FetchLike,
  FetchInitLike,
  FetchResponseLike,
  BeaconBudget,
  BudgetChunk,
  BudgetSplit,
  Gzip,
  BodyCompressor,
  BodyCompressorOptions,
  CompressionStats,
} from './delivery/index.js';
// --- end kernel: delivery ---

// --- kernel: redaction ---
export {
  createRedactor,
  redact,
  scrubString,
  scrubber,
  scrubValue,
  neutraliseControlChars,
  passesLuhn,
  isLikelyCardNumber,
  DEFAULT_SENSITIVE_KEYS,
  DEFAULT_REDACT_MAX_DEPTH,
  DEFAULT_REDACT_MAX_STRING_LENGTH,
  DEFAULT_REDACT_MAX_NODES,
} from './redaction/index.js';
export type { Redactor, RedactorOptions, RedactionPattern } from './redaction/index.js';
// --- end kernel: redaction ---

// Reading a registry's series (budgets, the viewer, tests).
export { snapshotMetric, snapshotRegistry } from './metrics/snapshot.js';
export type { MetricSnapshot, SeriesSnapshot, SnapshotOptions } from './metrics/snapshot.js';

// Budgets and anomaly detection live in `@lookout/core/budgets`: their options are validated with
// zod, which the root entry never loads (it would cost every process tens of ms at startup).
