// @lookout/viewer: a live local page of every signal a running app records. Node-only, development only.
export { startViewer } from './server/startViewer.js';
export {
  resolveViewerOptions,
  viewerOptionsSchema,
  DEFAULT_VIEWER_PORT,
  DEFAULT_VIEWER_HOST,
  DEFAULT_METRICS_INTERVAL_MS,
  DEFAULT_STREAM_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_SERIES,
  DEFAULT_MAX_RECORDS_PER_SECOND,
  DEFAULT_HISTORY_SIZE,
  DEFAULT_STREAM_BUFFER_BYTES,
  DEFAULT_MAX_STREAMS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_EXTERNAL_SERIES,
  DEFAULT_MAX_EXTERNAL_BYTES,
  DEFAULT_SOURCE_NAME,
  MIN_TOKEN_LENGTH,
} from './config.js';
export type { ViewerOptions, ResolvedViewerOptions } from './config.js';
export { bucketQuantile, QUANTILES } from './metrics/quantile.js';
export type { MetricKind, MetricView, MetricsFrame } from './metrics/types.js';
export type {
  Viewer,
  ViewerRecord,
  ViewerStats,
  StreamStats,
  PublishInput,
  RecordType,
  SignalType,
  AttributeValue,
  ErrorRecordLike,
  SecurityEventLike,
} from './types.js';
