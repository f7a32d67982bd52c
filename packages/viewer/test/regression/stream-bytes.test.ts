import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start } = useViewers();

describe('SseStream', () => {
  describe('sentBytes', () => {
    it('should count bytes, not UTF-16 code units, for multi-byte text', async () => {
      const viewer = await start();
      let received = 0;
      const req = request(`${viewer.origin}/stream?token=${viewer.token}&signals=log`, (res) => res.on('data', (chunk: Buffer) => (received += chunk.length)));
      req.on('error', () => {});
      req.end();
      try {
        await waitFor(() => viewer.stats().streams.length === 1);
        for (let i = 0; i < 200; i++) viewer.publish({ type: 'log', message: `ログの記録 ${i}: ${'日本語のテキスト'.repeat(40)}` });
        await waitFor(() => received > 200 * 900);
        // Status and metrics messages keep coming: compare when the page has caught up.
        // The old count was about a third of what the page received.
        const sent = () => viewer.stats().streams[0]!.sentBytes;
        await waitFor(() => sent() === received, 3000).catch(() => expect(sent()).toBe(received));
      } finally {
        req.destroy();
      }
    });
  });
});
