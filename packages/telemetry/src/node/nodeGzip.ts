import { constants, gzip } from 'node:zlib';
import type { Compress } from '../delivery/compression.js';

/** Default zlib level: 6 is zlib's own default, a fair trade of CPU for bytes. */
export const DEFAULT_GZIP_LEVEL = constants.Z_DEFAULT_COMPRESSION;

/** gzip on Node's zlib thread pool, so compressing a batch never blocks the event loop. */
export function makeNodeGzip(level: number = DEFAULT_GZIP_LEVEL): Compress {
  return (body) =>
    new Promise<Uint8Array>((resolve, reject) => {
      gzip(body, { level }, (error, result) => (error === null ? resolve(result) : reject(error)));
    });
}
