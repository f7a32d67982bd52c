export { createBatchQueue, DROP_REASONS } from './createBatchQueue.js';
export { makeFetchTransport } from './makeFetchTransport.js';
export { parseRetryAfter, classifyHttpStatus } from './retryAfter.js';
export { createBeaconBudget, getBeaconBudget, splitForBudget } from './beaconBudget.js';
export { utf8Length } from './utf8Length.js';
export { compressionStreamGzip, createBodyCompressor, withGzip } from './gzip.js';
export { validHeaders } from './validHeaders.js';
export { isHeader } from './isHeader.js';
export {
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
} from './constants.js';
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
} from './types.js';
export type { FetchTransportOptions, FetchLike, FetchInitLike, FetchResponseLike } from './makeFetchTransport.js';
export type { BeaconBudget, BudgetChunk, BudgetSplit } from './beaconBudget.js';
export type { Gzip, BodyCompressor, BodyCompressorOptions, CompressionStats } from './gzip.js';
