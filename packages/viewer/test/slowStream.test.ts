import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMetricsRegistry } from '@lookout/core';
import { startViewer, type Viewer } from '@lookout/viewer';
import { openSse, type SseClient } from './helpers/sse.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BUFFER_BYTES = 256 * 1024;
const RECORD_PAD = 'x'.repeat(2000);

let viewer: Viewer | undefined;
let stuck: Socket | undefined;
let healthy: SseClient | undefined;
afterAll(async () => {
  stuck?.destroy();
  healthy?.close();
  await viewer?.close();
});

/** Opens a stream over a raw socket that reads the response headers, then never reads again. */
function openStuckStream(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET /stream?token=${token}&signals=event HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    // A small receive buffer makes the kernel push back sooner; the server must do the rest.
    socket.setNoDelay(true);
    socket.once('data', () => {
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

describe('a page that stops reading', () => {
  it('should keep the server memory bounded and count what it drops', async () => {
    viewer = startViewer({ port: 0, registry: createMetricsRegistry(), streamBufferBytes: BUFFER_BYTES, maxRecordsPerSecond: 10_000_000, historySize: 100, flushIntervalMs: 10 });
    expect(await viewer.ready).toBe(true);
    stuck = await openStuckStream(viewer.port, viewer.token);
    healthy = await openSse(`${viewer.origin}/stream?token=${viewer.token}&signals=event`, {}, false);
    const baseline = heapMb();

    // 60,000 records of about 2 KB: about 120 MB offered to a page that reads nothing.
    const dropsSeen: number[] = [];
    let offered = 0;
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 1000; i++) viewer.publish({ type: 'event', name: 'bulk', properties: { i: round * 1000 + i, pad: RECORD_PAD } });
      offered += 1000 * (RECORD_PAD.length + 100);
      await new Promise((r) => setTimeout(r, 15));
      const s = viewer.stats().streams.find((x) => x.filter === 'signals=event' && x.id === 1)!;
      expect(s.bufferedBytes).toBeLessThanOrEqual(BUFFER_BYTES);
      dropsSeen.push(s.dropped);
    }
    const grown = heapMb() - baseline;
    const stuckStats = viewer.stats().streams.find((x) => x.id === 1)!;

    // The drop counter rises as the page falls further behind, and almost everything was dropped.
    expect(dropsSeen.at(-1)!).toBeGreaterThan(dropsSeen[10]!);
    expect(stuckStats.dropped).toBeGreaterThan(50_000);
    // The stuck socket took at most what the kernel buffers hold; the server held the rest back.
    expect(stuckStats.sentBytes).toBeLessThan(offered / 4);
    // Memory: 120 MB offered; the heap grows by far less (buffers, history, the healthy page's copies in flight).
    expect(grown).toBeLessThan(16);
    // A page that reads still gets everything after the flood, and what it missed during it is counted.
    viewer.publish({ type: 'event', name: 'after-flood' });
    const healthyStats = () => viewer!.stats().streams.find((x) => x.id === 2)!;
    await healthy.waitFor(() => healthy!.recordCount() + healthyStats().dropped === 60_001 || undefined, 10_000);
    expect(healthyStats().dropped).toBeLessThan(stuckStats.dropped);
    console.log(`slow stream: offered ${(offered / 1e6).toFixed(0)} MB, heap grew ${grown.toFixed(1)} MB, dropped ${stuckStats.dropped}, sent to the stuck socket ${(stuckStats.sentBytes / 1e6).toFixed(1)} MB`);
  }, 60_000);
});
