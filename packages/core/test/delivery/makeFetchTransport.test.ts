import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureDiagnostics } from '../../src/diagnostics/index.js';
import { classifyHttpStatus, createBeaconBudget, makeFetchTransport, parseRetryAfter } from '../../src/delivery/index.js';
import type { FetchLike, TransportRequest } from '../../src/delivery/index.js';
import { startReceiver } from './helpers/receiver.js';
import type { TestReceiver } from './helpers/receiver.js';

const request = (body = '[{"id":"a"}]'): TransportRequest => ({
  body,
  contentType: 'application/json',
  items: 1,
  bytes: body.length,
});

describe('makeFetchTransport', () => {
  let receiver: TestReceiver;

  beforeEach(async () => {
    receiver = await startReceiver();
  });

  afterEach(async () => {
    vi.unstubAllGlobals();
    await receiver.stop();
  });

  describe('send', () => {
    it('should POST the body with its content type and headers and report success on 2xx', async () => {
      receiver.reply = () => ({ status: 204 });
      const transport = makeFetchTransport({ url: receiver.url, headers: { authorization: 'Bearer t', 'x-a': '1' } });

      const result = await transport.send({ ...request(), headers: { 'x-a': '2' } });

      expect(result).toEqual({ kind: 'success' });
      expect(receiver.requests[0]?.body).toBe('[{"id":"a"}]');
      expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
      expect(receiver.requests[0]?.headers.authorization).toBe('Bearer t');
      expect(receiver.requests[0]?.headers['x-a']).toBe('2');
    });

    it('should leave out a header fetch would refuse, with one diagnostic naming it, and still deliver', async () => {
      const warnings: string[] = [];
      configureDiagnostics({ level: 'warn', logger: { error: () => {}, warn: (m) => warnings.push(m), info: () => {}, debug: () => {} } });
      try {
        receiver.reply = () => ({ status: 204 });
        const transport = makeFetchTransport({ url: receiver.url, headers: { authorization: 'Bearer abc\n', 'bad name': 'x', 'x-ok': 'yes', 'x-wide': 'caf\u00e9 \u2713' } });
        expect(await transport.send(request())).toEqual({ kind: 'success' });
        expect(receiver.requests[0]?.headers['x-ok']).toBe('yes');
        expect(receiver.requests[0]?.headers.authorization).toBeUndefined();
        expect(warnings.filter((w) => w.includes('is not a valid HTTP header name or value'))).toHaveLength(3);
        expect(warnings.join('\n')).not.toContain('Bearer abc');
      } finally {
        configureDiagnostics({});
      }
    });

    it('should send a Uint8Array body as is', async () => {
      const transport = makeFetchTransport({ url: receiver.url });
      const bytes = new Uint8Array([91, 93]);
      await transport.send({ body: bytes, contentType: 'application/octet-stream', items: 0, bytes: 2 });
      expect(receiver.requests[0]?.body).toBe('[]');
    });

    it('should classify 500 as retryable and 404 as failure', async () => {
      receiver.reply = (index) => ({ status: index === 0 ? 500 : 404 });
      const transport = makeFetchTransport({ url: receiver.url });

      expect(await transport.send(request())).toEqual({ kind: 'retryable', reason: 'HTTP 500', status: 500 });
      expect(await transport.send(request())).toEqual({ kind: 'failure', reason: 'HTTP 404', status: 404 });
    });

    it('should pass on Retry-After from a 429', async () => {
      receiver.reply = () => ({ status: 429, headers: { 'retry-after': '7' } });
      const result = await makeFetchTransport({ url: receiver.url }).send(request());
      expect(result).toMatchObject({ kind: 'retryable', retryAfterMs: 7000, status: 429 });
    });

    it('should report a refused connection as retryable', async () => {
      await receiver.stop();
      const result = await makeFetchTransport({ url: receiver.url }).send(request());
      expect(result.kind).toBe('retryable');
      expect(result.kind === 'retryable' && result.reason).toMatch(/network error/);
    });

    it('should report a reset connection as retryable', async () => {
      receiver.reply = () => ({ reset: true });
      const result = await makeFetchTransport({ url: receiver.url }).send(request());
      expect(result.kind).toBe('retryable');
    });

    it('should time out a hanging request as retryable', async () => {
      receiver.reply = () => ({ hang: true });
      const started = Date.now();
      const result = await makeFetchTransport({ url: receiver.url, timeoutMs: 5000 }).send({ ...request(), timeoutMs: 100 });
      expect(result).toEqual({ kind: 'retryable', reason: 'timed out after 100 ms' });
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('should answer when the caller aborts', async () => {
      receiver.reply = () => ({ hang: true });
      const controller = new AbortController();
      const pending = makeFetchTransport({ url: receiver.url }).send({ ...request(), signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      expect(await pending).toEqual({ kind: 'retryable', reason: 'aborted' });
    });

    it('should reserve keepalive bodies in the beacon budget and release them after', async () => {
      const budget = createBeaconBudget(100);
      const seen: Array<boolean | undefined> = [];
      const realFetch = globalThis.fetch as unknown as FetchLike;
      const fetchImpl: FetchLike = (url, init) => {
        seen.push(init.keepalive);
        return realFetch(url, init);
      };
      const transport = makeFetchTransport({ url: receiver.url, keepalive: true, beaconBudget: budget, fetchImpl });

      await transport.send(request());
      expect(budget.usedBytes).toBe(0);
      // Too big for the budget: still sent, without keepalive.
      await transport.send(request('x'.repeat(150)));

      expect(seen).toEqual([true, undefined]);
      expect(receiver.requests).toHaveLength(2);
    });

    it('should fail without throwing when no fetch exists', async () => {
      vi.stubGlobal('fetch', undefined);
      await expect(makeFetchTransport({ url: receiver.url }).send(request())).resolves.toEqual({
        kind: 'failure',
        reason: 'fetch is not available',
      });
    });

    it('should turn a throwing fetchImpl into a retryable result', async () => {
      const fetchImpl: FetchLike = () => {
        throw new Error('sync boom');
      };
      await expect(makeFetchTransport({ url: receiver.url, fetchImpl }).send(request())).resolves.toMatchObject({
        kind: 'retryable',
      });
    });
  });
});

describe('parseRetryAfter', () => {
  it('should read delay-seconds', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });

  it('should read an HTTP date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('should return undefined for missing or garbage values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
    expect(parseRetryAfter('9'.repeat(10_000))).toBeUndefined();
  });
});

describe('classifyHttpStatus', () => {
  it('should map statuses to results', () => {
    expect(classifyHttpStatus(200)).toEqual({ kind: 'success' });
    expect(classifyHttpStatus(408).kind).toBe('retryable');
    expect(classifyHttpStatus(503, '2')).toEqual({ kind: 'retryable', reason: 'HTTP 503', status: 503, retryAfterMs: 2000 });
    expect(classifyHttpStatus(401)).toEqual({ kind: 'failure', reason: 'HTTP 401', status: 401 });
    expect(classifyHttpStatus(302).kind).toBe('failure');
  });
});
