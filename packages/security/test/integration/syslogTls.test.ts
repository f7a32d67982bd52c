import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import type { Server, TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, snapshotMetric } from '@lookout/core';
import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import { createSecurityLogger } from '@lookout/security';
import { createSyslogSink } from '@lookout/security/syslog';
import type { SyslogSink, SyslogTlsOptions } from '@lookout/security/syslog';
import { parseRfc5424, splitFrames } from '../helpers/parseRfc5424.js';
import { getFreePort, makeTempDir, pollUntil } from '../../../../testing/backends.js';
import { OPENSSL, generateTestPki } from '../helpers/tlsCerts.js';
import type { TestPki } from '../helpers/tlsCerts.js';

let pki: TestPki;
beforeAll(() => {
  // No openssl means no certificates: the whole file fails (CI must install openssl).
  pki = generateTestPki();
});

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.();
});

interface TlsListener {
  port: number;
  raw(): Buffer;
  /** Connections whose TLS handshake completed. */
  secureConnections(): number;
  /** Of those, connections that presented a client certificate the listener's CA signed. */
  authorizedClients(): number;
  stop(): Promise<void>;
}

/** A real RFC 5425 receiver: `node:tls` on 127.0.0.1, recording every byte it gets. */
async function startTlsListener(options: { cert: string; key: string; ca?: string; requireClientCert?: boolean; port?: number; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }): Promise<TlsListener> {
  const chunks: Buffer[] = [];
  const sockets = new Set<TLSSocket>();
  let secure = 0;
  let authorized = 0;
  const server: Server = createServer(
    {
      cert: options.cert,
      key: options.key,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      requestCert: options.requireClientCert === true,
      rejectUnauthorized: options.requireClientCert === true,
    },
    (s) => {
      secure++;
      if (s.authorized) authorized++;
      sockets.add(s);
      s.on('data', (d: Buffer) => chunks.push(d));
      s.on('error', () => undefined);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let stopped = false;
  const stop = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    stopped = true;
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  };
  stops.push(stop);
  return { port, raw: () => Buffer.concat(chunks), secureConnections: () => secure, authorizedClients: () => authorized, stop };
}

/**
 * A real OpenSSL receiver (`openssl s_server`, as rsyslog's and syslog-ng's TLS drivers are built
 * on OpenSSL) requiring a client certificate signed by `ca`. `stop()` returns what it printed.
 */
async function startOpensslReceiver(options: { cert: string; key: string; ca: string; maxVersion: 'TLSv1.2' | 'TLSv1.3' }): Promise<{ port: number; stop(): Promise<string> }> {
  const dir = makeTempDir('lookout-s-server-');
  writeFileSync(join(dir, 'cert.pem'), options.cert);
  writeFileSync(join(dir, 'key.pem'), options.key);
  writeFileSync(join(dir, 'ca.pem'), options.ca);
  const port = await getFreePort();
  const version = options.maxVersion === 'TLSv1.3' ? '-tls1_3' : '-tls1_2';
  const child = spawn(OPENSSL, ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 'cert.pem', '-key', 'key.pem', '-CAfile', 'ca.pem', '-Verify', '1', '-verify_return_error', version], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  // stdin stays open: s_server sends it to the client and ends the connection at its EOF.
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<string> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    return output;
  };
  stops.push(async () => {
    await stop();
  });
  await pollUntil('openssl s_server to accept', async () => (output.includes('ACCEPT') ? true : undefined), 5000);
  return { port, stop };
}

/**
 * Logs three events in two flushes through a sink whose receiver refuses our certificate, then
 * checks that none was sent, all three were counted as rejected, and one diagnostic named
 * `code` and what to set. Shuts the sink down.
 */
