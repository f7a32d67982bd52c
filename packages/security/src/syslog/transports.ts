import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { describeError } from '@lookout/core';
import type { Diagnostics, Transport, TransportRequest, TransportResult } from '@lookout/core';
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

/**
 * UDP (RFC 5426): one message per datagram. A send error, the request's timeout or its signal
 * stops the batch, `retryable`, checked before each datagram; the retry of that batch starts after
 * the datagrams already handed to the kernel (UDP cannot take one back, so none is sent twice),
 * with the one the kernel refused, if any.
 */
export function makeUdpTransport(host: string, port: number): ClosableTransport {
  let socket: UdpSocket | undefined;
  /** Datagrams of a batch the kernel took before its send stopped, by batch body. */
  const takenBefore = new WeakMap<object, number>();
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
      const { stopped, dispose } = whenStopped(request);
      let halted: SendStopped | undefined;
      stopped.catch((error: SendStopped) => {
        halted = error;
      });
      const key = typeof request.body === 'object' ? request.body : undefined;
      let taken = key === undefined ? 0 : (takenBefore.get(key) ?? 0);
      try {
        const s = get();
        const messages = splitOctetCounted(toBytes(request.body));
        while (taken < messages.length) {
          // Checked before each datagram: once handed to send(), it may leave whatever happens next.
          if (request.signal?.aborted === true) throw new SendStopped('aborted');
          if (halted !== undefined) throw halted;
          const message = messages[taken] as Uint8Array;
          const sent = new Promise<void>((resolve, reject) => s.send(message, port, host, (error) => (error ? reject(error) : resolve())));
          try {
            await Promise.race([sent, stopped]);
          } catch (error) {
            // Stopped after send(): the datagram may have left, so the retry does not send it again.
            // One the kernel refused (an error of its own) did not leave, and is sent again.
            if (error instanceof SendStopped) taken++;
            throw error;
          }
          taken++;
        }
        if (key !== undefined) takenBefore.delete(key);
        return { kind: 'success' };
      } catch (error) {
        if (key !== undefined && taken > 0) takenBefore.set(key, taken);
        return { kind: 'retryable', reason: `udp send ${error instanceof SendStopped ? error.message : `failed: ${describeError(error)}`}` };
      } finally {
        dispose();
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

const LF = Buffer.from('\n');

/** The frames of a batch as they go on a stream: octet-counted (`LEN SP MSG`) or newline-terminated. */
function streamFrames(body: Uint8Array, framing: 'octet-counting' | 'lf'): Buffer[] {
  return splitOctetCounted(body).map((m) => (framing === 'lf' ? Buffer.concat([m, LF]) : Buffer.concat([Buffer.from(`${m.length} `), m])));
}

/** The queue stopped waiting for a send: its timeout passed or its signal aborted. */
class SendStopped extends Error {}

/**
 * A promise that rejects with {@link SendStopped} when `request`'s signal aborts or its
 * `timeoutMs` passes (timer unref'd); call `dispose` once the send is over.
 */
function whenStopped(request: TransportRequest): { stopped: Promise<never>; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new SendStopped('aborted'));
    if (request.signal?.aborted === true) return onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const ms = request.timeoutMs;
    if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) {
      timer = setTimeout(() => reject(new SendStopped(`timed out after ${ms} ms`)), ms);
      timer.unref();
    }
  });
  // Raced against each step of the send; a stop after the last step has nobody to tell.
  stopped.catch(() => undefined);
  return {
    stopped,
    dispose: () => {
      clearTimeout(timer);
      if (onAbort !== undefined) request.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Resolves once `socket` has handed `frame` to the kernel. */
function writeFrame(socket: Socket, frame: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.write(frame, (error) => (error ? reject(error) : resolve()));
  });
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
 * receiver closes it or an error. A batch is `success` once the kernel has taken all its
 * messages, `retryable` on a connection error or timeout (the queue retries with backoff), and
 * `failure` when a certificate is refused (reported once per receiver and cause, with what to
 * fix; the queue counts the batch as `rejected`). A batch written just before the receiver dies
 * can be lost: RFC 5425 and RFC 6587 have no acknowledgements.
 *
 * Messages are written one at a time, each once the kernel has taken the one before, so a
 * receiver that stops reading holds at most one message in this process. When the request's
 * `timeoutMs` passes or its signal aborts, the connection is closed (Node drops what it still
 * held; the kernel still delivers what it took, should the receiver resume) and the retry opens
 * a new one. Core's queue resends the same body object on a retry, so the transport remembers
 * per body how many messages the kernel had taken and sends only the rest: a receiver that
 * resumes gets each message once (at most a torn partial frame on the closed connection, which
 * receivers discard at its end).
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
  /** Messages of a batch the kernel took on a connection closed by a timeout or abort, by batch body. */
  const takenBefore = new WeakMap<object, number>();

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
      const { stopped, dispose } = whenStopped(request);
      const key = typeof request.body === 'object' ? request.body : undefined;
      let taken = key === undefined ? 0 : (takenBefore.get(key) ?? 0);
      let s: Socket | undefined;
      try {
        const frames = streamFrames(toBytes(request.body), options.framing);
        s = await Promise.race([open(), stopped]);
        for (; taken < frames.length; taken++) await Promise.race([writeFrame(s, frames[taken] as Buffer), stopped]);
        if (key !== undefined) takenBefore.delete(key);
        return { kind: 'success' };
      } catch (error) {
        const what = `syslog ${options.tls === undefined ? 'tcp' : 'tls'} send to ${options.host}:${options.port}`;
        if (error instanceof SendStopped) {
          // This socket is not draining: close it rather than queue the retry behind what it holds.
          if (s !== undefined) drop(s);
          if (key !== undefined && taken > 0) takenBefore.set(key, taken);
          return { kind: 'retryable', reason: `${what} ${error.message}` };
        }
        if (socket !== undefined) drop(socket);
        const reason = `${what} failed: ${describeError(error)}`;
        if (options.tls === undefined || !isTlsCertificateError(error)) return { kind: 'retryable', reason };
        const code = String((error as { code?: unknown }).code);
        options.diagnostics.error(
          'syslog/tls-certificate',
          `${reason}. The TLS handshake refused a certificate (${code}), so nothing is sent and each batch is dropped (counted as "rejected"): give the CA that signed the receiver's certificate in tls.ca, the name it carries in tls.servername, or a client certificate in tls.cert/tls.key if the receiver requires one`,
          `${options.host}:${options.port}:${code}`,
        );
        return { kind: 'failure', reason, reported: true };
      } finally {
        dispose();
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
