import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_AUDIT_LINE_BYTES } from './format.js';

/** Bytes read from an audit file at a time. */
export const CHUNK_BYTES = 1 << 20;
export const NEWLINE = 0x0a;

/** One line of an audit file. */
export interface AuditLine {
  file: string;
  /** 1-based line number within `file`. */
  line: number;
  /** The line without its newline. */
  bytes: Buffer;
  /** Whether a newline ended it (only the very last line of a file can lack one). */
  terminated: boolean;
  /** Whether this is the last line of the last file. */
  last: boolean;
  /** Byte offset of the line in its file. */
  offset: number;
  /** Longer than the cursor's `maxLineBytes`: `bytes` holds only that many of its first bytes. */
  overlong: boolean;
}

/**
 * Reads the lines of several files in order, a chunk at a time, with one line of lookahead.
 * Opens each file only when reached. Memory stays bounded whatever the files hold: a line keeps
 * at most `maxLineBytes` bytes (the rest of a longer one is skipped and the line marked
 * `overlong`), and the pieces of a line spread over several reads are joined once, at its end.
 */
export class LineCursor {
  private _fileIndex = -1;
  private _handle: FileHandle | undefined;
  private _lines: AuditLine[] = [];
  private _pos = 0;
  /** The line being read: the pieces kept of it, how many bytes they hold, its whole length so far, and where it starts. */
  private _pieces: Buffer[] = [];
  private _keptBytes = 0;
  private _lineBytes = 0;
  private _lineOffset = 0;
  private _fileOffset = 0;
  private _lineNo = 0;
  private _eof = true;
  private readonly _buffer = Buffer.allocUnsafe(CHUNK_BYTES);

  constructor(
    private readonly _dir: string,
    private readonly _files: readonly string[],
  ) {}

  /** The next line, or `undefined` after the last. */
  async next(): Promise<AuditLine | undefined> {
    const line = await this.peek();
    if (line !== undefined) this._pos++;
    return line;
  }

  /** The next line without consuming it. */
  async peek(): Promise<AuditLine | undefined> {
    while (this._pos >= this._lines.length) {
      if (!(await this._fill())) return undefined;
    }
    return this._lines[this._pos];
  }

  async close(): Promise<void> {
    const h = this._handle;
    this._handle = undefined;
    await h?.close().catch(() => undefined);
  }

  /** Reads more lines; `false` when every file is exhausted. */
  private async _fill(): Promise<boolean> {
    this._lines = [];
    this._pos = 0;
    while (this._lines.length === 0) {
      if (this._eof) {
        await this.close();
        this._fileIndex++;
        if (this._fileIndex >= this._files.length) return false;
        this._handle = await open(join(this._dir, this._files[this._fileIndex] as string), 'r');
        this._eof = false;
        this._pieces = [];
        this._keptBytes = 0;
        this._lineBytes = 0;
        this._lineOffset = 0;
        this._fileOffset = 0;
        this._lineNo = 0;
      }
      const handle = this._handle as FileHandle;
      const { bytesRead } = await handle.read(this._buffer, 0, CHUNK_BYTES, this._fileOffset);
      const file = this._files[this._fileIndex] as string;
      const lastFile = this._fileIndex === this._files.length - 1;
      if (bytesRead === 0) {
        this._eof = true;
        if (this._lineBytes > 0) this._lines.push(this._endLine(file, false, lastFile));
        continue;
      }
      const chunkStart = this._fileOffset;
      this._fileOffset += bytesRead;
      const chunk = Buffer.from(this._buffer.subarray(0, bytesRead));
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        this._take(chunk.subarray(start, nl));
        this._lines.push(this._endLine(file, true, false));
        start = nl + 1;
        this._lineOffset = chunkStart + start;
      }
      if (start < chunk.length) this._take(chunk.subarray(start));
    }
    // Mark the final line of the final file once the file is known to end there.
    const tail = this._lines[this._lines.length - 1] as AuditLine;
    if (this._fileIndex === this._files.length - 1 && tail.terminated && this._lineBytes === 0) {
      const size = (await (this._handle as FileHandle).stat()).size;
      if (this._fileOffset >= size) tail.last = true;
    }
    return true;
  }

  /** Adds a piece of the current line, keeping no more than `maxLineBytes` of it. */
  private _take(piece: Buffer): void {
    const kept = piece.subarray(0, Math.max(0, MAX_AUDIT_LINE_BYTES - this._keptBytes));
    if (kept.length > 0) {
      this._pieces.push(kept);
      this._keptBytes += kept.length;
    }
    this._lineBytes += piece.length;
  }

  /** The current line, complete: its pieces joined (copied once, when there are several). */
  private _endLine(file: string, terminated: boolean, last: boolean): AuditLine {
    const bytes = this._pieces.length === 1 ? (this._pieces[0] as Buffer) : Buffer.concat(this._pieces, this._keptBytes);
    const line: AuditLine = { file, line: ++this._lineNo, bytes, terminated, last, offset: this._lineOffset, overlong: this._lineBytes > MAX_AUDIT_LINE_BYTES };
    this._pieces = [];
    this._keptBytes = 0;
    this._lineBytes = 0;
    return line;
  }
}
