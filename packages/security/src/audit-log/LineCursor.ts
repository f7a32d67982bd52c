import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes read from a file at a time. */
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

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
}

/**
 * Reads the lines of several files in order, a chunk at a time (memory stays bounded whatever
 * the file size), with one line of lookahead. Opens each file only when reached.
 */
export class LineCursor {
  private _fileIndex = -1;
  private _handle: FileHandle | undefined;
  private _lines: AuditLine[] = [];
  private _pos = 0;
  private _carry: Buffer | undefined;
  private _carryOffset = 0;
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
        this._carry = undefined;
        this._carryOffset = 0;
        this._fileOffset = 0;
        this._lineNo = 0;
      }
      const handle = this._handle as FileHandle;
      const { bytesRead } = await handle.read(this._buffer, 0, CHUNK_BYTES, this._fileOffset);
      const file = this._files[this._fileIndex] as string;
      const lastFile = this._fileIndex === this._files.length - 1;
      if (bytesRead === 0) {
        this._eof = true;
        if (this._carry !== undefined && this._carry.length > 0) {
          this._lines.push({ file, line: ++this._lineNo, bytes: this._carry, terminated: false, last: lastFile, offset: this._carryOffset });
        }
        this._carry = undefined;
        continue;
      }
      const chunkStart = this._fileOffset;
      this._fileOffset += bytesRead;
      const chunk = Buffer.from(this._buffer.subarray(0, bytesRead));
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        let bytes = chunk.subarray(start, nl);
        let offset = chunkStart + start;
        if (this._carry !== undefined) {
          bytes = Buffer.concat([this._carry, bytes]);
          offset = this._carryOffset;
          this._carry = undefined;
        }
        this._lines.push({ file, line: ++this._lineNo, bytes, terminated: true, last: false, offset });
        start = nl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (this._carry === undefined) this._carryOffset = chunkStart + start;
        this._carry = this._carry === undefined ? rest : Buffer.concat([this._carry, rest]);
      }
    }
    // Mark the final line of the final file once the file is known to end there.
    const tail = this._lines[this._lines.length - 1] as AuditLine;
    if (this._fileIndex === this._files.length - 1 && tail.terminated && this._carry === undefined) {
      const size = (await (this._handle as FileHandle).stat()).size;
      if (this._fileOffset >= size) tail.last = true;
    }
    return true;
  }
}
