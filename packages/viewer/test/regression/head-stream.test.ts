import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

const within = <T>(ms: number, p: Promise<T>): Promise<T | 'timeout'> => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('startViewer', () => {
  describe('HEAD /stream', () => {
    it('should answer at once with the stream headers and hold no stream slot', async () => {
      const viewer = await start({ maxStreams: 2 });
      for (let i = 0; i < 2; i++) {
        const res = await within(2000, rawRequest(viewer.port, `/stream?token=${viewer.token}`, { method: 'HEAD' }));
        expect(res).not.toBe('timeout');
        expect(res).toMatchObject({ status: 200, body: '' });
        expect((res as { headers: Record<string, unknown> }).headers['content-type']).toContain('text/event-stream');
      }
      expect(viewer.stats().streams).toEqual([]);
      const page = await stream(viewer);
      expect(page.status).toBe(200);
    });
  });
});
