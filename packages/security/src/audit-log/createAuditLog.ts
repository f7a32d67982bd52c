import { mkdir, open, readdir, rename, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, getDefaultRegistry, getDiagnostics } from '@lookout/core';
import type { Counter, Diagnostics, MetricsRegistry } from '@lookout/core';
import { securityDropCounter } from '../metrics/createSecurityMetrics.js';
import type { SecuritySink } from '../types.js';
import {
  AUDIT_LOCK_RETRY_INITIAL_MS,
  AUDIT_RETENTION_CHECK_INTERVAL_MS,
  DEFAULT_AUDIT_LOCK_RETRY_MAX_MS,
  DEFAULT_AUDIT_FLUSH_INTERVAL_MS,
  DEFAULT_AUDIT_MAX_BATCH_RECORDS,
  DEFAULT_AUDIT_MAX_FILE_AGE_MS,
  DEFAULT_AUDIT_MAX_FILE_BYTES,
  DEFAULT_AUDIT_MAX_PENDING_RECORDS,
  resolveAuditLogOptions,
} from './config.js';
import type { AuditLogOptions } from './config.js';
import {
  buildRecordLine,
  checkLine,
  DEFAULT_AUDIT_PREFIX,
  GENESIS_HASH,
  headMacInput,
  headName,
  hmacHex,
  listSegments,
  MAX_AUDIT_RECORD_BYTES,
  peekSeq,
  segmentName,
  sha256Hex,
} from './format.js';
import type { AuditHead, AuditKey, AuditSystemRecord } from './format.js';
import { LineCursor } from './LineCursor.js';
import { readSegmentEnd } from './segmentEnd.js';
import { acquireAuditLock } from './writerLock.js';
import type { AuditLockOwner, HeldAuditLock } from './writerLock.js';

/** Most UTF-8 bytes one UTF-16 unit of a string takes: shorter JSON cannot pass the record limit, so is not measured. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/** Why the audit log dropped records (the `reason` of `lookout_security_events_dropped_total`). */
export type AuditDropReason = 'audit_invalid' | 'audit_queue_full' | 'audit_closed' | UnwrittenReason;

/**
 * Why records still waiting at `close` were never written: another writer held the lock, the
 * directory or file could not be opened, or writing failed (a full or failing disk).
 */
type UnwrittenReason = 'audit_locked' | 'audit_open_failed' | 'audit_write_failed';

/** Counters of an audit log's life. */
export interface AuditLogStats {
  /** Records accepted by `append`. */
  appended: number;
  /** Records written to disk. */
  written: number;
  /**
   * Records dropped: appends refused (invalid, not serialisable, queue full, closed) and records
   * still waiting at `close` (`lockDropped`, or never written because opening or writing failed).
   */
  dropped: number;
  /** Records dropped at `close` because another writer held the lock the whole time (also in `dropped`). */
  lockDropped: number;
  /** Stale locks (left by a writer that is gone) taken over. */
  takeovers: number;
  /** Files started by rotation. */
  rotations: number;
  /** Files deleted by the retention policy. */
  filesDeleted: number;
  /** Torn last lines removed on start. */
  repairs: number;
  /** Batches that failed to be written (they stay pending and are retried). */
  writeErrors: number;
}

/** What a flush achieved. */
export interface AuditFlushResult {
  /** `true` when every pending record was written (and synced, with `fsync`). */
  ok: boolean;
  /** Sequence number of the last record on disk. */
  lastSeq: number;
  /** Records still waiting. */
  pending: number;
}

