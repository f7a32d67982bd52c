import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, snapshotRegistry } from '@lookout/core';
import { startViewer } from '@lookout/viewer';
import { captureDiagnostics } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start } = useViewers();

async function exportedDrops(registry: ReturnType<typeof createMetricsRegistry>): Promise<Record<string, number>> {
  await registry.prepareCollection();
  const metric = snapshotRegistry(registry).find((m) => m.name === 'lookout.viewer.records.dropped');
  return Object.fromEntries((metric?.series ?? []).map((s) => [String(s.attributes.reason), s.value ?? 0]));
}

describe('startViewer', () => {
  describe('lookout.viewer.records.dropped', () => {
    it('should report the listening viewer, not one on the same registry that could not listen', async () => {
      const registry = createMetricsRegistry();
      const a = await start({ registry });
      const b = startViewer({ port: a.port, registry, diagnostics: captureDiagnostics().diagnostics });
      expect(await b.ready).toBe(false);
      for (let i = 0; i < 3; i++) a.publish({ type: 'log', message: 'x', time: -1 });
      expect(a.stats().invalid).toBe(3);
      expect(await exportedDrops(registry)).toMatchObject({ invalid: 3 });
      await b.close();
      expect(await exportedDrops(registry)).toMatchObject({ invalid: 3 });
    });

    it('should count every listening viewer on one registry, and keep what a closed one counted', async () => {
      const registry = createMetricsRegistry();
      const a = await start({ registry });
      const b = await start({ registry });
      for (let i = 0; i < 3; i++) a.publish({ type: 'log', message: 'x', time: -1 });
      for (let i = 0; i < 2; i++) b.publish({ type: 'log', message: 'x', time: -1 });
      expect(await exportedDrops(registry)).toMatchObject({ invalid: 5, sampled: 0 });
      await a.close();
      b.publish({ type: 'log', message: 'x', time: -1 });
      expect(await exportedDrops(registry)).toMatchObject({ invalid: 6 });
      await b.close();
      expect(await exportedDrops(registry)).toMatchObject({ invalid: 6 });
    });
  });
});
