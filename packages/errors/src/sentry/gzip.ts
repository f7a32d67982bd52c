import type { Gzip } from '@lookout/core';

/**
 * Compresses one envelope body with gzip (core's {@link Gzip}). May reject; the envelope then
 * goes uncompressed. `./sentry-node` passes zlib's thread-pool `gzip`; elsewhere the transport
 * uses `CompressionStream`.
 */
export type SentryGzip = Gzip;

/**
 * Envelopes of at least this many bytes (UTF-8, before compression) are sent gzip-compressed:
 * 32 KiB, the threshold of `@sentry/node`'s own transport (`GZIP_THRESHOLD`). Error events are
 * usually 2–10 KB, so only the large ones (long breadcrumb trails, big contexts) pay for gzip.
 */
export const DEFAULT_SENTRY_GZIP_MIN_BYTES = 32 * 1024;
