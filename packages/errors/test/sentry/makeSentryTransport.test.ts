import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus, resetDefaultRegistryForTests } from '@lookout/core';
import type { FetchLike } from '@lookout/core';
import { DEFAULT_SENTRY_GZIP_MIN_BYTES, makeSentryTransport } from '@lookout/errors/sentry-node';
import type { SentryGzip, SpooledEnvelope } from '@lookout/errors/sentry-node';
import { makeSentryTransport as makeIsomorphicTransport } from '@lookout/errors/sentry-browser';
import { serializeEnvelope } from '../../src/sentry/envelope.js';
import { zlibGzip } from '../../src/sentry-node/zlibGzip.js';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(() => receiver.stop());

const quiet = createDiagnostics({ level: 'none' });

function envelope(id: string, type = 'event') {
  return [{ event_id: id }, [[{ type }, { event_id: id, message: `event ${id}` }]]] as const;
}

function transport(extra: Parameters<typeof makeSentryTransport>[0] = {}, dropped: string[] = [], make = makeSentryTransport) {
  const url = `http://127.0.0.1:${receiver.port}/api/1/envelope/?sentry_key=k&sentry_version=7`;
  return make({ diagnostics: quiet, registry: createMetricsRegistry(), retry: { initialBackoffMs: 10, maxBackoffMs: 50 }, ...extra })({
    url,
    recordDroppedEvent: (reason, category) => void dropped.push(`${reason}:${category}`),
  });
}

/** An event envelope of about `kib` KiB: breadcrumbs and extra as a long-running request collects them. */
function largeEnvelope(id: string, kib: number) {
  const breadcrumbs = Array.from({ length: Math.ceil((kib * 1024) / 100) }, (_, i) => ({
    timestamp: 1_700_000_000 + i,
    category: 'http',
    message: `GET /api/orders/${(i * 7919) % 100_003}?page=${i % 17} -> ${200 + (i % 3)} in ${(i * 37) % 900} ms`,
  }));
  return [{ event_id: id }, [[{ type: 'event' }, { event_id: id, message: `event ${id}`, breadcrumbs, extra: { note: 'ü€'.repeat(64) } }]]] as const;
}

/** An event envelope of exactly `bytes` bytes (UTF-8). */
function envelopeOfBytes(id: string, bytes: number) {
  const make = (filler: string) => [{ event_id: id }, [[{ type: 'event' }, { event_id: id, message: filler }]]] as const;
  const bare = Buffer.byteLength(serializeEnvelope(make('')) as string);
  return make('x'.repeat(bytes - bare));
}

function diagnosticsInto(messages: string[]) {
  return createDiagnostics({ level: 'warn', logger: { error: (m) => messages.push(m), warn: (m) => messages.push(m), info: () => {}, debug: () => {} } });
}

