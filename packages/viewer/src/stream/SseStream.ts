import type { ServerResponse } from 'node:http';
import type { StreamStats } from '../types.js';
import type { StreamFilter } from './filter.js';

/** What a queued message carries: records are counted when dropped; snapshots are superseded. */
type FrameKind = 'records' | 'metrics' | 'status' | 'hello';

interface Frame {
  kind: FrameKind;
  text: string;
  bytes: number;
  /** Records in a `records` frame. */
  records: number;
}

/**
 * One Server-Sent Events stream to one page. Records wait in `pending` until the next flush,
 * which writes them as one `records` message; metrics and status messages replace any older
 * one still queued. Nothing is written while the socket needs draining, and everything held for
 * the page (pending plus queued, counted in UTF-8 bytes) stays under `limitBytes`: past it the oldest records are dropped
 * and counted, and the page is told how many in the next status message.
 */
export class SseStream {
  /** Records dropped, plus metrics snapshots that could not be delivered. */
  dropped = 0;
  sentBytes = 0;
  private _pending: string[] = [];
  /** Bytes of each pending record (UTF-8, plus its separator). */
  private _pendingSizes: number[] = [];
  private _pendingHead = 0;
  private _pendingBytes = 0;
  private _queue: Frame[] = [];
  private _queuedBytes = 0;
  private _closed = false;

  constructor(
    readonly id: number,
    readonly filter: StreamFilter,
    private readonly _res: ServerResponse,
    private readonly _limitBytes: number,
  ) {
    _res.on('drain', () => this._pump());
  }

  get closed(): boolean {
    return this._closed;
  }

  /** Bytes held for the page: pending records and queued messages. */
  get bufferedBytes(): number {
    return this._pendingBytes + this._queuedBytes;
  }

  /** Adds one record (already JSON) to the next `records` message. */
  pushRecord(json: string): void {
    if (this._closed) return;
    const bytes = Buffer.byteLength(json) + 1;
    if (bytes > this._limitBytes) {
      this.dropped++;
      return;
    }
    this._makeRoom(bytes);
    this._pending.push(json);
    this._pendingSizes.push(bytes);
    this._pendingBytes += bytes;
  }

  /** Queues a message that replaces any queued message of the same kind (`metrics`, `status`). */
  replace(kind: 'metrics' | 'status', data: string): void {
    if (this._closed) return;
    for (let i = 0; i < this._queue.length; i++) {
      const f = this._queue[i]!;
      if (f.kind === kind) {
        this._queue.splice(i, 1);
        this._queuedBytes -= f.bytes;
        if (kind === 'metrics') this.dropped++;
        break;
      }
    }
    this._enqueue(kind, data, 0);
    this._pump();
  }

  /** Queues a one-off message (`hello`). */
  send(kind: 'hello', data: string): void {
    if (this._closed) return;
    this._enqueue(kind, data, 0);
    this._pump();
  }

  /** Writes pending records as one message (when the socket can take it). */
  flush(): void {
    if (this._closed) return;
    const count = this._pending.length - this._pendingHead;
    if (count > 0) {
      const records = this._pendingHead === 0 ? this._pending : this._pending.slice(this._pendingHead);
      const data = `{"records":[${records.join(',')}]}`;
      this._pending = [];
      this._pendingSizes = [];
      this._pendingHead = 0;
      this._pendingBytes = 0;
      this._enqueue('records', data, count);
    }
    this._pump();
  }

  /** Tells the browser how long to wait before it reconnects (ms). */
  retry(ms: number): void {
    const line = `retry: ${ms}\n\n`;
    if (!this._closed) this._write(line, Buffer.byteLength(line));
  }

  /** A comment line that keeps proxies and the browser from timing the stream out. */
  ping(): void {
    if (!this._closed && !this._res.writableNeedDrain) this._write(': ping\n\n', 8);
  }

  stats(): StreamStats {
    return { id: this.id, filter: this.filter.text, dropped: this.dropped, bufferedBytes: this.bufferedBytes, sentBytes: this.sentBytes };
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._pending = [];
    this._pendingSizes = [];
    this._queue = [];
    this._pendingBytes = 0;
    this._queuedBytes = 0;
    try {
      this._res.end();
    } catch {
      // The socket is already gone.
    }
  }

  private _enqueue(kind: FrameKind, data: string, records: number): void {
    const text = `event: ${kind}\ndata: ${data}\n\n`;
    const bytes = Buffer.byteLength(text);
    // A message that alone exceeds what the page may hold is never queued, only counted.
    if (bytes > this._limitBytes) {
      this.dropped += kind === 'records' ? records : 1;
      return;
    }
    this._makeRoom(bytes);
    this._queue.push({ kind, text, bytes, records });
    this._queuedBytes += bytes;
  }

  /** Drops the oldest records (queued messages first, then pending records) until `bytes` fit. */
  private _makeRoom(bytes: number): void {
    let i = 0;
    while (this._pendingBytes + this._queuedBytes + bytes > this._limitBytes && i < this._queue.length) {
      const f = this._queue[i]!;
      if (f.kind === 'records' || f.kind === 'metrics') {
        this._queue.splice(i, 1);
        this._queuedBytes -= f.bytes;
        this.dropped += f.kind === 'records' ? f.records : 1;
      } else {
        i++;
      }
    }
    while (this._pendingBytes + this._queuedBytes + bytes > this._limitBytes && this._pendingHead < this._pending.length) {
      this._pendingBytes -= this._pendingSizes[this._pendingHead]!;
      this._pendingHead++;
      this.dropped++;
    }
    // Reclaim the dropped head now and then, so a page that never reads cannot grow the array.
    if (this._pendingHead > 1024 && this._pendingHead * 2 > this._pending.length) {
      this._pending = this._pending.slice(this._pendingHead);
      this._pendingSizes = this._pendingSizes.slice(this._pendingHead);
      this._pendingHead = 0;
    }
  }

  private _pump(): void {
    while (!this._closed && this._queue.length > 0 && !this._res.writableNeedDrain) {
      const f = this._queue.shift()!;
      this._queuedBytes -= f.bytes;
      this._write(f.text, f.bytes);
    }
  }

  private _write(text: string, bytes: number): void {
    try {
      this._res.write(text);
      this.sentBytes += bytes;
    } catch {
      this.close();
    }
  }
}
