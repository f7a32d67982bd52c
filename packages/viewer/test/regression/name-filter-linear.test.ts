import { describe, expect, it } from 'vitest';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

describe('parseFilter', () => {
  describe('name', () => {
    it('should match a glob with many * in linear time, so publish() never stalls the host', async () => {
      const viewer = await start();
      const client = await stream(viewer, `&name=${encodeURIComponent('a*a*a*a*a*b')}`);
      await client.waitFor(() => client.events.some((e) => e.event === 'hello'));
      const started = performance.now();
      // The backtracking RegExp /a.*a.*a.*a.*a.*b/i took 2 s for 100 characters and 170 s for 200.
      viewer.publish({ type: 'event', name: 'a'.repeat(200) });
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('should still match the parts in order, case-insensitively, anywhere in the name', async () => {
      const viewer = await start();
      const client = await stream(viewer, `&name=${encodeURIComponent('HTTP.*dur*')}`);
      for (const name of ['http.server.duration', 'my.http.client.request.duration', 'duration.http.x', 'http.requests', 'Http.Dur']) viewer.publish({ type: 'event', name });
      await client.waitFor(() => client.records().length >= 3);
      await new Promise((r) => setTimeout(r, 100));
      expect(client.records().map((r) => r.name)).toEqual(['http.server.duration', 'my.http.client.request.duration', 'Http.Dur']);
    });
  });
});