/** A tamper-evident, append-only audit log. Methods never throw; promises never reject. */
export interface AuditLog {
  /**
   * Queues one record (normally a `SecurityEvent` from the logger) and returns at once: `true`
   * when accepted. It is written within `flushIntervalMs`, or at once when `maxBatchRecords`
   * are pending. The record is stored as given: pass events through the security logger, which
   * redacts them.
   */
  append(event: object): boolean;
  /**
   * Writes every pending record, syncs it to disk (unless `fsync: false`) and updates the head
   * file. Once `close` was called it resolves with close's result and reopens nothing.
   */
  flush(): Promise<AuditFlushResult>;
  /** Flushes, then closes the file and releases the lock. Later appends are refused and counted (`audit_closed`). Idempotent. */
  close(): Promise<AuditFlushResult>;
  /**
   * Resolves once the first attempt to open the log is over: the lock taken and a torn last line
   * repaired, or the lock found held by another writer (see {@link AuditLog.isWriter}).
   */
  ready(): Promise<void>;
  /** `true` while this log holds the directory's lock and may write. */
  isWriter(): boolean;
  /** A sink for `createSecurityLogger({ sinks: [auditLog.sink] })`. */
  readonly sink: SecuritySink;
  readonly stats: Readonly<AuditLogStats>;
  readonly dir: string;
  readonly prefix: string;
  /** The retention policy in force. */
  readonly retention: { maxAgeMs?: number; maxFiles?: number };
}

interface Pending {
  json: string;
  kind: 'event' | 'sys';
  ts: number;
}

interface Current {
  name: string;
  handle: FileHandle;
  size: number;
  startedMs: number;
}