describe('makeSentryTransport', () => {
  describe('send', () => {
    it('should honour X-Sentry-Rate-Limits on a 429: envelopes of the category are dropped until it ends, then sent', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      receiver.fault = (i) => (i === 0 ? { status: 429, rateLimits: '1:error:organization' } : 'ok');
      const dropped: string[] = [];
      const t = transport({}, dropped);
      await t.send(envelope('a'.repeat(32)));
      expect(await t.flush(5000)).toBe(true);
      await t.send(envelope('b'.repeat(32)));
      await new Promise((r) => setTimeout(r, 1100));
      await t.send(envelope('c'.repeat(32)));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.requests).toHaveLength(2);
      expect(receiver.events().map((e) => e['event_id'])).toEqual(['c'.repeat(32)]);
      expect(dropped).toEqual(['ratelimit_backoff:error']);
      expect(t.stats.dropped.rate_limited).toBe(2);
      receiver.fault = () => 'ok';
    });

    it('should drop envelopes of a category limited by a 200 answer, and send other categories', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      receiver.fault = (i) => (i === 0 ? { status: 200, rateLimits: '60:error:project' } : 'ok');
      const dropped: string[] = [];
      const t = transport({}, dropped);
      await t.send(envelope('b'.repeat(32)));
      await t.flush(2000);
      await t.send(envelope('c'.repeat(32)));
      await t.send(envelope('d'.repeat(32), 'transaction'));
      expect(await t.flush(5000)).toBe(true);
      expect(t.stats.dropped.rate_limited).toBe(1);
      expect(dropped).toEqual(['ratelimit_backoff:error']);
      expect(receiver.envelopes.map((e) => e.header['event_id'])).toEqual(['b'.repeat(32), 'd'.repeat(32)]);
      receiver.fault = () => 'ok';
    });

    it('should count a refused envelope and report it to Sentry as a client report', async () => {
      receiver.fault = () => ({ status: 400 });
      const dropped: string[] = [];
      const registry = createMetricsRegistry();
      const t = transport({ registry, signal: 'errors_test' }, dropped);
      await t.send(envelope('d'.repeat(32)));
      await t.flush(2000);
      expect(t.stats.dropped.rejected).toBe(1);
      expect(dropped).toEqual(['send_error:error']);
      expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_dropped_total{signal="errors_test",reason="rejected"} 1');
      receiver.fault = () => 'ok';
    });

    it('should deliver without a registry and export no delivery metrics, not even to the default registry', async () => {
      const defaults = resetDefaultRegistryForTests();
      defaults.enable();
      try {
        const t = transport({ registry: undefined, signal: 'errors_noreg' });
        await t.send(envelope('e'.repeat(32)));
        await t.flush(2000);
        expect(t.stats.sent).toBe(1);
        expect(await renderPrometheus(defaults)).not.toContain('errors_noreg');
      } finally {
        resetDefaultRegistryForTests();
      }
    });
  });

  describe('clear', () => {
    afterEach(() => {
      receiver.fault = () => 'ok';
    });

    it('should drop the envelopes queued and waiting for a retry, counted as consent, report nothing to Sentry, and send later ones', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      let withdrawn = false;
      // Every request made before clear() fails and is retried; one made after it would be a leak.
      receiver.fault = () => (withdrawn ? 'ok' : { status: 503 });
      const dropped: string[] = [];
      const t = transport({ retry: { initialBackoffMs: 200, maxBackoffMs: 200, jitter: false } }, dropped);
      for (let i = 0; i < 3; i++) await t.send(envelope(String(i).repeat(32)));
      await new Promise((r) => setTimeout(r, 100));
      // The first failed and waits for its retry; the others are queued behind it.
      expect(receiver.requests).toHaveLength(1);
      expect(t.clear()).toBe(3);
      withdrawn = true;
      expect(t.stats.dropped.consent).toBe(3);
      expect(t.stats.queuedItems).toBe(0);
      await new Promise((r) => setTimeout(r, 400));
      expect(receiver.requests).toHaveLength(1);
      await t.send(envelope('a'.repeat(32)));
      expect(await t.flush(3000)).toBe(true);
      expect(receiver.events().map((e) => e['event_id'])).toEqual(['a'.repeat(32)]);
      expect(dropped).toEqual([]);
      expect(t.stats.sent).toBe(1);
      await t.shutdown(100);
    });

    it('should not retry the envelope in flight at clear() when it fails, counting it as consent', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      receiver.fault = (i) => (i === 0 ? 'hang' : 'ok');
      const t = transport({ sendTimeoutMs: 300, retry: { initialBackoffMs: 10, maxBackoffMs: 10, jitter: false } });
      await t.send(envelope('f'.repeat(32)));
      await new Promise((r) => setTimeout(r, 100));
      expect(receiver.requests).toHaveLength(1);
      expect(t.clear()).toBe(0);
      // The hung request times out (retryable): it is dropped instead of sent again.
      await new Promise((r) => setTimeout(r, 700));
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.events()).toEqual([]);
      expect(t.stats.dropped.consent).toBe(1);
      expect(t.stats.sent).toBe(0);
      await t.shutdown(100);
    });
  });

  describe('spool', () => {
    it('should hand what is left to the spool at shutdown and send spooled envelopes at the next start', async () => {
      receiver.envelopes.length = 0;
      receiver.fault = () => 'hang';
      const saved: SpooledEnvelope[] = [];
      const first = transport({ sendTimeoutMs: 200, spool: { save: (e) => void saved.push(...e) } });
      for (let i = 0; i < 5; i++) await first.send(envelope(String(i).repeat(32)));
      expect(await first.shutdown(300)).toBe(false);
      // The four waiting are spooled, and so is the one in flight, once shutdown aborted it.
      expect(saved).toHaveLength(5);
      expect(first.stats.spooled).toBe(5);
      expect(first.stats.dropped.shutdown).toBe(0);
      receiver.fault = () => 'ok';
      const second = transport({ spool: { save: () => {}, load: () => saved } });
      expect(await second.flush(3000)).toBe(true);
      expect(receiver.events().map((e) => e['event_id'])).toEqual(['1', '2', '3', '4', '0'].map((d) => d.repeat(32)));
    });

    it('should spool synchronously on exit', async () => {
      receiver.fault = () => 'hang';
      const saved: SpooledEnvelope[] = [];
      const t = transport({ sendTimeoutMs: 5000, spool: { save: (e) => void saved.push(...e) } });
      for (let i = 0; i < 3; i++) await t.send(envelope(String(i + 5).repeat(32)));
      expect(t.spoolNow()).toBe(2);
      expect(saved.map((s) => s.categories)).toEqual([['error'], ['error']]);
      expect(typeof saved[0]?.body).toBe('string');
      receiver.fault = () => 'ok';
      await t.shutdown(100);
    });
  });
  describe('gzip', () => {
    it('should gzip an envelope of 32 KiB or more with Content-Encoding: gzip, decoding to the same envelope bytes, and count it', async () => {
      receiver.envelopes.length = 0;
      receiver.fault = () => 'ok';
      const env = largeEnvelope('f'.repeat(32), 48);
      const plain = Buffer.from(serializeEnvelope(env));
      expect(plain.length).toBeGreaterThanOrEqual(DEFAULT_SENTRY_GZIP_MIN_BYTES);
      const registry = createMetricsRegistry();
      const t = transport({ registry });
      await t.send(env);
      expect(await t.flush(5000)).toBe(true);
      const [got] = receiver.envelopes;
      expect(got?.headers['content-encoding']).toBe('gzip');
      expect(got?.raw.equals(plain)).toBe(true);
      expect(got?.wire.length).toBeLessThan(plain.length / 3);
      expect(Number(got?.headers['content-length'] ?? got?.wire.length)).toBe(got?.wire.length);
      expect(receiver.events()[0]?.['breadcrumbs']).toHaveLength(env[1][0][1].breadcrumbs.length);
      expect(t.stats.compression).toEqual({ bodies: 1, bytesIn: plain.length, bytesOut: got?.wire.length, failures: 0 });
      const metrics = await renderPrometheus(registry);
      expect(metrics).toContain(`lookout_delivery_compressed_bytes_total{signal="errors",stage="before"} ${plain.length}`);
      expect(metrics).toContain(`lookout_delivery_compressed_bytes_total{signal="errors",stage="after"} ${got?.wire.length}`);
    });

    it('should send an envelope one byte under the threshold uncompressed, byte for byte, and one at it gzipped', async () => {
      receiver.envelopes.length = 0;
      const under = envelopeOfBytes('0'.repeat(32), DEFAULT_SENTRY_GZIP_MIN_BYTES - 1);
      const at = envelopeOfBytes('1'.repeat(32), DEFAULT_SENTRY_GZIP_MIN_BYTES);
      const t = transport();
      await t.send(under);
      await t.send(at);
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.envelopes.map((e) => e.headers['content-encoding'])).toEqual([undefined, 'gzip']);
      expect(receiver.envelopes[0]?.wire.equals(Buffer.from(serializeEnvelope(under)))).toBe(true);
      expect(receiver.envelopes[1]?.raw.length).toBe(DEFAULT_SENTRY_GZIP_MIN_BYTES);
    });

    it('should compress with CompressionStream where no gzip is given (the browser path), and send as is where there is none', async () => {
      receiver.envelopes.length = 0;
      const t = transport({}, [], makeIsomorphicTransport);
      await t.send(largeEnvelope('1'.repeat(32), 40));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.envelopes[0]?.headers['content-encoding']).toBe('gzip');
      const saved = Object.getOwnPropertyDescriptor(globalThis, 'CompressionStream');
      delete (globalThis as { CompressionStream?: unknown }).CompressionStream;
      try {
        const messages: string[] = [];
        const bare = transport({ diagnostics: diagnosticsInto(messages) }, [], makeIsomorphicTransport);
        await bare.send(largeEnvelope('2'.repeat(32), 40));
        expect(await bare.flush(5000)).toBe(true);
        expect(receiver.envelopes[1]?.headers['content-encoding']).toBeUndefined();
        expect(receiver.envelopes[1]?.raw.equals(receiver.envelopes[1]?.wire ?? Buffer.alloc(0))).toBe(true);
        expect(messages).toEqual([]);
      } finally {
        if (saved !== undefined) Object.defineProperty(globalThis, 'CompressionStream', saved);
      }
    });

    it('should compress with zlib from ./sentry-node, where there is no CompressionStream', async () => {
      receiver.envelopes.length = 0;
      const saved = Object.getOwnPropertyDescriptor(globalThis, 'CompressionStream');
      delete (globalThis as { CompressionStream?: unknown }).CompressionStream;
      try {
        const t = transport();
        const env = largeEnvelope('3'.repeat(32), 40);
        await t.send(env);
        expect(await t.flush(5000)).toBe(true);
        expect(receiver.envelopes[0]?.headers['content-encoding']).toBe('gzip');
        expect(receiver.envelopes[0]?.raw.equals(Buffer.from(serializeEnvelope(env)))).toBe(true);
      } finally {
        if (saved !== undefined) Object.defineProperty(globalThis, 'CompressionStream', saved);
      }
    });

    it('should gzip with zlib on the thread pool, so the event loop turns while a 900 KiB envelope is compressed', async () => {
      const body = Buffer.from(serializeEnvelope(largeEnvelope('3'.repeat(32), 900)));
      let turned = false;
      setImmediate(() => {
        turned = true;
      });
      const gzipped = await zlibGzip(body);
      expect(turned).toBe(true);
      expect(gunzipSync(gzipped).equals(body)).toBe(true);
    });

    it('should compress a retried envelope once and resend the same compressed body after a 503', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      receiver.fault = (i) => (i === 0 ? { status: 503, retryAfter: '1' } : 'ok');
      const calls: number[] = [];
      const counting: SentryGzip = async (body) => {
        calls.push(body.length);
        return new Uint8Array(gzipSync(body));
      };
      const t = transport({ gzip: counting });
      await t.send(largeEnvelope('4'.repeat(32), 40));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.requests).toHaveLength(2);
      expect(calls).toHaveLength(1);
      expect(receiver.envelopes).toHaveLength(1);
      expect(receiver.envelopes[0]?.headers['content-encoding']).toBe('gzip');
      expect(t.stats).toMatchObject({ sent: 1, retried: 1 });
      receiver.fault = () => 'ok';
    });

    it('should send the plain body with one diagnostic when gzip fails', async () => {
      receiver.envelopes.length = 0;
      const messages: string[] = [];
      const t = transport({ diagnostics: diagnosticsInto(messages), gzip: () => Promise.reject(new Error('zlib out of memory')) });
      await t.send(largeEnvelope('5'.repeat(32), 40));
      await t.send(largeEnvelope('6'.repeat(32), 40));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.envelopes.map((e) => e.headers['content-encoding'])).toEqual([undefined, undefined]);
      expect(receiver.events().map((e) => e['event_id'])).toEqual(['5'.repeat(32), '6'.repeat(32)]);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('gzip failed, envelopes are sent uncompressed: Error: zlib out of memory');
      expect(t.stats).toMatchObject({ sent: 2, failedSends: 0, compression: { bodies: 0, failures: 2 } });
    });

    it('should bound the queue and envelopes by uncompressed bytes, and report drops as before', async () => {
      receiver.envelopes.length = 0;
      receiver.fault = () => 'hang';
      const dropped: string[] = [];
      const env = largeEnvelope('7'.repeat(32), 40);
      const plainBytes = Buffer.from(serializeEnvelope(env)).length;
      const t = transport({ sendTimeoutMs: 5000, maxEnvelopeBytes: 64 * 1024, maxQueueBytes: plainBytes * 2 }, dropped);
      await t.send(env);
      await t.send(largeEnvelope('8'.repeat(32), 40));
      // Compressed, the 100 KiB envelope would fit; Sentry's size limits apply after decompression.
      await t.send(largeEnvelope('9'.repeat(32), 100));
      expect(t.stats.queuedBytes).toBe(plainBytes * 2);
      expect(t.stats.dropped.too_large).toBe(1);
      await t.send(largeEnvelope('a'.repeat(32), 36));
      expect(t.stats.dropped.queue_full).toBe(1);
      expect(dropped).toEqual(['send_error:error', 'queue_overflow:error']);
      receiver.fault = () => 'ok';
      await t.shutdown(100);
    });

    it('should reserve a keepalive budget by the compressed size', async () => {
      receiver.envelopes.length = 0;
      const seen: { bytes: number; keepalive: boolean | undefined; encoding: string | undefined }[] = [];
      const fetchImpl: FetchLike = (url, init) => {
        seen.push({ bytes: typeof init.body === 'string' ? Buffer.byteLength(init.body) : init.body.length, keepalive: init.keepalive, encoding: init.headers['content-encoding'] });
        return fetch(url, init as RequestInit);
      };
      // 100 KiB uncompressed is more than a page's 64 KiB keepalive budget; compressed it fits.
      const t = transport({ keepalive: true, fetchImpl });
      await t.send(largeEnvelope('b'.repeat(32), 100));
      expect(await t.flush(5000)).toBe(true);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ keepalive: true, encoding: 'gzip' });
      expect(seen[0]?.bytes).toBe(receiver.envelopes[0]?.wire.length);
      expect(seen[0]?.bytes).toBeLessThan(64 * 1024);
    });

    it('should take invalid gzip options with one diagnostic each and use the defaults', async () => {
      receiver.envelopes.length = 0;
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object(), fc.constant(true)), fc.oneof(fc.string(), fc.constant(-1), fc.constant(Number.NaN), fc.constant(Infinity), fc.constant(null), fc.object()), (gzip, gzipMinBytes) => {
          const messages: string[] = [];
          const options = { diagnostics: diagnosticsInto(messages), gzip, gzipMinBytes } as unknown as Parameters<typeof makeSentryTransport>[0];
          expect(() => makeSentryTransport(options)({ url: 'http://127.0.0.1:1/api/1/envelope/' })).not.toThrow();
          expect(messages).toHaveLength(2);
          expect(messages.join('\n')).toMatch(/gzip must be a function or false[\s\S]*gzipMinBytes must be a number/);
        }),
        { numRuns: 50 },
      );
      const t = transport({ gzip: 'yes' as unknown as SentryGzip, gzipMinBytes: -5 });
      await t.send(largeEnvelope('c'.repeat(32), 40));
      await t.send(largeEnvelope('d'.repeat(32), 4));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.envelopes.map((e) => e.headers['content-encoding'])).toEqual(['gzip', undefined]);
    });

    it('should never compress with gzip: false', async () => {
      receiver.envelopes.length = 0;
      const t = transport({ gzip: false, gzipMinBytes: 0 });
      await t.send(largeEnvelope('e'.repeat(32), 40));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.envelopes[0]?.headers['content-encoding']).toBeUndefined();
    });
  });
});
