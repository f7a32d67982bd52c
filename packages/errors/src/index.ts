// The tracker.
export { createErrorTracker, ERROR_CATEGORIES, SEVERITIES } from './tracker/createErrorTracker.js';

// Configuration.
export { resolveErrorTrackerOptions } from './config.js';
export {
  DEFAULT_ERRORS_FLUSH_TIMEOUT_MS,
  DEFAULT_MAX_BREADCRUMBS,
  DEFAULT_MAX_GROUPS,
  DEFAULT_FINGERPRINT_FRAMES,
  DEFAULT_MAX_STACK_FRAMES,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_RATE_LIMIT_PER_GROUP,
  DEFAULT_RATE_LIMIT_WINDOW_MS,
  DEFAULT_SPIKE_WINDOW_MS,
  DEFAULT_SPIKE_GROUP_THRESHOLD,
  DEFAULT_SPIKE_CATEGORY_THRESHOLD,
  DEFAULT_SPIKE_COOLDOWN_MS,
  DEFAULT_ERRORS_NAMESPACE,
  MAX_CUSTOM_CATEGORIES,
} from './constants.js';
export type { ErrorTrackerOptions, ResolvedErrorTrackerOptions } from './config.js';
export { resolveErrorTrackerChanges, ERROR_TRACKER_FIXED_OPTIONS } from './tracker/resolveErrorTrackerChanges.js';
export type { ErrorTrackerChanges, ResolvedErrorTrackerChanges } from './tracker/resolveErrorTrackerChanges.js';

// Typed errors for host code.
export {
  MonitoredError,
  PipelineStageError,
  AnalysisError,
  DatabaseError,
  ConfigurationError,
  pipelineStageFailed,
  analysisFailed,
  databaseOperationFailed,
  configurationError,
} from './monitored/MonitoredError.js';
export type { MonitoredErrorOptions, TypedFailureOptions } from './monitored/MonitoredError.js';

// Building blocks, for sinks and tests.
export { parseStack, defaultIsInApp } from './capture/parseStack.js';
export { normaliseMessage, fingerprintParts, hashParts } from './grouping/fingerprint.js';
export { DEFAULT_RETRY_ATTEMPTS, DEFAULT_RETRY_INITIAL_MS, DEFAULT_RETRY_MAX_MS, MAX_RETRY_ATTEMPTS } from './recovery/retry.js';
export type { RecoveryOutcome } from './recovery/reporter.js';

// Public types.
export type {
  Severity,
  BuiltInCategory,
  ErrorCategory,
  TagValue,
  StackFrame,
  Breadcrumb,
  BreadcrumbInput,
  CaptureMechanism,
  CaptureContext,
  ErrorCause,
  ErrorRecord,
  ErrorSink,
  GroupSnapshot,
  SpikeEvent,
  BackoffOptions,
  RetryOptions,
  FallbackOptions,
  GlobalHandlerOptions,
  ErrorTracker,
  SentryTransportStats,
  SentryDropReason,
} from './types.js';
