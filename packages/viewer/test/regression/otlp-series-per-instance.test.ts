import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

type Frame = { metrics: { name: string; series: { l: Record<string, string>; v: number; r?: number }[] }[] };

function post(port: number, token: string, resource: Record<string, string>, value: number, timeMs: number) {
  const body = {
    resourceMetrics: [{
      resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })) },
      scopeMetrics: [{ metrics: [{ name: 'requests', sum: { isMonotonic: true, aggregationTemporality: 2, dataPoints: [{ asInt: String(value), attributes: [{ key: 'route', value: { stringValue: '/' } }], timeUnixNano: `${BigInt(timeMs) * 1_000_000n}` }] } }] }],
    }],
  };
  return rawRequest(port, `/v1/metrics?token=${token}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

describe('ExternalMetrics', () => {
  describe('series identity', () => {
    it('should keep one series per producing resource and label it with service.instance.id', async () => {
      const viewer = await start({ metricsIntervalMs: 50 });
      const client = await stream(viewer, '&signals=metric&name=requests');
      // Two workers of one service: cumulative totals near 100,000 and 5,000, each +10 per 400 ms (25/s).
      let a = 100_000;
      let b = 5_000;
      const t0 = Date.now() - 10_000;
      for (let i = 0; i < 5; i++) {
        a += 10;
        b += 10;
        expect((await post(viewer.port, viewer.token, { 'service.name': 'api', 'service.instance.id': 'worker-1' }, a, t0 + i * 400)).status).toBe(200);
        expect((await post(viewer.port, viewer.token, { 'service.name': 'api', 'service.instance.id': 'worker-2' }, b, t0 + i * 400 + 200)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 60));
      }
      await new Promise((r) => setTimeout(r, 150));
      const frames = client.events.filter((e) => e.event === 'metrics').map((e) => (e.data as Frame).metrics.find((m) => m.name === 'requests')).filter((m) => m !== undefined);
      const last = frames.at(-1)!;
      expect(last.series.map((s) => s.l).sort((x, y) => (x['service.instance.id']! < y['service.instance.id']! ? -1 : 1))).toEqual([
        { route: '/', 'service.instance.id': 'worker-1' },
        { route: '/', 'service.instance.id': 'worker-2' },
      ]);
      const byInstance = new Map(last.series.map((s) => [s.l['service.instance.id'], s]));
      expect(byInstance.get('worker-1')).toMatchObject({ v: a });
      expect(byInstance.get('worker-2')).toMatchObject({ v: b });
      // Every rate shown on any read is one worker's 25/s, never a "restart" of the other's total.
      for (const m of frames) for (const s of m.series) if (s.r !== undefined) expect(s.r).toBeCloseTo(25, 5);
    });

    it('should tell apart resources without service.instance.id by their other attributes', async () => {
      const viewer = await start({ metricsIntervalMs: 50 });
      const client = await stream(viewer, '&signals=metric&name=requests');
      expect((await post(viewer.port, viewer.token, { 'service.name': 'api', 'host.name': 'a' }, 7, Date.now())).status).toBe(200);
      expect((await post(viewer.port, viewer.token, { 'service.name': 'api', 'host.name': 'b' }, 9, Date.now())).status).toBe(200);
      const frame = await client.waitFor(() => {
        const m = client.events.filter((e) => e.event === 'metrics').map((e) => (e.data as Frame).metrics.find((x) => x.name === 'requests')).at(-1);
        return m !== undefined && m.series.length === 2 ? m : undefined;
      });
      expect(frame.series.map((s) => s.v).sort()).toEqual([7, 9]);
      expect(new Set(frame.series.map((s) => s.l['service.instance.id'])).size).toBe(2);
    });
  });
});
