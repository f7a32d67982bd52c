import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressionStreamGzip, createBodyCompressor, withGzip } from '../../src/delivery/index.js';
import type { Gzip, TransportRequest } from '../../src/delivery/index.js';

const request = (body: string | Uint8Array, extra: Partial<TransportRequest> = {}): TransportRequest => ({
  body,
  contentType: 'application/json',
  items: 1,
  bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
  ...extra,
});

const text = (bytes: number): string => JSON.stringify({ events: 'x'.repeat(bytes) }).slice(0, bytes);

/** The platform gzip, counting its calls. */
function countingGzip(): { gzip: Gzip; calls: () => number } {
  const platform = compressionStreamGzip();
  if (platform === undefined) throw new Error('Node 20 has CompressionStream');
  let calls = 0;
  return {
    gzip: (body) => {
      calls++;
      return platform(body);
    },
    calls: () => calls,
  };
}

describe('compressionStreamGzip', () => {
  it('should produce gzip that zlib decodes to the same bytes', async () => {
    const gzip = compressionStreamGzip();
    const body = new TextEncoder().encode(text(50_000));
    const out = await gzip?.(body);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out?.byteLength).toBeLessThan(body.byteLength / 10);
    expect(gunzipSync(out as Uint8Array).equals(Buffer.from(body))).toBe(true);
  });

  it('should be undefined where the platform has no CompressionStream', () => {
    const saved = globalThis.CompressionStream;
    try {
      (globalThis as { CompressionStream?: unknown }).CompressionStream = undefined;
      expect(compressionStreamGzip()).toBeUndefined();
    } finally {
      globalThis.CompressionStream = saved;
    }
  });
});

describe('createBodyCompressor', () => {
  it('should leave a body under minBytes as it is and compress one at minBytes, string or bytes', async () => {
    const { gzip } = countingGzip();
    const compressor = createBodyCompressor({ gzip, minBytes: 1000, onFailure: () => undefined });
    const small = request(text(999));
    expect(await compressor.compress(small)).toBe(small);
    for (const body of [text(1000), new TextEncoder().encode(text(1000))]) {
      const sent = await compressor.compress(request(body, { headers: { authorization: 'k' } }));
      expect(sent.headers).toEqual({ authorization: 'k', 'content-encoding': 'gzip' });
      expect(sent.bytes).toBe((sent.body as Uint8Array).byteLength);
      expect(gunzipSync(sent.body as Uint8Array).toString()).toBe(text(1000));
      expect(sent.items).toBe(1);
    }
  });

  it('should compress a body once however often it is sent, and again after release()', async () => {
    const { gzip, calls } = countingGzip();
    const compressor = createBodyCompressor({ gzip, minBytes: 10, onFailure: () => undefined });
    const body = text(5000);
    const first = await compressor.compress(request(body));
    const retry = await compressor.compress(request(body));
    expect(calls()).toBe(1);
    expect(retry.body).toBe(first.body);
    compressor.release();
    await compressor.compress(request(body));
    expect(calls()).toBe(2);
    await compressor.compress(request(text(6000)));
    expect(calls()).toBe(3);
  });

  it('should send the body as it is, and report the error, when gzip rejects or returns no bytes', async () => {
    const failures: unknown[] = [];
    for (const gzip of [() => Promise.reject(new Error('no memory')), () => Promise.resolve('not bytes' as unknown as Uint8Array)]) {
      const compressor = createBodyCompressor({ gzip, minBytes: 10, onFailure: (error) => failures.push(error) });
      const plain = request(text(100));
      expect(await compressor.compress(plain)).toBe(plain);
    }
    expect(failures.map(String)).toEqual(['Error: no memory', 'TypeError: gzip did not return bytes']);
  });

  it('should count each body it compresses once, with its bytes before and after, and each failure', async () => {
    const { gzip } = countingGzip();
    const stats = { bodies: 0, bytesIn: 0, bytesOut: 0, failures: 0 };
    const compressor = createBodyCompressor({ gzip, minBytes: 1000, onFailure: () => undefined, stats });
    expect(compressor.stats).toBe(stats);
    await compressor.compress(request(text(999)));
    const first = await compressor.compress(request(text(5000)));
    await compressor.compress(request(text(5000))); // a retry of the same body
    const second = await compressor.compress(request(new TextEncoder().encode(text(3000))));
    expect(stats).toEqual({ bodies: 2, bytesIn: 8000, bytesOut: first.bytes + second.bytes, failures: 0 });
    expect(stats.bytesOut).toBeLessThan(stats.bytesIn / 10);

    const failing = createBodyCompressor({ gzip: () => Promise.reject(new Error('no memory')), minBytes: 10, onFailure: () => undefined });
    await failing.compress(request(text(100)));
    await failing.compress(request(text(100)));
    expect(failing.stats).toEqual({ bodies: 0, bytesIn: 0, bytesOut: 0, failures: 2 });
  });

  it('should never compress with gzip: false', async () => {
    const compressor = createBodyCompressor({ gzip: false, minBytes: 0, onFailure: () => undefined });
    const plain = request(text(100_000));
    expect(await compressor.compress(plain)).toBe(plain);
  });
});

describe('withGzip', () => {
  it('should hand the inner transport the compressed request and return its result', async () => {
    const seen: TransportRequest[] = [];
    const transport = withGzip(
      {
        send: async (r) => {
          seen.push(r);
          return { kind: 'retryable', reason: 'busy' };
        },
      },
      { gzip: undefined, minBytes: 1024, onFailure: () => undefined },
    );
    const body = new TextEncoder().encode(text(4096));
    expect(await transport.send(request(body))).toEqual({ kind: 'retryable', reason: 'busy' });
    expect(await transport.send(request(text(10)))).toEqual({ kind: 'retryable', reason: 'busy' });
    expect(seen[0]?.headers?.['content-encoding']).toBe('gzip');
    expect(gunzipSync(seen[0]?.body as Uint8Array).equals(Buffer.from(body))).toBe(true);
    expect(seen[1]?.body).toBe(text(10));
    expect(seen[1]?.headers).toBeUndefined();
  });
});
