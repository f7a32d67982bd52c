import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { Diagnostics, MetricsRegistry, ResolveResult } from '@lookout/core';
import { DEFAULT_AUDIT_PREFIX } from './format.js';
import type { AuditKey } from './format.js';

/** Default size at which a segment file is closed and a new one started: 16 MiB. */
export const DEFAULT_AUDIT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Default age at which a segment file is closed and a new one started: 1 day. */
export const DEFAULT_AUDIT_MAX_FILE_AGE_MS = 24 * 60 * 60_000;
/** Default time records wait before they are written: 1 s. */
export const DEFAULT_AUDIT_FLUSH_INTERVAL_MS = 1000;
/** Default pending records that trigger a write at once. */
export const DEFAULT_AUDIT_MAX_BATCH_RECORDS = 1000;
/** Default bound on records waiting to be written; past it, appends are refused and counted. */
export const DEFAULT_AUDIT_MAX_PENDING_RECORDS = 100_000;
/** First wait before a writer that found the log locked tries again: 100 ms, doubling each time. */
export const AUDIT_LOCK_RETRY_INITIAL_MS = 100;
/** Default longest wait between attempts to take a lock another writer holds: 5 s. */
export const DEFAULT_AUDIT_LOCK_RETRY_MAX_MS = 5000;
/** How often (at most) the retention policy is applied outside rotations: 1 minute. */
export const AUDIT_RETENTION_CHECK_INTERVAL_MS = 60_000;

const positiveInt = z.int().check(z.positive());
const keySchema = z.custom<AuditKey>(
  (v) => (typeof v === 'string' && v.length > 0) || (v instanceof Uint8Array && v.length > 0),
  'must be a non-empty string or Uint8Array',
);

export const auditLogOptionsSchema = z.strictObject({
  dir: z.string().check(z.minLength(1)),
  prefix: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9_.-]'))),
  key: z.optional(keySchema),
  fsync: z.optional(z.boolean()),
  flushIntervalMs: z.optional(positiveInt),
  maxBatchRecords: z.optional(positiveInt),
  maxPendingRecords: z.optional(positiveInt),
  maxFileBytes: z.optional(z.int().check(z.minimum(1024))),
  maxFileAgeMs: z.optional(positiveInt),
  retention: z.optional(z.strictObject({ maxAgeMs: z.optional(positiveInt), maxFiles: z.optional(positiveInt) })),
  lockRetryMaxMs: z.optional(z.int().check(z.minimum(AUDIT_LOCK_RETRY_INITIAL_MS, `must be an integer number of ms, at least ${AUDIT_LOCK_RETRY_INITIAL_MS}`))),
  registry: z.optional(z.custom<MetricsRegistry>((v) => v !== null && typeof v === 'object' && typeof (v as MetricsRegistry).counter === 'function', 'must be a MetricsRegistry')),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => v !== null && typeof v === 'object' && typeof (v as Diagnostics).warn === 'function', 'must be a Diagnostics')),
  now: z.optional(z.custom<() => number>((v) => typeof v === 'function', 'must be a function')),
  strict: z.optional(z.boolean()),
});

/** Input of `createAuditLog`. Only `dir` is required. */
export interface AuditLogOptions {
  /**
   * Directory of the log; created if missing. One writer per directory and prefix, enforced by
   * the advisory lock file `<prefix>.lock` in it (see the package docs: a second writer waits).
   */
  dir: string;
  /** File name prefix: segments are `<prefix>-<first seq, 12 digits>.jsonl`. Default `'audit'`. */
  prefix?: string;
  /**
   * HMAC-SHA-256 key: each record then carries a MAC, so nobody without the key can rewrite
   * the chain undetected. Keep it outside the log's host if you can. Never logged.
   */
  key?: AuditKey;
  /** `fsync` (fdatasync) each written batch before `flush()` resolves. Default `true`. */
  fsync?: boolean;
  /** Records wait at most this long before being written, in ms. Default {@link DEFAULT_AUDIT_FLUSH_INTERVAL_MS}. */
  flushIntervalMs?: number;
  /** This many pending records trigger a write at once. Default {@link DEFAULT_AUDIT_MAX_BATCH_RECORDS}. */
  maxBatchRecords?: number;
  /** Most records waiting to be written. Default {@link DEFAULT_AUDIT_MAX_PENDING_RECORDS}. */
  maxPendingRecords?: number;
  /** Rotate when a file would pass this size, in bytes (≥ 1024). Default {@link DEFAULT_AUDIT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
  /** Rotate when a file's first record is this old, in ms. Default {@link DEFAULT_AUDIT_MAX_FILE_AGE_MS}. */
  maxFileAgeMs?: number;
  /**
   * Delete whole rotated files once every record in them is older than `maxAgeMs` (by file
   * modification time), or beyond the newest `maxFiles` files. The active file is never
   * deleted. Each deletion is recorded in the chain first. Default: keep everything.
   */
  retention?: { maxAgeMs?: number; maxFiles?: number };
  /**
   * Longest wait, in ms (≥ 100), between attempts to take the lock while another writer holds it,
   * and between attempts to write after an open or a write failed; attempts start 100 ms apart
   * and double. Appends never start an attempt early. Default {@link DEFAULT_AUDIT_LOCK_RETRY_MAX_MS}.
   */
  lockRetryMaxMs?: number;
  /** Where dropped records are counted (`lookout_security_events_dropped_total{reason="audit_…"}`). Default: core's default registry. */
  registry?: MetricsRegistry;
  diagnostics?: Diagnostics;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  strict?: boolean;
}

export type ResolvedAuditLogOptions = z.output<typeof auditLogOptionsSchema>;

/** Validates audit log options (see core's `resolveOptions`); `undefined` when even `dir` is unusable. */
export function resolveAuditLogOptions(input: unknown, diagnostics?: Diagnostics): ResolveResult<ResolvedAuditLogOptions> {
  const ctx = diagnostics === undefined ? { component: 'createAuditLog' } : { component: 'createAuditLog', diagnostics };
  return resolveOptions<ResolvedAuditLogOptions>(auditLogOptionsSchema, input, ctx);
}

export { DEFAULT_AUDIT_PREFIX };
