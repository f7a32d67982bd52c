import { describeError } from '@lookout/core';
import type { ErrorCategory, Severity, TagValue } from '../types.js';
import { safeCopy, safeString } from '../capture/safe.js';
import { isSeverity } from '../capture/severity.js';

/** Brand shared by every copy of this package, so errors from another copy are still recognised. */
const MONITORED = Symbol.for('@lookout/errors:monitored');

/** Options of {@link MonitoredError}. */
export interface MonitoredErrorOptions {
  /** Default `'javascript'`. */
  category?: ErrorCategory;
  /** Default `'high'`. */
  severity?: Severity;
  /** Low-cardinality fields: Sentry tags. */
  tags?: Record<string, TagValue>;
  /** Any structured fields: a Sentry context. */
  details?: Record<string, unknown>;
  /** The underlying error; kept as the standard `cause`. */
  cause?: unknown;
}

/**
 * A typed error for host code: it carries a `category`, a `severity`, `tags` and `details`, which
 * the tracker copies into every record (tags as tags, details as context). The constructor never
 * throws, whatever it is given.
 */
export class MonitoredError extends Error {
  readonly category: ErrorCategory;
  readonly severity: Severity;
  readonly tags: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: MonitoredErrorOptions = {}) {
    const o = readOptions(options);
    super(typeof message === 'string' ? message : safeString(message), 'cause' in o ? { cause: o.cause } : undefined);
    this.name = new.target.name;
    this.category = typeof o.category === 'string' && o.category !== '' ? o.category : 'javascript';
    this.severity = isSeverity(o.severity) ? o.severity : 'high';
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(safeCopy(o.tags))) if (v !== undefined && v !== null) tags[k] = safeString(v);
    this.tags = tags;
    this.details = safeCopy(o.details);
    Object.defineProperty(this, MONITORED, { value: true, enumerable: false });
  }
}

/** Typed fields of an error, when it is a {@link MonitoredError} (from any copy of this package). */
export function readMonitoredFields(
  error: unknown,
): { category: ErrorCategory; severity: Severity; tags: Record<string, string>; details: Record<string, unknown> } | undefined {
  try {
    if (typeof error !== 'object' || error === null || (error as Record<symbol, unknown>)[MONITORED] !== true) return undefined;
    const e = error as MonitoredError;
    return { category: e.category, severity: e.severity, tags: { ...e.tags }, details: { ...e.details } };
  } catch {
    return undefined;
  }
}

/** Overrides for the typed-failure helpers. */
export type TypedFailureOptions = Pick<MonitoredErrorOptions, 'severity' | 'tags' | 'details'>;

/** A pipeline stage failed. Category `business`; tags `stage`; details `{ stage, reason }`. */
export class PipelineStageError extends MonitoredError {
  readonly stage: string;
  readonly reason: string;
  constructor(stage: string, reason: unknown, options: TypedFailureOptions = {}) {
    const s = safeString(stage);
    const r = reasonText(reason);
    super(`Pipeline stage "${s}" failed: ${r}`, typed('business', options, { stage: s }, { stage: s, reason: r }, reason));
    this.name = 'PipelineStageError';
    this.stage = s;
    this.reason = r;
  }
}

/** Analysis of a file failed. Category `business`; details `{ path, error }` (paths are too many for a tag). */
export class AnalysisError extends MonitoredError {
  readonly path: string;
  constructor(path: string, error: unknown, options: TypedFailureOptions = {}) {
    const p = safeString(path);
    const e = reasonText(error);
    super(`Analysis of ${p} failed: ${e}`, typed('business', { severity: 'medium', ...options }, {}, { path: p, error: e }, error));
    this.name = 'AnalysisError';
    this.path = p;
  }
}

/** A database operation failed. Category `database`; tags `operation`; details `{ operation, error }`. */
export class DatabaseError extends MonitoredError {
  readonly operation: string;
  constructor(operation: string, error: unknown, options: TypedFailureOptions = {}) {
    const op = safeString(operation);
    const e = reasonText(error);
    super(`Database operation "${op}" failed: ${e}`, typed('database', options, { operation: op }, { operation: op, error: e }, error));
    this.name = 'DatabaseError';
    this.operation = op;
  }
}

/** A configuration value is wrong. Category `configuration`, severity `critical`; tags `field`; details `{ field, message }`. */
export class ConfigurationError extends MonitoredError {
  readonly field: string;
  constructor(field: string, message: string, options: TypedFailureOptions = {}) {
    const f = safeString(field);
    const m = safeString(message);
    super(`Invalid configuration "${f}": ${m}`, typed('configuration', { severity: 'critical', ...options }, { field: f }, { field: f, message: m }, undefined));
    this.name = 'ConfigurationError';
    this.field = f;
  }
}

/** Creates a {@link PipelineStageError}; `throw pipelineStageFailed('embed', err)`. */
export function pipelineStageFailed(stage: string, reason: unknown, options?: TypedFailureOptions): PipelineStageError {
  return new PipelineStageError(stage, reason, options);
}

/** Creates an {@link AnalysisError}; `throw analysisFailed(path, err)`. */
export function analysisFailed(path: string, error: unknown, options?: TypedFailureOptions): AnalysisError {
  return new AnalysisError(path, error, options);
}

/** Creates a {@link DatabaseError}; `throw databaseOperationFailed('insert', err)`. */
export function databaseOperationFailed(operation: string, error: unknown, options?: TypedFailureOptions): DatabaseError {
  return new DatabaseError(operation, error, options);
}

/** Creates a {@link ConfigurationError}; `throw configurationError('apiUrl', 'must be https')`. */
export function configurationError(field: string, message: string, options?: TypedFailureOptions): ConfigurationError {
  return new ConfigurationError(field, message, options);
}

/** The options a host passed, read field by field: a throwing getter or a Proxy trap loses that field, never the error. */
function readOptions(options: unknown): MonitoredErrorOptions {
  const out: MonitoredErrorOptions = {};
  if (typeof options !== 'object' || options === null) return out;
  const view = options as Record<string, unknown>;
  for (const key of ['category', 'severity', 'tags', 'details'] as const) {
    try {
      const value = view[key];
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    } catch {
      // Unreadable: the default applies.
    }
  }
  try {
    if ('cause' in view) out.cause = view['cause'];
  } catch {
    // Unreadable: no cause.
  }
  return out;
}

function reasonText(reason: unknown): string {
  return typeof reason === 'string' ? reason : describeError(reason);
}

function typed(
  category: ErrorCategory,
  options: TypedFailureOptions,
  tags: Record<string, string>,
  details: Record<string, unknown>,
  cause: unknown,
): MonitoredErrorOptions {
  const o = readOptions(options);
  const result: MonitoredErrorOptions = {
    category,
    severity: isSeverity(o.severity) ? o.severity : 'high',
    tags: { ...tags, ...(safeCopy(o.tags) as Record<string, TagValue>) },
    details: { ...details, ...safeCopy(o.details) },
  };
  if (cause !== undefined && typeof cause === 'object') result.cause = cause;
  return result;
}
