import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { MAX_AUDIT_LINE_BYTES, sha256Hex } from './format.js';
import { CHUNK_BYTES, NEWLINE } from './LineCursor.js';

/** What the writer needs of its last segment to append to it, read without loading the whole file. */
export interface SegmentEnd {
  /** The segment's size once an incomplete last line is cut off. */
  size: number;
  /** Bytes of an incomplete last line (left by an interrupted write) to cut off: the caller truncates to `size`. */
  removed: number;
  /** The first line's first bytes (at most {@link MAX_AUDIT_LINE_BYTES}), without its newline. */
  firstLine: Buffer | undefined;
  /** The last complete line without its newline; only its first {@link MAX_AUDIT_LINE_BYTES} + 1 bytes when longer. */
  lastLine: Buffer | undefined;
  /** Whether the last complete line is longer than {@link MAX_AUDIT_LINE_BYTES}. */
  lastOverlong: boolean;
  /** SHA-256 (hex) of the whole last complete line, for chaining after a line that fails its checks. */
  lastLineHash: string | undefined;
}

/**
 * Reads the end of a segment: whether its last line is incomplete, its last complete line and the
 * start of its first. Memory stays bounded whatever the file holds (a few MiB): lines are found by
 * reading backwards a chunk at a time and a line longer than any record is hashed as a stream.
 */
export async function readSegmentEnd(path: string): Promise<SegmentEnd> {
  const handle = await open(path, 'r');
  try {
    const whole = (await handle.stat()).size;
    const size = whole > 0 && (await readRange(handle, whole - 1, whole))[0] !== NEWLINE ? (await lastNewlineBefore(handle, whole)) + 1 : whole;
    const end: SegmentEnd = { size, removed: whole - size, firstLine: undefined, lastLine: undefined, lastOverlong: false, lastLineHash: undefined };
    if (size === 0) return end;
    const head = await readRange(handle, 0, Math.min(size, MAX_AUDIT_LINE_BYTES + 1));
    const firstEnd = head.indexOf(NEWLINE);
    end.firstLine = head.subarray(0, firstEnd === -1 ? MAX_AUDIT_LINE_BYTES : firstEnd);
    const lastStart = (await lastNewlineBefore(handle, size - 1)) + 1;
    const length = size - 1 - lastStart;
    end.lastOverlong = length > MAX_AUDIT_LINE_BYTES;
    end.lastLine = await readRange(handle, lastStart, lastStart + Math.min(length, MAX_AUDIT_LINE_BYTES + 1));
    end.lastLineHash = end.lastOverlong ? await hashRange(handle, lastStart, size - 1) : sha256Hex(end.lastLine);
    return end;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Bytes `[start, end)` of the file (the caller keeps `end - start` small). */
async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(end - start);
  let filled = 0;
  while (filled < out.length) {
    const { bytesRead } = await handle.read(out, filled, out.length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return out.subarray(0, filled);
}

/** Offset of the last newline before `end`, or -1: reads backwards a chunk at a time. */
async function lastNewlineBefore(handle: FileHandle, end: number): Promise<number> {
  for (let stop = end; stop > 0; ) {
    const start = Math.max(0, stop - CHUNK_BYTES);
    const at = (await readRange(handle, start, stop)).lastIndexOf(NEWLINE);
    if (at !== -1) return start + at;
    stop = start;
  }
  return -1;
}

/** SHA-256 (hex) of bytes `[start, end)`, read a chunk at a time. */
async function hashRange(handle: FileHandle, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  for (let at = start; at < end; at += CHUNK_BYTES) hash.update(await readRange(handle, at, Math.min(end, at + CHUNK_BYTES)));
  return hash.digest('hex');
}
