import { describe, expect, it } from 'vitest';
import { rawRequest, type SseClient } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

type Frame = { aggregated: boolean; totalSeries: number; metrics: { name: string; unit: string; description: string; series: { l: Record<string, string>; v: number }[] }[] };
const frames = (client: SseClient): Frame[] => client.events.filter((e) => e.event === 'metrics').map((e) => e.data as Frame);

function gauge(name: string, attributes: Record<string, string>, extra: { unit?: string; description?: string } = {}): string {
  return JSON.stringify({
    resourceMetrics: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] },
      scopeMetrics: [{ metrics: [{ name, ...extra, gauge: { dataPoints: [{ asDouble: 1, attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: { stringValue: v } })) }] } }] }],
    }],
  });
}

const postMetrics = (port: number, token: string, body: string) => rawRequest(port, `/v1/metrics?token=${token}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('ExternalMetrics', () => {
  describe('memory', () => {
    it('should clip posted names, units, descriptions and label keys', async () => {
      const viewer = await start({ metricsIntervalMs: 50 });
      const client = await stream(viewer, '&signals=metric&source=big');
      const mib = 'x'.repeat(1024 * 1024);
      const res = await postMetrics(viewer.port, viewer.token, gauge(`m.${mib}`, { [`k${'y'.repeat(512 * 1024)}`]: 'v' }, { unit: `u${mib}`, description: `d${mib}` }));
      expect(res.status).toBe(200);
      const frame = await client.waitFor(() => frames(client).find((f) => f.metrics.length > 0));
      const m = frame.metrics[0]!;
      expect(m.name.length).toBeLessThanOrEqual(255);
      expect(m.unit.length).toBeLessThanOrEqual(63);
      expect(m.description.length).toBeLessThanOrEqual(1023);
      expect(Object.keys(m.series[0]!.l).every((k) => k.length <= 128)).toBe(true);
      expect(JSON.stringify(frame).length).toBeLessThan(16 * 1024);
    });

    it('should stop taking new series past maxExternalBytes and count their points', async () => {
      const viewer = await start({ metricsIntervalMs: 50, maxExternalBytes: 1024 * 1024 });
      const labels = (i: number): Record<string, string> => Object.fromEntries(Array.from({ length: 16 }, (_, k) => [`key.${k}.${'k'.repeat(120)}`, `${i}.${'v'.repeat(250)}`]));
      // Each series holds about 16 x 380 characters of labels, twice (labels and key): ~25 KB.
      for (let i = 0; i < 100; i++) expect((await postMetrics(viewer.port, viewer.token, gauge('wide', labels(i)))).status).toBe(200);
      const client = await stream(viewer, '&signals=metric&source=big');
      const frame = await client.waitFor(() => frames(client).find((f) => f.metrics.length > 0));
      expect(frame.totalSeries).toBeGreaterThan(20);
      expect(frame.totalSeries).toBeLessThan(60);
      const status = await client.waitFor(() => client.events.find((e) => e.event === 'status' && (e.data as { externalDropped: number }).externalDropped > 0)?.data as { externalDropped: number } | undefined);
      expect(status.externalDropped).toBe(100 - frame.totalSeries);
    });
  });

  describe('metrics frames', () => {
    it('should aggregate a frame larger than half the stream buffer instead of queueing it whole', async () => {
      const viewer = await start({ metricsIntervalMs: 50, streamBufferBytes: 64 * 1024 });
      for (let i = 0; i < 400; i++) expect((await postMetrics(viewer.port, viewer.token, gauge('per.user', { user: `user-${i}-${'u'.repeat(200)}` }))).status).toBe(200);
      const client = await stream(viewer, '&signals=metric&source=big');
      const frame = await client.waitFor(() => frames(client).find((f) => f.metrics.length > 0));
      expect(frame.totalSeries).toBe(400);
      expect(frame.aggregated).toBe(true);
      expect(frame.metrics[0]!.series).toHaveLength(1);
      for (const s of viewer.stats().streams) expect(s.bufferedBytes).toBeLessThanOrEqual(64 * 1024);
    });

    it('should drop and count a frame that is larger than the stream buffer even aggregated', async () => {
      const viewer = await start({ metricsIntervalMs: 50, streamBufferBytes: 64 * 1024 });
      // 400 metrics of one series each: aggregating over labels cannot make this frame smaller.
      for (let i = 0; i < 400; i++) expect((await postMetrics(viewer.port, viewer.token, gauge(`metric.${i}.${'n'.repeat(200)}`, {}))).status).toBe(200);
      const client = await stream(viewer, '&signals=metric&source=big');
      await client.waitFor(() => (viewer.stats().streams[0]?.dropped ?? 0) >= 2);
      expect(frames(client).every((f) => f.metrics.length === 0)).toBe(true);
      expect(viewer.stats().streams[0]!.sentBytes).toBeLessThan(64 * 1024);
    });
  });
});
