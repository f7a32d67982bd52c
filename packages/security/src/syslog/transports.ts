import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { describeError } from '@lookout/core';
import type { Diagnostics, Transport, TransportResult } from '@lookout/core';
import { DEFAULT_SYSLOG_TLS_MIN_VERSION } from './config.js';
import type { SyslogTlsOptions } from './config.js';

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
 * Whether a TLS error means the peer's certificate (or ours) was refused: sending again
 * cannot help until someone fixes the certificates or the `tls` settings.
 */
export function isTlsCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|HOSTNAME_MISMATCH|ALERT_UNKNOWN_CA|ALERT_ACCESS_DENIED|ALERT_HANDSHAKE_FAILURE/.test(code);
}

/**
 * Longest wait, after a TLS 1.3 handshake, for the receiver to confirm it (a session ticket) or
 * refuse it (an alert), capped by the connect timeout. See {@link makeStreamTransport}.
 */
export const TLS13_SETTLE_MAX_MS = 1000;

/** `tls.connect` options from the sink's TLS settings: verification on unless turned off explicitly. */
function tlsConnectOptions(host: string, port: number, tls: SyslogTlsOptions): ConnectionOptions {
  const o: ConnectionOptions = { host, port, rejectUnauthorized: tls.rejectUnauthorized !== false, minVersion: tls.minVersion ?? DEFAULT_SYSLOG_TLS_MIN_VERSION };
  if (tls.ca !== undefined) o.ca = tls.ca as ConnectionOptions['ca'];
  if (tls.cert !== undefined) o.cert = tls.cert as ConnectionOptions['cert'];
  if (tls.key !== undefined) o.key = tls.key as ConnectionOptions['key'];
  if (tls.passphrase !== undefined) o.passphrase = tls.passphrase;
  if (tls.checkServerIdentity !== undefined) o.checkServerIdentity = tls.checkServerIdentity as ConnectionOptions['checkServerIdentity'];
  const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
  if (servername !== undefined) o.servername = servername;
  return o;
}

/**
 * TCP (RFC 6587) or TLS (RFC 5425): one connection, opened on first use and again after the
 * receiver closes it or an error. A batch is one write; it is `success` once the socket has
 * accepted it, `retryable` on a connection error or timeout (the queue retries with backoff),
 * and `failure` when a certificate is refused (reported once per receiver and cause, with what
 * to fix; the queue counts the batch as `rejected`). A batch written just before the receiver
 * dies can be lost: RFC 5425 and RFC 6587 have no acknowledgements.
 *
 * Under TLS 1.3 the client's side of the handshake ends before the receiver has checked the
 * client's certificate, so a refusal (mutual TLS without `tls.cert`, or one the receiver does not
 * trust) arrives as an alert after `secureConnect`: bytes written before it would be counted as
 * sent and lost. A new TLS 1.3 connection is therefore used only once the receiver has answered
 * the handshake: a session ticket (which OpenSSL- and Node-based receivers send at once), an
 * alert or a close, or {@link TLS13_SETTLE_MAX_MS} of silence from a receiver that sends no tickets.
 */
export function makeStreamTransport(options: {
  host: string;
  port: number;
  tls?: SyslogTlsOptions;
  framing: 'octet-counting' | 'lf';
  connectTimeoutMs: number;
  diagnostics: Diagnostics;
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
      let settled = false;
      let settleTimer: ReturnType<typeof setTimeout> | undefined;
      const onReady = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(settleTimer);
        s.off('error', onError);
        s.off('close', onEarlyClose);
        s.on('error', () => drop(s));
        s.on('end', () => drop(s));
        s.on('close', () => drop(s));
        s.unref();
        socket = s;
        resolve(s);
      };
      const onError = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(settleTimer);
        s.destroy();
        reject(error);
      };
      const onEarlyClose = (): void => onError(new Error('the receiver closed the connection during the TLS handshake'));
      const onConnected = (): void => {
        if (options.tls === undefined || (s as TLSSocket).getProtocol() !== 'TLSv1.3') return onReady();
        // Wait for the receiver's verdict on our side of the handshake (see the doc comment).
        // Off the ticket callback: OpenSSL is still inside its read when 'session' fires.
        s.once('session', () => setImmediate(onReady));
        s.once('close', onEarlyClose);
        settleTimer = setTimeout(onReady, Math.min(TLS13_SETTLE_MAX_MS, options.connectTimeoutMs));
        settleTimer.unref();
      };
      const s =
        options.tls === undefined
          ? netConnect({ host: options.host, port: options.port }, onConnected)
          : tlsConnect(tlsConnectOptions(options.host, options.port, options.tls), onConnected);
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
        const reason = `syslog ${options.tls === undefined ? 'tcp' : 'tls'} send to ${options.host}:${options.port} failed: ${describeError(error)}`;
        if (options.tls === undefined || !isTlsCertificateError(error)) return { kind: 'retryable', reason };
        const code = String((error as { code?: unknown }).code);
        options.diagnostics.error(
          'syslog/tls-certificate',
          `${reason}. The TLS handshake refused a certificate (${code}), so nothing is sent and each batch is dropped (counted as "rejected"): give the CA that signed the receiver's certificate in tls.ca, the name it carries in tls.servername, or a client certificate in tls.cert/tls.key if the receiver requires one`,
          `${options.host}:${options.port}:${code}`,
        );
        return { kind: 'failure', reason, reported: true };
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
