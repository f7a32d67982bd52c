import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { describeError } from '@lookout/core';
import type { Transport, TransportResult } from '@lookout/core';

/** A transport that can also be closed. */
export interface ClosableTransport extends Transport {
  close(): void;
}

/**
 * Splits a batch body of octet-counted frames (`LEN SP MSG`, RFC 6587 3.4.1) back into
 * messages. The sink always encodes batches this way; the UDP transport sends one datagram each.
 */
export function splitOctetCounted(body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < body.length) {
    let len = 0;
    let j = i;
    while (j < body.length && body[j] !== 0x20) len = len * 10 + ((body[j] as number) - 48), j++;
    const start = j + 1;
    out.push(body.subarray(start, start + len));
    i = start + len;
  }
  return out;
}

/** UDP (RFC 5426): one message per datagram. A send error is `retryable`. */
export function makeUdpTransport(host: string, port: number): ClosableTransport {
  let socket: UdpSocket | undefined;
  const get = (): UdpSocket => {
    if (socket === undefined) {
      socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
      socket.on('error', () => {
        socket?.close();
        socket = undefined;
      });
      socket.unref();
    }
    return socket;
  };
  return {
    send: async (request): Promise<TransportResult> => {
      try {
        const s = get();
        for (const message of splitOctetCounted(toBytes(request.body))) {
          await new Promise<void>((resolve, reject) => s.send(message, port, host, (error) => (error ? reject(error) : resolve())));
        }
        return { kind: 'success' };
      } catch (error) {
        return { kind: 'retryable', reason: `udp send failed: ${describeError(error)}` };
      }
    },
    close: () => {
      try {
        socket?.close();
      } catch {
        // Already closed.
      }
      socket = undefined;
    },
  };
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body) : body;
}

/** Converts a batch of octet-counted frames to newline-terminated messages. */
function toLf(body: Uint8Array): Uint8Array {
  const parts = splitOctetCounted(body);
  return Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\n')]));
}

/**
 * TCP (RFC 6587) or TLS (RFC 5425): one connection, opened on first use and again after an
 * error. A batch is one write; it is `success` once the socket has accepted it, `retryable`
 * on any connection error or timeout (the queue retries with backoff).
 */
export function makeStreamTransport(options: {
  host: string;
  port: number;
  tls?: Record<string, unknown>;
  framing: 'octet-counting' | 'lf';
  connectTimeoutMs: number;
}): ClosableTransport {
  let socket: Socket | undefined;
  let connecting: Promise<Socket> | undefined;

  const drop = (s: Socket): void => {
    if (socket === s) socket = undefined;
    s.destroy();
  };

  const open = (): Promise<Socket> => {
    if (socket !== undefined && !socket.destroyed && socket.writable) return Promise.resolve(socket);
    connecting ??= new Promise<Socket>((resolve, reject) => {
      const onReady = (): void => {
        clearTimeout(timer);
        s.off('error', onError);
        s.on('error', () => drop(s));
        s.on('close', () => drop(s));
        s.unref();
        socket = s;
        resolve(s);
      };
      const onError = (error: Error): void => {
        clearTimeout(timer);
        s.destroy();
        reject(error);
      };
      const s =
        options.tls === undefined
          ? netConnect({ host: options.host, port: options.port }, onReady)
          : tlsConnect({ host: options.host, port: options.port, ...(options.tls as ConnectionOptions) }, onReady);
      s.once('error', onError);
      // Syslog receivers never answer; discard anything they send so the socket does not back up.
      s.on('data', () => undefined);
      const timer = setTimeout(() => onError(new Error(`connect timed out after ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
      timer.unref();
    }).finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    send: async (request): Promise<TransportResult> => {
      try {
        const s = await open();
        const bytes = toBytes(request.body);
        const data = options.framing === 'lf' ? toLf(bytes) : bytes;
        await new Promise<void>((resolve, reject) => {
          s.write(data, (error) => (error ? reject(error) : resolve()));
        });
        return { kind: 'success' };
      } catch (error) {
        if (socket !== undefined) drop(socket);
        return { kind: 'retryable', reason: `syslog ${options.tls === undefined ? 'tcp' : 'tls'} send failed: ${describeError(error)}` };
      }
    },
    close: () => {
      if (socket !== undefined) {
        socket.end();
        socket = undefined;
      }
    },
  };
}