async function expectRefused(sink: SyslogSink, diagnostics: Diagnostics, messages: string[], code: string): Promise<void> {
  log(sink, diagnostics, ['alice', 'bob']);
  await sink.flush(3000);
  log(sink, diagnostics, ['carol']);
  await sink.flush(3000);
  expect(sink.queue.stats.sent).toBe(0);
  expect(sink.queue.stats.dropped.rejected).toBe(3);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain('refused a certificate');
  expect(messages[0]).toContain(code);
  expect(messages[0]).toContain('tls.cert');
  await sink.shutdown(1000);
}

function recording(): { diagnostics: Diagnostics; messages: string[] } {
  const messages: string[] = [];
  const push = (m: string): void => {
    messages.push(m);
  };
  return { diagnostics: createDiagnostics({ logger: { error: push, warn: push, info: () => {}, debug: () => {} } }), messages };
}

function tlsSink(port: number, tls: SyslogTlsOptions, diagnostics: Diagnostics, registry: MetricsRegistry = createMetricsRegistry()): SyslogSink {
  return createSyslogSink({ protocol: 'tls', host: '127.0.0.1', port, tls, diagnostics, registry, flushIntervalMs: 20, connectTimeoutMs: 1000, retry: { initialBackoffMs: 50, maxBackoffMs: 200, jitter: false } });
}

function log(sink: SyslogSink, diagnostics: Diagnostics, actors: readonly string[]): void {
  const logger = createSecurityLogger({ sinks: [sink], diagnostics, registry: createMetricsRegistry() });
  for (const actor of actors) logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor, sourceIp: '198.51.100.7' });
}

/** Messages received so far, each parsed by the strict RFC 5424 parser; the framing must leave no bytes over. */
function received(listener: TlsListener): Array<ReturnType<typeof parseRfc5424>> {
  const { messages, rest } = splitFrames(listener.raw());
  expect(rest.length).toBe(0);
  return messages.map((m) => parseRfc5424(m));
}

const actorsOf = (messages: Array<ReturnType<typeof parseRfc5424>>): string[] => messages.map((m) => (JSON.parse(m.msg ?? '') as { actor: string }).actor);

