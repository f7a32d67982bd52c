// The isomorphic event client. Node-only code lives behind `@lookout/telemetry/node`,
// page-lifecycle code behind `@lookout/telemetry/browser`.
export { createTelemetryClient } from './client/createTelemetryClient.js';
export { COMMAND_EVENT_NAME, FEATURE_EVENT_NAME, TELEMETRY_DROP_REASONS } from './client/createClient.js';
export { observeTelemetryStats } from './client/selfMetrics.js';
export { telemetryOptionsSchema, resolveTelemetryOptions } from './config.js';
export {
  DEFAULT_MAX_QUEUE_EVENTS,
  DEFAULT_MAX_QUEUE_BYTES,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_CIRCUIT_FAILURE_THRESHOLD,
  DEFAULT_CIRCUIT_COOLDOWN_MS,
  DEFAULT_FORMAT,
  DEFAULT_APP_NAME,
  DEFAULT_APP_VERSION,
  DEFAULT_SIGNAL,
  MAX_EVENT_NAME_LENGTH,
} from './constants.js';
export type { ResolvedTelemetryOptions } from './config.js';
export { telemetryEventSchema, jsonValueSchema, findEventIssue, isTelemetryEvent, isJsonValue, MAX_PROPERTY_KEY_LENGTH, MAX_PROPERTY_DEPTH } from './events/eventSchema.js';
export { estimateEventBytes } from './events/estimateEventBytes.js';
export type { EventIssue } from './events/eventSchema.js';
export { createEncoder, OTLP_PROTO_CONTENT_TYPE } from './encoding/encoders.js';
export type { EventEncoder } from './encoding/encoders.js';
export { createOtlpJsonEncoder } from './encoding/otlpJson.js';
export { encodeJsonBatch } from './encoding/jsonBatch.js';
export { TELEMETRY_SDK_NAME, TELEMETRY_SDK_VERSION, JSON_CONTENT_TYPE } from './encoding/logRecords.js';
export type { EncoderContext } from './encoding/logRecords.js';
export { withCompression, streamGzip, MIN_GZIP_BYTES } from './delivery/compression.js';
export type { Compress } from './delivery/compression.js';
export type {
  TelemetryClient,
  TelemetryClientOptions,
  TelemetryEvent,
  TelemetryStats,
  TelemetryDropReason,
  TelemetryFormat,
  ConsentState,
  EventStore,
  EventProperties,
  JsonValue,
  JsonPrimitive,
  BeforeSend,
  OnDrop,
} from './types.js';
