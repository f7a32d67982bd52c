import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeUdpTransport } from '../../src/syslog/transports.js';

/** A batch as the syslog sink encodes it: octet-counted messages, one per datagram. */
function batch(...messages: Buffer[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => [Buffer.from(`${m.length} `), m]));
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

describe('makeUdpTransport', () => {
  let receiver: Socket;
  let port: number;
  let got: string[];

  beforeEach(async () => {
    got = [];
    receiver = createSocket('udp4');
    receiver.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    port = receiver.address().port;
  });
  afterEach(() => receiver.close());

  const request = (body: Buffer, signal?: AbortSignal) => ({ body, contentType: 'application/syslog', items: 3, bytes: body.length, ...(signal ? { signal } : {}) });

  it('should send nothing for a request whose signal has aborted, and say it was stopped', async () => {
    const transport = makeUdpTransport('127.0.0.1', port);
    // A socket that has sent before: its next send() would go out at once.
    expect((await transport.send(request(batch(Buffer.from('warm'))))).kind).toBe('success');
    const body = batch(Buffer.from('a'), Buffer.from('b'), Buffer.from('c'));
    const result = await transport.send(request(body, AbortSignal.abort()));
    await settle();
    expect(result).toMatchObject({ kind: 'retryable', reason: expect.stringContaining('aborted') });
    expect(got).toEqual(['warm']);
    // The retry sends the whole batch, once.
    expect((await transport.send(request(body))).kind).toBe('success');
    transport.close();
    await settle();
    expect(got).toEqual(['warm', 'a', 'b', 'c']);
  });

  it('should not send again a datagram handed to the kernel before its send was stopped', async () => {
    const transport = makeUdpTransport('127.0.0.1', port);
    expect((await transport.send(request(batch(Buffer.from('warm'))))).kind).toBe('success');
    const body = batch(Buffer.from('a'), Buffer.from('b'), Buffer.from('c'));
    const controller = new AbortController();
    const first = transport.send(request(body, controller.signal));
    // Stopped right after the first datagram was handed over, before its callback.
    controller.abort();
    expect((await first).kind).toBe('retryable');
    expect((await transport.send(request(body))).kind).toBe('success');
    transport.close();
    await settle();
    expect(got).toEqual(['warm', 'a', 'b', 'c']);
  });

  it('should send each datagram once: the retry of a stopped batch sends only those the kernel had not taken', async () => {
    const transport = makeUdpTransport('127.0.0.1', port);
    // The second message is past what one datagram carries: its send fails every time.
    const body = batch(Buffer.from('first'), Buffer.alloc(70_000, 0x78), Buffer.from('third'));
    const results = [await transport.send(request(body)), await transport.send(request(body))];
    transport.close();
    await settle();
    expect(results.map((r) => r.kind)).toEqual(['retryable', 'retryable']);
    expect(got).toEqual(['first']);
  });

  it('should send a whole batch in order', async () => {
    const transport = makeUdpTransport('127.0.0.1', port);
    const result = await transport.send(request(batch(Buffer.from('a'), Buffer.from('b'), Buffer.from('c'))));
    transport.close();
    await settle();
    expect(result.kind).toBe('success');
    expect(got).toEqual(['a', 'b', 'c']);
  });
});