describe('createSyslogSink', () => {
  describe('over TLS (RFC 5425)', () => {
    it('should deliver octet-counted RFC 5424 messages to a receiver verified against tls.ca and tls.servername', async () => {
      const listener = await startTlsListener(pki.server);
      const { diagnostics, messages } = recording();
      const sink = tlsSink(listener.port, { ca: pki.ca, servername: pki.serverName }, diagnostics);
      log(sink, diagnostics, ['alice', 'bob']);
      await sink.flush(3000);
      await expect.poll(() => splitFrames(listener.raw()).messages.length, { timeout: 3000 }).toBe(2);
      const parsed = received(listener);
      expect(parsed.map((p) => [p.facility, p.severity, p.msgId])).toEqual([
        [10, 5, 'authn_login_fail'],
        [10, 5, 'authn_login_fail'],
      ]);
      expect(actorsOf(parsed)).toEqual(['alice', 'bob']);
      expect(listener.secureConnections()).toBe(1);
      expect(sink.queue.stats).toMatchObject({ sent: 2, failedSends: 0 });
      expect(messages).toEqual([]);
      await sink.shutdown(1000);
    });

    it('should send nothing to a self-signed receiver without tls.ca: one diagnostic, every batch counted as rejected', async () => {
      const listener = await startTlsListener(pki.selfSigned);
      const { diagnostics, messages } = recording();
      const registry = createMetricsRegistry();
      const sink = tlsSink(listener.port, {}, diagnostics, registry);
      log(sink, diagnostics, ['alice', 'bob']);
      await sink.flush(2000);
      log(sink, diagnostics, ['carol']);
      await sink.flush(2000);
      expect(listener.raw().length).toBe(0);
      expect(listener.secureConnections()).toBe(0);
      expect(sink.queue.stats.sent).toBe(0);
      expect(sink.queue.stats.dropped.rejected).toBe(3);
      expect(sink.queue.stats.failedSends).toBe(2);
      // One message for the cause, not a second, vaguer "dropped: rejected" from the queue.
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('refused a certificate');
      expect(messages[0]).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(messages[0]).toContain('tls.ca');
      await registry.prepareCollection();
      const dropped = snapshotMetric(registry, 'lookout_delivery_items_dropped_total', { matchers: { signal: 'security_syslog', reason: 'rejected' } });
      expect(dropped?.series[0]?.value).toBe(3);
      await sink.shutdown(1000);
    });

    it('should refuse a receiver whose certificate does not carry the name it is reached by', async () => {
      const listener = await startTlsListener(pki.server);
      const { diagnostics, messages } = recording();
      // Right CA, but the certificate is for syslog.test and the sink checks it against 127.0.0.1.
      const sink = tlsSink(listener.port, { ca: pki.ca }, diagnostics);
      log(sink, diagnostics, ['alice']);
      await sink.flush(2000);
      expect(listener.raw().length).toBe(0);
      expect(sink.queue.stats.dropped.rejected).toBe(1);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
      await sink.shutdown(1000);
    });

    it('should present tls.cert and tls.key to a receiver that requires mutual TLS', async () => {
      const listener = await startTlsListener({ ...pki.server, ca: pki.ca, requireClientCert: true });
      const { diagnostics, messages } = recording();
      const sink = tlsSink(listener.port, { ca: pki.ca, servername: pki.serverName, cert: pki.client.cert, key: pki.client.key }, diagnostics);
      log(sink, diagnostics, ['alice']);
      await sink.flush(3000);
      await expect.poll(() => splitFrames(listener.raw()).messages.length, { timeout: 3000 }).toBe(1);
      expect(listener.authorizedClients()).toBe(1);
      expect(actorsOf(received(listener))).toEqual(['alice']);
      expect(messages).toEqual([]);
      await sink.shutdown(1000);
    });

    // Under TLS 1.3 the client's handshake ends before the receiver has checked the client's
    // certificate: the refusal comes as an alert after 'secureConnect'. Bytes written before it
    // would be lost while counted as sent, so the sink must see the alert before it writes.
    for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
      it(`should count as rejected, never as sent, what a receiver requiring mutual TLS refuses for want of a client certificate (${maxVersion})`, async () => {
        const listener = await startTlsListener({ ...pki.server, ca: pki.ca, requireClientCert: true, maxVersion });
        const { diagnostics, messages } = recording();
        const sink = tlsSink(listener.port, { ca: pki.ca, servername: pki.serverName }, diagnostics);
        await expectRefused(sink, diagnostics, messages, maxVersion === 'TLSv1.3' ? 'ALERT_CERTIFICATE_REQUIRED' : 'ALERT_HANDSHAKE_FAILURE');
        expect(listener.raw().length).toBe(0);
      });

      it(`should count as rejected a client certificate an OpenSSL receiver does not trust (${maxVersion})`, async () => {
        const receiver = await startOpensslReceiver({ ...pki.server, ca: pki.ca, maxVersion });
        const { diagnostics, messages } = recording();
        // A certificate no CA of the receiver's signed: OpenSSL answers with an unknown_ca alert.
        const sink = tlsSink(receiver.port, { ca: pki.ca, servername: pki.serverName, cert: pki.selfSigned.cert, key: pki.selfSigned.key }, diagnostics);
        await expectRefused(sink, diagnostics, messages, 'ALERT_UNKNOWN_CA');
        // s_server prints what it receives: no message got through.
        const printed = await receiver.stop();
        expect(printed).toContain('ACCEPT');
        expect(printed).not.toContain('alice');
      });

      it(`should never count as sent what a receiver that hangs up on an untrusted client certificate without an alert drops (${maxVersion})`, async () => {
        // node:tls receivers close the connection without a TLS alert: the sink cannot tell that
        // from a restart, so it retries, and the batch ends as retries_exhausted.
        const listener = await startTlsListener({ ...pki.server, ca: pki.ca, requireClientCert: true, maxVersion });
        const { diagnostics } = recording();
        const registry = createMetricsRegistry();
        const sink = createSyslogSink({
          protocol: 'tls',
          host: '127.0.0.1',
          port: listener.port,
          tls: { ca: pki.ca, servername: pki.serverName, cert: pki.selfSigned.cert, key: pki.selfSigned.key },
          diagnostics,
          registry,
          flushIntervalMs: 20,
          connectTimeoutMs: 1000,
          retry: { initialBackoffMs: 20, maxBackoffMs: 40, maxAttempts: 3, jitter: false },
        });
        log(sink, diagnostics, ['alice']);
        await expect.poll(() => sink.queue.stats.dropped.retries_exhausted, { timeout: 5000 }).toBe(1);
        expect(listener.raw().length).toBe(0);
        expect(listener.authorizedClients()).toBe(0);
        expect(sink.queue.stats.sent).toBe(0);
        await sink.shutdown(1000);
      });
    }

    it('should reconnect after the receiver restarts, retrying what could not be sent meanwhile', async () => {
      const first = await startTlsListener(pki.server);
      const port = first.port;
      const { diagnostics } = recording();
      const sink = tlsSink(port, { ca: pki.ca, servername: pki.serverName }, diagnostics);
      log(sink, diagnostics, ['before-1', 'before-2']);
      await sink.flush(3000);
      await expect.poll(() => splitFrames(first.raw()).messages.length, { timeout: 3000 }).toBe(2);
      await first.stop();
      // Down: the send fails (connection refused) and the batch waits for a retry.
      log(sink, diagnostics, ['while-down']);
      await expect.poll(() => sink.queue.stats.failedSends, { timeout: 3000 }).toBeGreaterThan(0);
      const second = await startTlsListener({ ...pki.server, port });
      await expect.poll(() => splitFrames(second.raw()).messages.length, { timeout: 5000 }).toBe(1);
      log(sink, diagnostics, ['after-1', 'after-2']);
      await sink.flush(3000);
      await expect.poll(() => splitFrames(second.raw()).messages.length, { timeout: 3000 }).toBe(3);
      expect(actorsOf(received(first))).toEqual(['before-1', 'before-2']);
      expect(actorsOf(received(second))).toEqual(['while-down', 'after-1', 'after-2']);
      expect(second.secureConnections()).toBe(1);
      const stats = sink.queue.stats;
      expect(stats.sent).toBe(5);
      expect(stats.retried).toBeGreaterThan(0);
      expect(Object.values(stats.dropped).reduce((a, b) => a + b, 0)).toBe(0);
      await sink.shutdown(1000);
    });

    it('should warn once that the stream is unprotected when tls.rejectUnauthorized is false', async () => {
      const listener = await startTlsListener(pki.selfSigned);
      const { diagnostics, messages } = recording();
      const sink = tlsSink(listener.port, { rejectUnauthorized: false }, diagnostics);
      expect(messages.filter((m) => m.includes('rejectUnauthorized is false'))).toHaveLength(1);
      log(sink, diagnostics, ['alice']);
      await sink.flush(3000);
      await expect.poll(() => splitFrames(listener.raw()).messages.length, { timeout: 3000 }).toBe(1);
      await sink.shutdown(1000);
    });

    it('should report invalid tls settings by path, without throwing', () => {
      const { diagnostics, messages } = recording();
      const tls = { ca: 42, servername: '', pinned: true } as unknown as SyslogTlsOptions;
      expect(() => createSyslogSink({ protocol: 'tls', port: 1, diagnostics, registry: createMetricsRegistry(), tls })).not.toThrow();
      expect(messages).toHaveLength(3);
      expect(messages[0]).toContain('tls.ca: must be PEM text');
      expect(messages[1]).toContain('tls.servername: must be a non-empty host name');
      expect(messages[2]).toContain('tls.pinned: unknown option');
    });
  });
});
