import type { Transport, TransportRequest } from './types.js';

/**
 * Compresses one body with gzip (RFC 1952). May reject; the body then goes uncompressed. It
 * must not block the host: Node packages pass zlib's thread-pool `gzip`, other platforms use
 * {@link compressionStreamGzip}.
 */
export type Gzip = (body: Uint8Array) => Promise<Uint8Array>;

interface CompressionGlobals {
  CompressionStream?: new (format: 'gzip') => object;
  Response?: new (body?: unknown) => { readonly body: { pipeThrough(transform: object): unknown } | null; arrayBuffer(): Promise<ArrayBuffer> };
  TextEncoder?: new () => { encode(input: string): Uint8Array };
}

/**
 * gzip through the platform's `CompressionStream` (browsers, Node ≥ 18, Deno, workers), or
 * `undefined` where there is none. Looked up when called, never at import.
 */
export function compressionStreamGzip(): Gzip | undefined {
  const g = globalThis as CompressionGlobals;
  const Stream = g.CompressionStream;
  const ResponseCtor = g.Response;
  if (typeof Stream !== 'function' || typeof ResponseCtor !== 'function') return undefined;
  return async (body) => {
    const source = new ResponseCtor(body).body;
    if (source === null) throw new Error('the body could not be read as a stream');
    return new Uint8Array(await new ResponseCtor(source.pipeThrough(new Stream('gzip'))).arrayBuffer());
  };
}

/**
 * What a compressor did, counted once per body however often its batch is retried. Exported by
 * `observeDeliveryStats` when a queue's stats carry it.
 */
export interface CompressionStats {
  /** Bodies compressed. */
  bodies: number;
  /** Their bytes before compression. */
  bytesIn: number;
  /** Their bytes after compression. */
  bytesOut: number;
  /** Bodies whose gzip failed; they went uncompressed. */
  failures: number;
}

/** Input of {@link createBodyCompressor} and {@link withGzip}. */
export interface BodyCompressorOptions {
  /** The gzip to use; `undefined` looks for `CompressionStream` at each body; `false` never compresses. */
  gzip: Gzip | false | undefined;
  /** Bodies of at least this many bytes (`TransportRequest.bytes`, before compression) are compressed. */
  minBytes: number;
  /** Called when gzip failed; the body then goes as it is. */
  onFailure(error: unknown): void;
  /** Counts to add to (e.g. a client's `stats.compression`); a fresh set when not given. */
  stats?: CompressionStats;
}

/** See {@link createBodyCompressor}. */
export interface BodyCompressor {
  /**
   * Returns the request to send: the same one when its body is under `minBytes` (or no gzip is
   * available), else a copy whose body is gzip-compressed, with `Content-Encoding: gzip` and
   * `bytes` set to the compressed size (what a keepalive budget must hold). Never rejects: a
   * failed gzip gives the request back unchanged.
   */
  compress(request: TransportRequest): Promise<TransportRequest>;
  /** Lets go of the last compressed body, once its batch will not be sent again. */
  release(): void;
  /** What it compressed (the `stats` passed in, if any). */
  readonly stats: Readonly<CompressionStats>;
}

/**
 * Compresses large bodies for a transport. A queue sends one batch at a time and a retry resends
 * the same body, so keeping the last result (until {@link BodyCompressor.release} or the next
 * body) compresses each batch once, however often it is tried.
 */
export function createBodyCompressor(options: BodyCompressorOptions): BodyCompressor {
  let last: { source: string | Uint8Array; body: Uint8Array } | undefined;
  const stats = options.stats ?? { bodies: 0, bytesIn: 0, bytesOut: 0, failures: 0 };
  return {
    stats,
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
          stats.failures++;
          options.onFailure(error);
          return request;
        }
        last = { source: request.body, body };
        stats.bodies++;
        stats.bytesIn += bytes.byteLength;
        stats.bytesOut += body.byteLength;
      }
      return { ...request, body, bytes: body.byteLength, headers: { ...(request.headers ?? {}), 'content-encoding': 'gzip' } };
    },
    release() {
      last = undefined;
    },
  };
}

/**
 * Wraps `inner` so that each body of at least `minBytes` is sent gzip-compressed with
 * `Content-Encoding: gzip`, compressed once across retries ({@link createBodyCompressor}).
 */
export function withGzip(inner: Transport, options: BodyCompressorOptions): Transport {
  const compressor = createBodyCompressor(options);
  return {
    async send(request) {
      return inner.send(await compressor.compress(request));
    },
  };
}

function toBytes(body: string | Uint8Array): Uint8Array | undefined {
  if (typeof body !== 'string') return body;
  const Encoder = (globalThis as CompressionGlobals).TextEncoder;
  return typeof Encoder === 'function' ? new Encoder().encode(body) : undefined;
}
