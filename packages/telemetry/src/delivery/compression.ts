import { describeError } from '@lookout/core';
import type { Transport, TransportRequest } from '@lookout/core';
import { globals } from '../internal/globals.js';

/** Compresses one body with gzip. May reject; the caller then sends the body as is. */
export type Compress = (body: Uint8Array) => Promise<Uint8Array>;

/** Bodies smaller than this go uncompressed: gzip's header costs more than it saves. */
export const MIN_GZIP_BYTES = 1024;

/**
 * gzip through the `CompressionStream` of browsers and Node ≥ 18, or `undefined` where the
 * platform has none. Looked up at call time.
 */
export function streamGzip(): Compress | undefined {
  const g = globals();
  const Stream = g.CompressionStream;
  const BlobCtor = g.Blob;
  const ResponseCtor = g.Response;
  if (typeof Stream !== 'function' || typeof BlobCtor !== 'function' || typeof ResponseCtor !== 'function') return undefined;
  return async (body) => {
    const stream = new BlobCtor([body]).stream().pipeThrough(new Stream('gzip'));
    return new Uint8Array(await new ResponseCtor(stream).arrayBuffer());
  };
}

/**
 * Wraps `inner` so each byte body of at least {@link MIN_GZIP_BYTES} is sent gzip-compressed
 * with `Content-Encoding: gzip`. A body is compressed once: a retry of the same batch reuses the
 * result. When compression fails, the body goes uncompressed (reported once).
 *
 * TODO(v1): core's `EncodedBatch` could carry an async post-encode step, making this wrapper unneeded.
 */
export function withCompression(inner: Transport, compress: Compress, onError: (message: string) => void): Transport {
  const done = new WeakMap<Uint8Array, Uint8Array>();
  return {
    async send(request: TransportRequest) {
      const body = request.body;
      if (typeof body === 'string' || body.byteLength < MIN_GZIP_BYTES) return inner.send(request);
      let compressed = done.get(body);
      if (compressed === undefined) {
        try {
          compressed = await compress(body);
          done.set(body, compressed);
        } catch (error) {
          onError(`gzip failed, sending uncompressed: ${describeError(error)}`);
          return inner.send(request);
        }
      }
      return inner.send({
        ...request,
        body: compressed,
        bytes: compressed.byteLength,
        headers: { ...(request.headers ?? {}), 'content-encoding': 'gzip' },
      });
    },
  };
}
