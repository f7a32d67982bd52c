import { afterEach, expect } from 'vitest';
import { createMetricsRegistry } from '@lookout/core';
import { startViewer, type Viewer, type ViewerOptions } from '@lookout/viewer';
import { openSse, type SseClient } from './sse.js';

/**
 * Viewers and streams for one test file: `start()` starts a viewer on a free port (fast timers,
 * its own registry) and waits until it listens; `stream()` opens a page's stream on it. Both
 * are closed after each test.
 */
export function useViewers(defaults: ViewerOptions = {}): {
  start: (options?: ViewerOptions) => Promise<Viewer>;
  stream: (viewer: Viewer, query?: string) => Promise<SseClient>;
} {
  const viewers: Viewer[] = [];
  const clients: SseClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(viewers.splice(0).map((v) => v.close()));
  });
  return {
    async start(options = {}) {
      const viewer = startViewer({ port: 0, registry: createMetricsRegistry(), metricsIntervalMs: 100, flushIntervalMs: 20, ...defaults, ...options });
      viewers.push(viewer);
      expect(await viewer.ready).toBe(true);
      return viewer;
    },
    async stream(viewer, query = '') {
      const client = await openSse(`${viewer.origin}/stream?token=${viewer.token}${query}`);
      clients.push(client);
      return client;
    },
  };
}
