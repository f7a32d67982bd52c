import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry } from '@lookout/core';
import type { SecurityEvent } from '@lookout/security';
import { createSyslogSink } from '@lookout/security/syslog';
import type { SyslogSink } from '@lookout/security/syslog';
import { parseRfc5424, splitFrames } from '../helpers/parseRfc5424.js';

const quiet = createDiagnostics({ level: 'none' });
const SEND_TIMEOUT_MS = 200;
/** Messages written per flush: 16 of 64 KiB fill the queue's default 1 MiB. */
const WAVE = 16;
/** Enough to fill the kernel's buffers on loopback many times over. */
const MAX_MESSAGES = 4000;

interface StallingReceiver {
  port: number;
  /** Every connection's bytes, in the order the connections came. */
  streams(): Buffer[];
  resume(): void;
  connections(): number;
  stop(): Promise<void>;
}

/** A real TCP syslog receiver that reads nothing until `resume()`: a receiver stuck on a slow disk. */
async function startStallingReceiver(): Promise<StallingReceiver> {
  const sockets: Array<{ socket: Socket; chunks: Buffer[] }> = [];
  let paused = true;
  const server: Server = createServer((socket) => {
    const entry = { socket, chunks: [] as Buffer[] };
    sockets.push(entry);
    socket.on('data', (d: Buffer) => entry.chunks.push(d));
    socket.on('error', () => undefined);
    if (paused) socket.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    streams: () => sockets.map((s) => Buffer.concat(s.chunks)),
    resume: () => {
      paused = false;
      for (const s of sockets) s.socket.resume();
    },
    connections: () => sockets.length,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.socket.destroy();
      }),
  };
}

/** A 64 KiB message: MSG is cut to fit, the id stays in the structured data. */
function bigEvent(n: number): SecurityEvent {
  return { id: `m${n}`, time: Date.UTC(2025, 0, 2), type: 'api_access', action: 'api_access', outcome: 'success', risk: 'low', details: { pad: 'x'.repeat(70_000) } };
}

/** Ids of the complete messages a receiver got, over all connections (a torn last frame is not a message). */
function receivedIds(receiver: StallingReceiver): string[] {
  return receiver.streams().flatMap((stream) => splitFrames(stream).messages.map((m) => Object.fromEntries(parseRfc5424(m).structuredData[0]?.params ?? []).id as string));
}

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.();
});

// The TCP/TLS transport ignored the send timeout and its abort signal and kept a stalled socket:
// the queue timed the send out and retried, writing the same batch onto the same socket again,
// so a receiver that resumed got duplicates, and the socket buffered copies outside the queue's bounds.
describe('createSyslogSink', () => {
  describe('over TCP, to a receiver that stops reading', () => {
    async function stall(): Promise<{ receiver: StallingReceiver; sink: SyslogSink; written: number }> {
      const receiver = await startStallingReceiver();
      stops.push(() => receiver.stop());
      const sink = createSyslogSink({
        protocol: 'tcp',
        port: receiver.port,
        sendTimeoutMs: SEND_TIMEOUT_MS,
        retry: { maxAttempts: 1000, initialBackoffMs: 20, maxBackoffMs: 50, jitter: false },
        circuit: { failureThreshold: 1000 },
        diagnostics: quiet,
        registry: createMetricsRegistry(),
      });
      stops.push(() => sink.shutdown(100));
      let written = 0;
      while (sink.queue.stats.failedSends === 0 && written < MAX_MESSAGES) {
        for (let i = 0; i < WAVE; i++) sink.write(bigEvent(written++));
        await sink.flush(SEND_TIMEOUT_MS * 3);
      }
      expect(sink.queue.stats.failedSends).toBeGreaterThan(0);
      return { receiver, sink, written };
    }

    it('should deliver each message once after timeouts, retrying on a fresh connection', async () => {
      const { receiver, sink, written } = await stall();
      // Let a few more attempts time out while the receiver is stuck.
      await new Promise((resolve) => setTimeout(resolve, SEND_TIMEOUT_MS * 3));
      expect(receiver.connections()).toBeGreaterThan(1);
      receiver.resume();
      expect((await sink.flush(10_000)).complete).toBe(true);
      await expect.poll(() => new Set(receivedIds(receiver)).size, { timeout: 10_000 }).toBe(written);
      const ids = receivedIds(receiver);
      expect(ids.length).toBe(written);
      expect(sink.queue.stats.sent).toBe(written);
    }, 60_000);

    it('should answer an aborted send at once at shutdown, so its batch is counted', async () => {
      const { sink } = await stall();
      const result = await sink.shutdown(50);
      expect(result.inFlight).toBe(false);
      const { sent, dropped, enqueued } = sink.queue.stats;
      expect(sent + dropped.shutdown).toBe(enqueued);
    }, 60_000);
  });
});
