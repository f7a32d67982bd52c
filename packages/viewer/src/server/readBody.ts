import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** Why a body could not be read. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body up to `maxBytes`, then undoes `Content-Encoding` (gzip, deflate, br)
 * with the same limit on the decompressed size. Rejects with a {@link BodyError} (413, 415, 400).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      reject(new BodyError(413, `body larger than ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(new BodyError(413, `body larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!failed) reject(new BodyError(400, error.message));
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const raw = Buffer.concat(chunks, size);
      const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
      try {
        const options = { maxOutputLength: maxBytes };
        if (encoding === 'identity' || encoding === '') resolve(raw);
        else if (encoding === 'gzip' || encoding === 'x-gzip') resolve(gunzipSync(raw, options));
        else if (encoding === 'deflate') resolve(inflateSync(raw, options));
        else if (encoding === 'br') resolve(brotliDecompressSync(raw, options));
        else reject(new BodyError(415, `content-encoding "${encoding.slice(0, 32)}" is not supported (gzip, deflate, br)`));
      } catch (error) {
        const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /exceeds|too large/i.test(String((error as Error).message));
        reject(new BodyError(tooLarge ? 413 : 400, tooLarge ? `decompressed body larger than ${maxBytes} bytes` : `cannot decompress the body (${encoding})`));
      }
    });
  });
}