/**
 * Opens (or creates) a tamper-evident audit log in `options.dir`: JSON lines, each record
 * carrying its sequence number, the SHA-256 of the previous record, its own SHA-256 and, with a
 * `key`, an HMAC. Files rotate by size or age with the chain carried across them; the
 * retention policy deletes whole expired files and records each deletion in the chain. A torn
 * last line (a crash mid-write) is cut off on open and the repair recorded. Records are
 * durable once `flush()` resolves (with `fsync`, the default).
 *
 * One writer per directory and prefix: the log takes the advisory lock `<prefix>.lock` (pid,
 * host, start time) before reading the chain, and releases it on `close` and, synchronously, at
 * process `exit`. A lock whose writer is gone (same host, and its pid no longer runs or now
 * belongs to a later process, or the host rebooted) is taken over. While another writer holds
 * it, this log writes nothing: one diagnostic names the owner, records wait in memory (bounded by
 * `maxPendingRecords`), and the lock is tried again with backoff (100 ms doubling to
 * `lockRetryMaxMs`), so this log takes over once the other exits. Records still waiting at
 * `close` are dropped and counted (`stats.lockDropped`, `reason="audit_locked"`); so are records
 * a log holding the lock could not write (`reason="audit_open_failed"` or `"audit_write_failed"`).
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  return new AuditLogWriter(options).api();
}

class AuditLogWriter {
  readonly stats: AuditLogStats = { appended: 0, written: 0, dropped: 0, lockDropped: 0, takeovers: 0, rotations: 0, filesDeleted: 0, repairs: 0, writeErrors: 0 };
  readonly dir: string;
  readonly prefix: string;
  readonly retention: { maxAgeMs?: number; maxFiles?: number };
  private readonly _key: AuditKey | undefined;
  private readonly _fsync: boolean;
  private readonly _flushIntervalMs: number;
  private readonly _maxBatch: number;
  private readonly _maxPending: number;
  private readonly _maxFileBytes: number;
  private readonly _maxFileAgeMs: number;
  private readonly _diag: Diagnostics;
  private readonly _now: () => number;
  private _pending: Pending[] = [];
  private _lastSeq = 0;
  private _lastHash = GENESIS_HASH;
  private _current: Current | undefined;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _tail: Promise<unknown>;
  private readonly _ready: Promise<boolean>;
  private _closed = false;
  private _closing: Promise<AuditFlushResult> | undefined;
  private _lastRetentionMs = -Infinity;
  private readonly _usable: boolean;
  private readonly _registry: MetricsRegistry | undefined;
  private _dropCounter: Counter<'reason'> | undefined;
  private readonly _lockPath: string;
  private readonly _lockRetryMaxMs: number;
  /** Backoff of the next attempt after the lock was busy or an open or write failed. */
  private _retryMs = AUDIT_LOCK_RETRY_INITIAL_MS;
  private _retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** A flush started by `append` is queued or running: more appends need no other. */
  private _appendFlushing = false;
  private _lock: HeldAuditLock | undefined;
  /** Records were written since the last successful sync and head write. */
  private _unsynced = false;
  /** What kept the last flush from writing everything; cleared by one that did. */
  private _blocker: { reason: UnwrittenReason; cause: string } | undefined;
  private _opened = false;

  constructor(options: AuditLogOptions) {
    const diagnostics = (options as { diagnostics?: Diagnostics } | undefined)?.diagnostics;
    const o = resolveAuditLogOptions(options, diagnostics).options;
    this._diag = o?.diagnostics ?? getDiagnostics();
    this._usable = o !== undefined;
    this.dir = o?.dir ?? '';
    this.prefix = o?.prefix ?? DEFAULT_AUDIT_PREFIX;
    this._key = o?.key;
    this._fsync = o?.fsync ?? true;
    this._flushIntervalMs = o?.flushIntervalMs ?? DEFAULT_AUDIT_FLUSH_INTERVAL_MS;
    this._maxBatch = o?.maxBatchRecords ?? DEFAULT_AUDIT_MAX_BATCH_RECORDS;
    this._maxPending = o?.maxPendingRecords ?? DEFAULT_AUDIT_MAX_PENDING_RECORDS;
    this._maxFileBytes = o?.maxFileBytes ?? DEFAULT_AUDIT_MAX_FILE_BYTES;
    this._maxFileAgeMs = o?.maxFileAgeMs ?? DEFAULT_AUDIT_MAX_FILE_AGE_MS;
    this.retention = { ...(o?.retention ?? {}) };
    this._now = o?.now ?? Date.now;
    this._registry = o?.registry;
    this._lockPath = join(this.dir, `${this.prefix}.lock`);
    this._lockRetryMaxMs = o?.lockRetryMaxMs ?? DEFAULT_AUDIT_LOCK_RETRY_MAX_MS;
    if (!this._usable) this._diag.error('audit-log/no-dir', 'createAuditLog: a dir is required; every record is dropped');
    this._ready = this._usable ? this._ensureOpen().catch((error: unknown) => this._failOpen(error)) : Promise.resolve(false);
    this._tail = this._ready;
  }

  api(): AuditLog {
    const sink: SecuritySink = {
      name: 'audit-log',
      write: (event) => {
        this.append(event);
      },
      flush: () => this.flush(),
      shutdown: () => this.close(),
    };
    return {
      append: (event) => this.append(event),
      flush: () => this.flush(),
      close: () => this.close(),
      ready: () => this._ready.then(() => undefined),
      isWriter: () => this._lock !== undefined,
      sink,
      stats: this.stats,
      dir: this.dir,
      prefix: this.prefix,
      retention: this.retention,
    };
  }

  append(event: object): boolean {
    try {
      if (this._closed || !this._usable) {
        this._drop('audit_closed', 1);
        return false;
      }
      if (event === null || typeof event !== 'object') {
        this._drop('audit_invalid', 1);
        this._diag.warn('audit-log/invalid-record', 'AuditLog.append: a record must be an object; it was dropped', 'audit-log/invalid-record:type');
        return false;
      }
      if (this._pending.length >= this._maxPending) {
        this._drop('audit_queue_full', 1);
        this._diag.error('audit-log/queue-full', `AuditLog: ${this._maxPending} records are waiting to be written; new records are dropped (is the disk full or slow?)`);
        return false;
      }
      let json: string | undefined;
      try {
        json = JSON.stringify(event);
      } catch {
        json = undefined;
      }
      if (typeof json !== 'string') {
        this._drop('audit_invalid', 1);
        this._diag.warn('audit-log/invalid-record', 'AuditLog.append: the record cannot be serialised as JSON; it was dropped', 'audit-log/invalid-record:json');
        return false;
      }
      // Verification takes a longer line for tampering, so none is ever written.
      if (json.length > MAX_AUDIT_RECORD_BYTES / MAX_UTF8_BYTES_PER_UNIT && Buffer.byteLength(json) > MAX_AUDIT_RECORD_BYTES) {
        this._drop('audit_invalid', 1);
        this._diag.warn('audit-log/invalid-record', `AuditLog.append: the record is larger than ${MAX_AUDIT_RECORD_BYTES} bytes as JSON; it was dropped`, 'audit-log/invalid-record:size');
        return false;
      }
      this._pending.push({ json, kind: 'event', ts: this._now() });
      this.stats.appended++;
      if (this._pending.length >= this._maxBatch) this._flushSoon();
      else this._schedule();
      return true;
    } catch (error) {
      this._diag.internalError(error, 'AuditLog.append');
      return false;
    }
  }

  flush(): Promise<AuditFlushResult> {
    // Once closing, the lock and the file are the next writer's: nothing is reopened.
    if (this._closing !== undefined) return this._closing;
    return this._enqueueFlush();
  }

  close(): Promise<AuditFlushResult> {
    if (this._closing !== undefined) return this._closing;
    this._closed = true;
    this._closing = this._enqueueFlush().then(async (result) => {
      if (this._timer !== undefined) clearTimeout(this._timer);
      if (this._retryTimer !== undefined) clearTimeout(this._retryTimer);
      const current = this._current;
      this._current = undefined;
      await current?.handle.close().catch(() => undefined);
      const waiting = this._pending.length;
      if (waiting > 0) this._dropUnwritten(waiting);
      const lock = this._lock;
      this._lock = undefined;
      this._opened = false;
      await lock?.release();
      return this._result(result.ok && waiting === 0);
    });
    return this._closing;
  }

  // --------------------------------------------------------------------------- internals

  /** Runs a flush after the ones already queued. */
  private _enqueueFlush(): Promise<AuditFlushResult> {
    const run = this._tail.then(() => this._flushNow());
    this._tail = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      this._diag.internalError(error, 'AuditLog.flush');
      return this._result(false);
    });
  }

  private _schedule(): void {
    // While a retry waits out its backoff, that retry is the next flush.
    if (this._timer !== undefined || this._retryTimer !== undefined) return;
    this._timer = setTimeout(() => {
      this._timer = undefined;
      void this.flush();
    }, this._flushIntervalMs);
    this._timer.unref?.();
  }

  /** Drops the records `close` found still waiting, counted under what kept them off the disk. */
  private _dropUnwritten(count: number): void {
    this._pending = [];
    const blocker = this._blocker ?? { reason: 'audit_write_failed', cause: 'the last flush did not finish' };
    this._drop(blocker.reason, count);
    const lost = `${count} record(s) were never written and are dropped`;
    if (blocker.reason === 'audit_locked') {
      this.stats.lockDropped += count;
      this._diag.error('audit-log/closed-while-locked', `AuditLog: closed while another writer held the lock of ${this.dir}; ${lost}`);
      return;
    }
    const what = blocker.reason === 'audit_open_failed' ? 'opened' : 'written to';
    this._diag.error('audit-log/closed-unwritten', `AuditLog: closed while ${this.dir} could not be ${what} (${blocker.cause}); ${lost}`);
  }

  private _drop(reason: AuditDropReason, count: number): void {
    this.stats.dropped += count;
    try {
      this._dropCounter ??= securityDropCounter(this._registry ?? getDefaultRegistry());
      this._dropCounter.add(count, { reason });
    } catch (error) {
      this._diag.internalError(error, 'AuditLog.drop');
    }
  }

  /**
   * Takes the lock (once per call) and opens the log. `false` when another writer holds the
   * lock: reported once per owner, tried again later. File-system errors reject.
   */
  private async _ensureOpen(): Promise<boolean> {
    if (this._opened) return true;
    if (this._lock === undefined) {
      await mkdir(this.dir, { recursive: true });
      const attempt = await acquireAuditLock(this._lockPath);
      if (attempt.kind === 'busy') {
        this._reportBusy(attempt.owner);
        this._blocker = { reason: 'audit_locked', cause: 'another writer holds the lock' };
        this._scheduleRetry();
        return false;
      }
      this._lock = attempt.lock;
      this._retryMs = AUDIT_LOCK_RETRY_INITIAL_MS;
      if (attempt.tookOverFrom !== undefined) {
        this.stats.takeovers++;
        const o = attempt.tookOverFrom;
        this._diag.warn('audit-log/stale-lock', `AuditLog: took over the lock of ${this.dir} from a writer that is gone (pid ${o.pid} on ${o.hostname}, since ${o.startedAt})`, `${this._lockPath}:${o.token}`);
      }
    }
    await this._open();
    return true;
  }

  private _reportBusy(owner: AuditLockOwner | undefined): void {
    const who = owner === undefined ? 'a writer whose lock file cannot be read yet' : `pid ${owner.pid} on ${owner.hostname}, since ${owner.startedAt}`;
    this._diag.error(
      'audit-log/locked',
      `AuditLog: ${this.dir} is locked by another writer (${who}; lock file ${this._lockPath}). This log writes nothing while that writer lives: records wait in memory (at most ${this._maxPending}) and the lock is tried again every ${this._lockRetryMaxMs} ms at most; records still waiting at close are dropped and counted. If that writer is on another host and gone, delete the lock file.`,
      `${this._lockPath}:${owner?.token ?? '?'}`,
    );
  }

  /**
   * Starts a flush for `append` unless one is queued already or a retry is waiting out its
   * backoff: a log that cannot write (lock busy, disk failing) must not try again at each append.
   */
  private _flushSoon(): void {
    if (this._retryTimer !== undefined || this._appendFlushing) {
      this._schedule();
      return;
    }
    this._appendFlushing = true;
    void this.flush().then(() => {
      this._appendFlushing = false;
    });
  }

  /** Flushes again after a backoff: 100 ms, doubling to `lockRetryMaxMs`, reset by a flush that wrote everything. */
  private _scheduleRetry(): void {
    if (this._retryTimer !== undefined || this._closed) return;
    const delay = this._retryMs;
    this._retryMs = Math.min(this._retryMs * 2, this._lockRetryMaxMs);
    this._retryTimer = setTimeout(() => {
      this._retryTimer = undefined;
      if (!this._closed) void this.flush();
    }, delay);
    this._retryTimer.unref?.();
  }

  /** The lock file was removed or replaced behind this log's back: stop writing, re-read the chain once the lock is ours again. */
  private async _lostLock(): Promise<void> {
    this._diag.error('audit-log/lock-lost', `AuditLog: the lock file ${this._lockPath} was removed or replaced by another process; this log stops writing until it holds the lock again (records wait in memory)`, `${this._lockPath}:lost`);
    this._lock = undefined;
    this._opened = false;
    this._blocker = { reason: 'audit_locked', cause: 'the lock file was taken away' };
    const current = this._current;
    this._current = undefined;
    await current?.handle.close().catch(() => undefined);
    this._scheduleRetry();
  }

  private _result(ok: boolean): AuditFlushResult {
    return { ok, lastSeq: this._lastSeq, pending: this._pending.length };
  }

  private _failOpen(error: unknown): boolean {
    this._blocker = { reason: 'audit_open_failed', cause: describeError(error) };
    this._diag.error('audit-log/open-failed', `createAuditLog: cannot open ${this.dir}: ${this._blocker.cause}; records wait in memory and the open is tried again at the next flush, then with backoff`);
    return false;
  }

  private async _flushNow(): Promise<AuditFlushResult> {
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    if (!this._usable) return this._result(false);
    try {
      if (!(await this._ensureOpen())) return this._result(false);
    } catch (error) {
      const cause = describeError(error);
      this._diag.error('audit-log/open-failed', `AuditLog: cannot open ${this.dir}: ${cause}`, 'audit-log/open-retry');
      this._blocker = { reason: 'audit_open_failed', cause };
      this._scheduleRetry();
      return this._result(false);
    }
    // Checked before every write: never append to a chain another writer now owns.
    if ((this._pending.length > 0 || this._unsynced) && !(await this._lock?.stillHeld())) {
      await this._lostLock();
      return this._result(false);
    }
    let ok = true;
    while (this._pending.length > 0) {
      const batch = this._pending;
      this._pending = [];
      const written = await this._writeBatch(batch);
      if (written < batch.length) {
        this._pending = batch.slice(written).concat(this._pending);
        ok = false;
        break;
      }
    }
    if (!ok || (this._unsynced && !(await this._sync()))) {
      this._scheduleRetry();
      return this._result(false);
    }
    this._retryMs = AUDIT_LOCK_RETRY_INITIAL_MS;
    this._blocker = undefined;
    if (this._retentionDue()) await this._applyRetention();
    return this._result(this._pending.length === 0);
  }

  /** Finds where the chain ends, repairing a torn last line. */
  private async _open(): Promise<void> {
    this._lastSeq = 0;
    this._lastHash = GENESIS_HASH;
    const segments = listSegments(await readdir(this.dir), this.prefix);
    for (let i = segments.length - 1; i >= 0; i--) {
      const seg = segments[i] as { name: string; firstSeq: number };
      const path = join(this.dir, seg.name);
      const end = await readSegmentEnd(path);
      if (end.removed > 0) {
        await truncate(path, end.size);
        this.stats.repairs++;
        this._diag.warn('audit-log/repaired', `AuditLog: removed an incomplete last line (${end.removed} bytes) from ${seg.name}, left by an interrupted write`);
        this._pending.push({ json: JSON.stringify({ op: 'repair', file: seg.name, removedBytes: end.removed } satisfies AuditSystemRecord), kind: 'sys', ts: this._now() });
      }
      if (i === segments.length - 1) {
        const handle = await open(path, 'a');
        this._current = { name: seg.name, handle, size: end.size, startedMs: this._firstRecordMs(end.firstLine) };
      }
      if (end.lastLine === undefined) {
        this._lastSeq = seg.firstSeq - 1;
        continue;
      }
      const c = checkLine(end.lastLine, this._key, end.lastOverlong);
      if (c.ok) {
        this._lastSeq = c.record.seq;
        this._lastHash = c.record.hash;
      } else {
        this._lastSeq = peekSeq(end.lastLine) ?? seg.firstSeq;
        this._lastHash = end.lastLineHash!;
        this._diag.error('audit-log/corrupt-tail', `AuditLog: the last record of ${seg.name} fails its checks (${c.fault}); appending continues after it, and verification will report it`);
      }
      break;
    }
    // Records pushed before the open finished were queued behind the repair record: keep that order.
    this._pending.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'sys' ? -1 : 1));
    this._opened = true;
    if (this.retention.maxAgeMs !== undefined || this.retention.maxFiles !== undefined) {
      this._lastRetentionMs = -Infinity;
    }
  }

  /** When the segment's first record was written, from its first line (now if it has none or it cannot be read). */
  private _firstRecordMs(firstLine: Buffer | undefined): number {
    try {
      const ts = firstLine && (JSON.parse(firstLine.toString('utf8')) as { ts?: string }).ts;
      const ms = typeof ts === 'string' ? Date.parse(ts) : NaN;
      return Number.isFinite(ms) ? ms : this._now();
    } catch {
      return this._now();
    }
  }

  /**
   * Writes records in order, rotating as needed. Returns how many records reached the file: on
   * a failure the chain state is rolled back to the last record written and a partial write is
   * cut off, so the rest can be retried.
   */
  private async _writeBatch(batch: readonly Pending[]): Promise<number> {
    let committed = { seq: this._lastSeq, hash: this._lastHash, count: 0 };
    let chunk: string[] = [];
    let chunkBytes = 0;
    try {
      for (let i = 0; i < batch.length; i++) {
        const item = batch[i] as Pending;
        const seq = this._lastSeq + 1;
        const { line, hash } = buildRecordLine(seq, item.ts, this._lastHash, item.json, item.kind, this._key);
        const bytes = Buffer.byteLength(line) + 1;
        const cur = this._current;
        const used = (cur?.size ?? 0) + chunkBytes;
        const tooBig = used > 0 && used + bytes > this._maxFileBytes;
        const tooOld = cur !== undefined && used > 0 && this._now() - cur.startedMs >= this._maxFileAgeMs;
        if (cur === undefined || tooBig || tooOld) {
          if (cur !== undefined) {
            await this._writeChunk(chunk, chunkBytes);
            committed = { seq: this._lastSeq, hash: this._lastHash, count: i };
            chunk = [];
            chunkBytes = 0;
          }
          await this._startFile(seq, cur !== undefined);
        }
        chunk.push(line);
        chunkBytes += bytes;
        this._lastSeq = seq;
        this._lastHash = hash;
      }
      await this._writeChunk(chunk, chunkBytes);
      committed = { seq: this._lastSeq, hash: this._lastHash, count: batch.length };
      // Written: never written again (the chain would hold them twice). Syncing them is `_sync`'s.
      this.stats.written += batch.length;
      this._unsynced = true;
      return batch.length;
    } catch (error) {
      this.stats.writeErrors++;
      this.stats.written += committed.count;
      const cause = describeError(error);
      this._diag.error('audit-log/write-failed', `AuditLog: writing to ${this.dir} failed: ${cause}; the records stay pending`);
      this._blocker = { reason: 'audit_write_failed', cause };
      const cur = this._current;
      if (cur !== undefined && committed.count < batch.length) {
        // Cut off a partial write so the file never ends in half a record. `size` counts only
        // whole chunks that reached this file, so no committed record is ever cut.
        await cur.handle.truncate(cur.size).catch(() => undefined);
      }
      this._lastSeq = committed.seq;
      this._lastHash = committed.hash;
      return committed.count;
    }
  }

  private async _writeChunk(lines: readonly string[], bytes: number): Promise<void> {
    const cur = this._current;
    if (cur === undefined || lines.length === 0) return;
    const text = lines.join('\n') + '\n';
    const { bytesWritten } = await cur.handle.write(text, null, 'utf8');
    // A short write (a disk filling up) left part of a record: fail, so the caller cuts it off.
    if (bytesWritten !== bytes) throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`);
    cur.size += bytes;
  }

  /** Closes the current file (synced) and starts `<prefix>-<seq>.jsonl`. */
  private async _startFile(seq: number, rotation: boolean): Promise<void> {
    if (rotation) {
      this.stats.rotations++;
      this._lastRetentionMs = -Infinity;
    }
    const previous = this._current;
    if (previous !== undefined) {
      // Let go of it first: its records are committed, so a failed sync or close must leave them
      // where they are (the write-error path only ever cuts back the current file).
      this._current = undefined;
      await finishFile(previous.handle, this._fsync);
    }
    const name = segmentName(this.prefix, seq);
    const handle = await open(join(this.dir, name), 'a');
    this._current = { name, handle, size: 0, startedMs: this._now() };
    if (this._fsync) await this._syncDir();
  }

  private async _syncDir(): Promise<void> {
    try {
      const handle = await open(this.dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Some platforms cannot sync a directory; the file data itself is synced.
    }
  }

  /**
   * Syncs the current file (with `fsync`) and rewrites the head. `false` when either fails: the
   * records stay written (they are not written twice) but are not known to be durable, so the
   * flush says so and the next one syncs again.
   */
  private async _sync(): Promise<boolean> {
    try {
      if (this._fsync) await this._current?.handle.datasync();
      await this._writeHead();
      this._unsynced = false;
      return true;
    } catch (error) {
      this.stats.writeErrors++;
      const cause = describeError(error);
      this._diag.error('audit-log/sync-failed', `AuditLog: syncing ${this.dir} failed: ${cause}; the records are written but not known to be durable, and the sync is tried again`);
      this._blocker = { reason: 'audit_write_failed', cause };
      return false;
    }
  }

  /** Records the last durable record, so verification can tell truncation from a clean end. */
  private async _writeHead(): Promise<void> {
    const cur = this._current;
    if (cur === undefined || this._lastSeq === 0) return;
    const head: AuditHead = { seq: this._lastSeq, hash: this._lastHash, file: cur.name, ts: new Date(this._now()).toISOString() };
    if (this._key !== undefined) head.mac = hmacHex(this._key, headMacInput(head));
    const path = join(this.dir, headName(this.prefix));
    await writeFile(`${path}.tmp`, JSON.stringify(head) + '\n');
    await rename(`${path}.tmp`, path);
  }

  private _retentionDue(): boolean {
    if (this.retention.maxAgeMs === undefined && this.retention.maxFiles === undefined) return false;
    return this._now() - this._lastRetentionMs >= AUDIT_RETENTION_CHECK_INTERVAL_MS;
  }

  /** Deletes whole expired files, oldest first, never the active one; records the deletion first. */
  private async _applyRetention(): Promise<void> {
    this._lastRetentionMs = this._now();
    try {
      const segments = listSegments(await readdir(this.dir), this.prefix).filter((s) => s.name !== this._current?.name);
      const { maxAgeMs, maxFiles } = this.retention;
      const total = segments.length + (this._current === undefined ? 0 : 1);
      const doomed: Array<{ name: string; firstSeq: number }> = [];
      for (const seg of segments) {
        const overCount = maxFiles !== undefined && total - doomed.length > maxFiles;
        let expired = false;
        if (maxAgeMs !== undefined) expired = (await stat(join(this.dir, seg.name))).mtimeMs < this._now() - maxAgeMs;
        if (!overCount && !expired) break;
        doomed.push(seg);
      }
      if (doomed.length === 0) return;
      const following = segments[doomed.length]?.name ?? this._current?.name;
      if (following === undefined) return;
      const first = await firstRecord(this.dir, following);
      if (first === undefined) return;
      const sys: AuditSystemRecord = {
        op: 'retention',
        files: doomed.map((d) => d.name),
        throughSeq: first.seq - 1,
        lastHash: first.prev,
        ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
        ...(maxFiles === undefined ? {} : { maxFiles }),
      };
      // The deletion is on disk before any file goes.
      if ((await this._writeBatch([{ json: JSON.stringify(sys), kind: 'sys', ts: this._now() }])) === 0 || !(await this._sync())) return;
      for (const d of doomed) {
        await unlink(join(this.dir, d.name));
        this.stats.filesDeleted++;
      }
    } catch (error) {
      this._diag.error('audit-log/retention-failed', `AuditLog: applying the retention policy failed: ${describeError(error)}`);
    }
  }
}

/** Syncs (with `fsync`) and closes a file that is complete; closes it even when the sync fails. */
async function finishFile(handle: FileHandle, fsync: boolean): Promise<void> {
  try {
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** The first record of a file: its seq and prev. */
async function firstRecord(dir: string, file: string): Promise<{ seq: number; prev: string } | undefined> {
  const cursor = new LineCursor(dir, [file]);
  try {
    const line = await cursor.next();
    if (line === undefined) return undefined;
    const r = JSON.parse(line.bytes.toString('utf8')) as { seq?: unknown; prev?: unknown };
    return typeof r.seq === 'number' && typeof r.prev === 'string' ? { seq: r.seq, prev: r.prev } : undefined;
  } catch {
    return undefined;
  } finally {
    await cursor.close();
  }
}
