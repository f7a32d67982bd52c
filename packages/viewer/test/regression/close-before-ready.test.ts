import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@lookout/core';
import { startViewer } from '@lookout/viewer';
import { rawRequest } from '../helpers/sse.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.on('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('startViewer', () => {
  describe('close()', () => {
    it('should stop a viewer that is not listening yet: ready resolves false and the port stays free', async () => {
      const port = await freePort();
      const viewer = startViewer({ port, registry: createMetricsRegistry() });
      await viewer.close();
      expect(await viewer.ready).toBe(false);
      await expect(rawRequest(port, `/?token=${viewer.token}`)).rejects.toThrow();
      expect(await canListen(port)).toBe(true);
    });

  });
});
