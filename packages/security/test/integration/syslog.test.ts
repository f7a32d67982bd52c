import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import { createSecurityLogger } from '@lookout/security';
import { createSyslogSink, formatSyslogMessage } from '@lookout/security/syslog';
import { parseRfc5424, splitFrames } from '../helpers/parseRfc5424.js';

const quiet = createDiagnostics({ level: 'none' });
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function udpListener(): Promise<{ port: number; messages: Buffer[] }> {
  const socket: UdpSocket = createSocket('udp4');
  const messages: Buffer[] = [];
  socket.on('message', (m) => messages.push(m));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, messages };
}

async function tcpListener(): Promise<{ port: number; raw: () => Buffer; connections: () => number }> {
  const chunks: Buffer[] = [];
  let connections = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('data', (d) => chunks.push(d));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  );
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, raw: () => Buffer.concat(chunks), connections: () => connections };
}

function logEvents(sink: ReturnType<typeof createSyslogSink>) {
  const logger = createSecurityLogger({ sinks: [sink], diagnostics: quiet, registry: createMetricsRegistry() });
  logger.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: 'alice', sourceIp: '203.0.113.9', target: 'login]"\\', time: Date.parse('2025-01-02T03:04:05.678Z') });
  logger.logSecurityEvent({ type: 'authorization', outcome: 'denied', risk: 'critical', actor: 'bob\r\n<13>1 2025-01-01T00:00:00Z forged - - - - fake', details: { note: 'héllo ✓' } });
  return logger;
}

describe('createSyslogSink', () => {
  describe('over UDP', () => {
    it('should deliver RFC 5424 messages that a strict parser accepts', async () => {
      const listener = await udpListener();
      const sink = createSyslogSink({ port: listener.port, hostname: 'app-1', appName: 'shop', diagnostics: quiet, registry: createMetricsRegistry() });
      const logger = logEvents(sink);
      await logger.flush(2000);
      await expect.poll(() => listener.messages.length, { timeout: 3000 }).toBe(2);
      const [first, second] = listener.messages.map((m) => parseRfc5424(m));
      expect(first).toMatchObject({ facility: 10, severity: 5, version: 1, timestamp: '2025-01-02T03:04:05.678Z', hostname: 'app-1', appName: 'shop', procId: String(process.pid), msgId: 'authn_login_fail' });
      const params = Object.fromEntries(first?.structuredData[0]?.params ?? []);
      expect(first?.structuredData[0]?.id).toBe('lookout@32473');
      expect(params).toMatchObject({ type: 'authentication', outcome: 'failure', risk: 'medium', actor: 'alice', src: '203.0.113.9', target: 'login]"\\' });
      expect(JSON.parse(first?.msg ?? '')).toMatchObject({ action: 'authn_login_fail', actor: 'alice' });
      expect(second).toMatchObject({ severity: 2, msgId: 'authz_fail' });
      expect(JSON.parse(second?.msg ?? '').details.note).toBe('héllo ✓');
      await logger.shutdown(1000);
    });
  });

  describe('over TCP', () => {
    it('should deliver octet-counted RFC 5424 messages on one connection, none forged by CR/LF in a field', async () => {
      const listener = await tcpListener();
      const sink = createSyslogSink({ protocol: 'tcp', port: listener.port, diagnostics: quiet, registry: createMetricsRegistry() });
      const logger = logEvents(sink);
      await logger.flush(2000);
      await expect.poll(() => splitFrames(listener.raw()).messages.length, { timeout: 3000 }).toBe(2);
      const { messages, rest } = splitFrames(listener.raw());
      expect(rest.length).toBe(0);
      const parsed = messages.map((m) => parseRfc5424(m));
      expect(parsed.map((p) => p.msgId)).toEqual(['authn_login_fail', 'authz_fail']);
      const actor = Object.fromEntries(parsed[1]?.structuredData[0]?.params ?? []).actor;
      expect(actor).not.toMatch(/[\r\n]/);
      expect(actor).toContain('\\r\\n');
      expect(listener.connections()).toBe(1);
      await logger.shutdown(1000);
    });

    it('should deliver newline-framed messages with framing "lf", one per line', async () => {
      const listener = await tcpListener();
      const sink = createSyslogSink({ protocol: 'tcp', framing: 'lf', port: listener.port, diagnostics: quiet, registry: createMetricsRegistry() });
      const logger = logEvents(sink);
      await logger.flush(2000);
      await expect.poll(() => listener.raw().toString('utf8').split('\n').filter(Boolean).length, { timeout: 3000 }).toBe(2);
      for (const line of listener.raw().toString('utf8').split('\n').filter(Boolean)) expect(() => parseRfc5424(line)).not.toThrow();
      await logger.shutdown(1000);
    });

    it('should retry through the queue when the receiver is down, then deliver', async () => {
      const listener = await tcpListener();
      const port = listener.port;
      await closers.pop()?.();
      const sink = createSyslogSink({ protocol: 'tcp', port, diagnostics: quiet, registry: createMetricsRegistry(), retry: { initialBackoffMs: 50, maxBackoffMs: 100, jitter: false }, connectTimeoutMs: 500 });
      const logger = createSecurityLogger({ sinks: [sink], diagnostics: quiet, registry: createMetricsRegistry() });
      logger.logSecurityEvent({ type: 'authentication', outcome: 'success', actor: 'carol' });
      await sink.flush(300);
      expect(sink.queue.stats.failedSends).toBeGreaterThan(0);
      const chunks: Buffer[] = [];
      const sockets: import('node:net').Socket[] = [];
      const server = createServer((s) => {
        sockets.push(s);
        s.on('data', (d) => chunks.push(d));
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      closers.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            for (const s of sockets) s.destroy();
          }),
      );
      await sink.flush(3000);
      await expect.poll(() => splitFrames(Buffer.concat(chunks)).messages.length, { timeout: 3000 }).toBe(1);
      expect(parseRfc5424(splitFrames(Buffer.concat(chunks)).messages[0] as Buffer).msgId).toBe('authn_login_success');
      await logger.shutdown(1000);
    });
  });

  describe('formatSyslogMessage', () => {
    it('should stay within maxBytes and valid when MSG must be cut', () => {
      const event = { id: 'x', time: 0, type: 'api_access', action: 'api_access', outcome: 'success' as const, risk: 'low' as const, details: { big: 'é'.repeat(5000) } };
      const bytes = formatSyslogMessage(event, { facility: 13, hostname: 'h', appName: 'a', procId: '1', sdId: 'x@1', bom: true, maxBytes: 600 }) as Uint8Array;
      expect(bytes.length).toBeLessThanOrEqual(600);
      const parsed = parseRfc5424(bytes);
      expect(parsed.bom).toBe(true);
      expect(parsed.facility).toBe(13);
    });
  });
});
