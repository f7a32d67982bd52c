import { gzip } from 'node:zlib';
import type { SentryGzip } from '../sentry/gzip.js';

/**
 * gzip with Node's zlib at its default level. The callback form runs on libuv's thread pool, so
 * compressing an envelope (up to 1 MiB) never blocks the event loop; `gzipSync` would.
 */
export const zlibGzip: SentryGzip = (body) =>
  new Promise<Uint8Array>((resolve, reject) => {
    gzip(body, (error, result) => {
      if (error === null) resolve(result);
      else reject(error);
    });
  });
