import { compressionStreamGzip, describeError, withGzip } from '@lookout/core';
import type { CompressionStats, Gzip, Transport } from '@lookout/core';

/** Compresses one body with gzip (core's {@link Gzip}). May reject; the caller then sends the body as is. */
export type Compress = Gzip;

/** Bodies smaller than this go uncompressed: gzip's header costs more than it saves. */
export const MIN_GZIP_BYTES = 1024;

/**
 * gzip through the `CompressionStream` of browsers and Node ≥ 18, or `undefined` where the
 * platform has none (core's `compressionStreamGzip`).
 */
export const streamGzip: () => Compress | undefined = compressionStreamGzip;

/**
 * Wraps `inner` so each body of at least {@link MIN_GZIP_BYTES} is sent gzip-compressed with
 * `Content-Encoding: gzip`, compressed once across retries (core's `withGzip`). When compression
 * fails, the body goes uncompressed and `onError` hears why. `stats`, when given, counts what it did.
 */
export function withCompression(inner: Transport, compress: Compress, onError: (message: string) => void, stats?: CompressionStats): Transport {
  return withGzip(inner, {
    gzip: compress,
    minBytes: MIN_GZIP_BYTES,
    onFailure: (error) => onError(`gzip failed, sending uncompressed: ${describeError(error)}`),
    ...(stats === undefined ? {} : { stats }),
  });
}
