import type { TransportRequest } from '@lookout/core';

/**
 * Compresses one envelope body with gzip (RFC 1952). May reject; the envelope then goes
 * uncompressed. It must not block: `./sentry-node` passes zlib's thread-pool `gzip`, other
 * platforms use `CompressionStream`.
 */
export type SentryGzip = (body: Uint8Array) => Promise<Uint8Array>;

/**
 * Envelopes of at least this many bytes (UTF-8, before compression) are sent gzip-compressed:
 * 32 KiB, the threshold of `@sentry/node`'s own transport (`GZIP_THRESHOLD`). Error events are
 * usually 2–10 KB, so only the large ones (long breadcrumb trails, big contexts) pay for gzip.
 */
export const DEFAULT_SENTRY_GZIP_MIN_BYTES = 32 * 1024;

interface CompressionGlobals {
  CompressionStream?: new (format: 'gzip') => object;
  Response?: new (body?: unknown) => { readonly body: { pipeThrough(transform: object): unknown } | null; arrayBuffer(): Promise<ArrayBuffer> };
  TextEncoder?: new () => { encode(input: string): Uint8Array };
}

/**
 * gzip through the platform's `CompressionStream` (browsers, Node ≥ 18, Deno, workers), or
 * `undefined` where there is none. Looked up when called, never at import.
 */
export function compressionStreamGzip(): SentryGzip | undefined {
  const g = globalThis as CompressionGlobals;
  const Stream = g.CompressionStream;
  const ResponseCtor = g.Response;
  if (typeof Stream !== 'function' || typeof ResponseCtor !== 'function') return undefined;
  return async (body) => {
    const source = new ResponseCtor(body).body;
    if (source === null) throw new Error('the body could not be read as a stream');
    const gzipped = await new ResponseCtor(source.pipeThrough(new Stream('gzip'))).arrayBuffer();
    return new Uint8Array(gzipped);
  };
}

/** Input of {@link createEnvelopeCompressor}. */
export interface EnvelopeCompressorOptions {
  /** The gzip to use; `undefined` looks for `CompressionStream` at each envelope; `false` never compresses. */
  gzip: SentryGzip | false | undefined;
  /** Bodies of at least this many bytes are compressed. */
  minBytes: number;
  /** Called when gzip failed (the body then goes as is). */
  onFailure(error: unknown): void;
}

/** What a compressor keeps of the last envelope it compressed. */
interface Compressed {
  source: string | Uint8Array;
  body: Uint8Array;
}

/** See {@link createEnvelopeCompressor}. */
export interface EnvelopeCompressor {
  /**
   * Returns the request to send: the same one when its body is under `minBytes` (or no gzip is
   * available), else a copy whose body is gzip-compressed, with `Content-Encoding: gzip` and
   * `bytes` set to the compressed size (what a keepalive budget must hold). Never rejects: a
   * failed gzip gives the request back unchanged.
   */
  compress(request: TransportRequest): Promise<TransportRequest>;
  /** Lets go of the last compressed body, once its envelope will not be sent again. */
  release(): void;
}

/**
 * Compresses large envelopes for the transport. The queue sends one envelope at a time and a
 * retry resends the same body, so keeping the last result until {@link EnvelopeCompressor.release}
 * compresses each envelope once, however often it is tried.
 */
export function createEnvelopeCompressor(options: EnvelopeCompressorOptions): EnvelopeCompressor {
  let last: Compressed | undefined;
  return {
    async compress(request) {
      if (options.gzip === false || !(request.bytes >= options.minBytes)) return request;
      let body = last !== undefined && last.source === request.body ? last.body : undefined;
      if (body === undefined) {
        last = undefined;
        const gzip = options.gzip ?? compressionStreamGzip();
        const bytes = gzip === undefined ? undefined : toBytes(request.body);
        if (gzip === undefined || bytes === undefined) return request;
        try {
          body = await gzip(bytes);
          if (!(body instanceof Uint8Array)) throw new TypeError('gzip did not return bytes');
        } catch (error) {
          options.onFailure(error);
          return request;
        }
        last = { source: request.body, body };
      }
      return { ...request, body, bytes: body.byteLength, headers: { ...(request.headers ?? {}), 'content-encoding': 'gzip' } };
    },
    release() {
      last = undefined;
    },
  };
}

function toBytes(body: string | Uint8Array): Uint8Array | undefined {
  if (typeof body !== 'string') return body;
  const Encoder = (globalThis as CompressionGlobals).TextEncoder;
  return typeof Encoder === 'function' ? new Encoder().encode(body) : undefined;
}
