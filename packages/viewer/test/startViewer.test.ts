import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMetricsRegistry, LookoutConfigError } from '@lookout/core';
import { startViewer, type Viewer } from '@lookout/viewer';
import { captureDiagnostics, openSse, rawRequest, waitFor, type SseClient } from './helpers/sse.js';

const open: Viewer[] = [];
const clients: SseClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(open.splice(0).map((v) => v.close()));
});

async function start(options: Parameters<typeof startViewer>[0] = {}): Promise<Viewer> {
  const viewer = startViewer({ port: 0, registry: createMetricsRegistry(), metricsIntervalMs: 100, flushIntervalMs: 20, ...options });
  open.push(viewer);
  expect(await viewer.ready).toBe(true);
  return viewer;
}

async function stream(viewer: Viewer, query = ''): Promise<SseClient> {
  const client = await openSse(`${viewer.origin}/stream?token=${viewer.token}${query}`);
  clients.push(client);
  return client;
}

type MetricsData = { metrics: { name: string; kind: string; series: { l: Record<string, string>; v: number; r?: number; q?: number[] }[] }[]; aggregated: boolean; totalSeries: number };

describe('startViewer', () => {
  describe('startViewer()', () => {
    it('should listen on loopback with a random token in its URL', async () => {
      const a = await start();
      const b = await start();
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
      expect(a.token).not.toBe(b.token);
      expect(a.endpoints.sentryDsn).toBe(`http://${a.token}@127.0.0.1:${a.port}/1`);
    });

    it('should refuse a host that is not loopback with one diagnostic and use the default', async () => {
      const { diagnostics, messages } = captureDiagnostics();
      const viewer = await start({ host: '0.0.0.0' as never, diagnostics });
      expect(viewer.url.startsWith('http://127.0.0.1:')).toBe(true);
      expect(messages.filter((m) => m.includes('host'))).toHaveLength(1);
    });

    it('should throw LookoutConfigError with strict: true', () => {
      expect(() => startViewer({ port: -1, strict: true })).toThrow(LookoutConfigError);
    });

    it('should resolve ready false with a diagnostic when the port is taken', async () => {
      const first = await start();
      const { diagnostics, messages } = captureDiagnostics();
      const second = startViewer({ port: first.port, registry: createMetricsRegistry(), diagnostics });
      open.push(second);
      expect(await second.ready).toBe(false);
      expect(messages.some((m) => m.includes('port is in use'))).toBe(true);
    });
  });

  describe('publish()', () => {
    it('should stream each record type to an open page', async () => {
      const viewer = await start();
      const client = await stream(viewer);
      viewer.publish({ type: 'event', name: 'checkout.completed', properties: { plan: 'pro' } });
      viewer.publish({ type: 'error', name: 'TypeError', message: 'x is undefined', fingerprint: 'abc' });
      viewer.publish({ type: 'security', action: 'authn_login_fail', risk: 'high', actor: 'mallory' });
      viewer.publish({ type: 'budget', name: 'checkout.latency', state: 'exceeded', value: 1.2, limit: 0.8 });
      viewer.publish({ type: 'vital', name: 'LCP', value: 1234, rating: 'good' });
      viewer.publish({ type: 'log', message: 'hello', severity: 'WARN' });
      const records = await client.waitFor(() => (client.records().length >= 6 ? client.records() : undefined));
      expect(records.map((r) => r.type)).toEqual(['event', 'error', 'security', 'budget', 'vital', 'log']);
      expect(records[0]).toMatchObject({ name: 'checkout.completed', source: 'local', attributes: { plan: 'pro' } });
      expect(records[1]).toMatchObject({ name: 'TypeError', group: 'abc', message: 'x is undefined' });
      expect(records[2]).toMatchObject({ name: 'authn_login_fail', level: 'high', attributes: { actor: 'mallory' } });
      expect(records[3]).toMatchObject({ level: 'exceeded', value: 1.2, attributes: { limit: 0.8 } });
      expect(viewer.stats().received).toBe(6);
    });

    it('should replay recent records to a page that connects later', async () => {
      const viewer = await start();
      viewer.publish({ type: 'event', name: 'early' });
      const client = await stream(viewer);
      const records = await client.waitFor(() => (client.records().length > 0 ? client.records() : undefined));
      expect(records[0]).toMatchObject({ name: 'early' });
    });

    it('should redact secrets and emails before streaming', async () => {
      const viewer = await start();
      const client = await stream(viewer);
      viewer.publish({ type: 'event', name: 'signup', properties: { email: 'ada@example.com', password: 'hunter2', note: 'mail bob@example.org' } });
      const [record] = await client.waitFor(() => (client.records().length > 0 ? client.records() : undefined));
      const text = JSON.stringify(record);
      expect(text).not.toContain('ada@example.com');
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('bob@example.org');
    });

    it('should never throw on garbage and give one diagnostic per invalid field', async () => {
      const { diagnostics, messages } = captureDiagnostics();
      const viewer = await start({ diagnostics });
      fc.assert(
        fc.property(fc.anything(), (input) => {
          expect(() => viewer.publish(input as never)).not.toThrow();
        }),
        { numRuns: 300 },
      );
      const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
      expect(() => viewer.publish(hostile as never)).not.toThrow();
      const before = messages.length;
      viewer.publish({ type: 'event' } as never);
      viewer.publish({ type: 'event' } as never);
      expect(messages.length - before).toBeLessThanOrEqual(1);
      expect(messages.some((m) => m.includes('viewer.publish: name'))).toBe(true);
      expect(viewer.stats().invalid).toBeGreaterThan(0);
    });

    it('should accept records from the error and security sinks', async () => {
      const viewer = await start();
      const client = await stream(viewer, '&signals=error,security');
      viewer.errorSink().capture({ type: 'DatabaseError', message: 'timeout', fingerprint: 'f00d', severity: 'critical', timestamp: Date.now(), tags: { db: 'orders' } });
      viewer.securitySink().write({ type: 'authentication', action: 'authn_login_fail_max', risk: 'critical', outcome: 'failure', actor: 'x', time: Date.now() });
      const records = await client.waitFor(() => (client.records().length >= 2 ? client.records() : undefined));
      expect(records[0]).toMatchObject({ type: 'error', name: 'DatabaseError', group: 'f00d', level: 'critical', attributes: { db: 'orders' } });
      expect(records[1]).toMatchObject({ type: 'security', name: 'authn_login_fail_max', level: 'critical' });
    });
  });

  describe('filters', () => {
    it('should stream only what the query asks for', async () => {
      const viewer = await start();
      const errorsOnly = await stream(viewer, '&signals=error');
      const byName = await stream(viewer, '&name=check*done');
      const byLabel = await stream(viewer, '&label=plan%3Dpro');
      viewer.publish({ type: 'event', name: 'checkout.done', properties: { plan: 'pro' } });
      viewer.publish({ type: 'event', name: 'search', properties: { plan: 'free' } });
      viewer.publish({ type: 'error', name: 'Error', message: 'boom' });
      await waitFor(() => errorsOnly.records().length >= 1 && byName.records().length >= 1 && byLabel.records().length >= 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(errorsOnly.records().map((r) => r.type)).toEqual(['error']);
      expect(byName.records().map((r) => r.name)).toEqual(['checkout.done']);
      expect(byLabel.records().map((r) => r.name)).toEqual(['checkout.done']);
    });
  });

  describe('metrics', () => {
    it('should stream counter rates and histogram p50/p95/p99 from the registry', async () => {
      const registry = createMetricsRegistry();
      const viewer = await start({ registry });
      const orders = registry.counter('shop.orders', { labels: ['plan'] });
      const latency = registry.histogram('http.server.request.duration', { unit: 's', buckets: [0.1, 0.2, 0.5, 1] });
      const client = await stream(viewer, '&signals=metric');
      const timer = setInterval(() => {
        orders.add(5, { plan: 'pro' });
        for (let i = 0; i < 100; i++) latency.record(i < 90 ? 0.15 : 0.7);
      }, 20);
      try {
        const frame = await client.waitFor(() => {
          const last = client.events.filter((e) => e.event === 'metrics').at(-1)?.data as MetricsData | undefined;
          const h = last?.metrics.find((m) => m.name === 'http.server.request.duration')?.series[0];
          const c = last?.metrics.find((m) => m.name === 'shop.orders')?.series[0];
          return h?.q !== undefined && c?.r !== undefined && c.r > 0 ? last : undefined;
        });
        const c = frame.metrics.find((m) => m.name === 'shop.orders')!;
        expect(c.kind).toBe('counter');
        expect(c.series[0]!.l).toEqual({ plan: 'pro' });
        // 5 every 20 ms is 250/s; timers are loose, so only the order of magnitude is checked.
        expect(c.series[0]!.r).toBeGreaterThan(50);
        expect(c.series[0]!.r).toBeLessThan(1000);
        const [p50, p95, p99] = frame.metrics.find((m) => m.name === 'http.server.request.duration')!.series[0]!.q!;
        expect(p50).toBeGreaterThan(0.1);
        expect(p50).toBeLessThanOrEqual(0.2);
        expect(p95).toBeGreaterThan(0.5);
        expect(p99).toBeLessThanOrEqual(1);
      } finally {
        clearInterval(timer);
      }
    });

    it('should aggregate each metric over its labels past maxSeries, and say so', async () => {
      const registry = createMetricsRegistry({ cardinalityLimit: 20_000 });
      const viewer = await start({ registry, maxSeries: 10_000 });
      const c = registry.counter('requests', { labels: ['id'] });
      for (let i = 0; i < 12_000; i++) c.add(1, { id: String(i) });
      const client = await stream(viewer, '&signals=metric&name=requests');
      const frame = await client.waitFor(() => client.events.find((e) => e.event === 'metrics')?.data as MetricsData | undefined);
      expect(frame.aggregated).toBe(true);
      expect(frame.totalSeries).toBe(12_000);
      expect(frame.metrics[0]!.series).toHaveLength(1);
      expect(frame.metrics[0]!.series[0]!.v).toBe(12_000);
      // A narrower filter brings the single series back.
      const narrow = await stream(viewer, '&signals=metric&name=requests&label=id%3D42');
      const one = await narrow.waitFor(() => narrow.events.find((e) => e.event === 'metrics')?.data as MetricsData | undefined);
      expect(one.aggregated).toBe(false);
      expect(one.metrics[0]!.series).toEqual([expect.objectContaining({ l: { id: '42' }, v: 1 })]);
    });
  });

  describe('load', () => {
    it('should sample past maxRecordsPerSecond, count what it sampled and keep exact totals', async () => {
      const viewer = await start({ maxRecordsPerSecond: 100 });
      const client = await stream(viewer, '&signals=event,error');
      for (let i = 0; i < 1000; i++) viewer.publish({ type: 'event', name: 'flood' });
      viewer.publish({ type: 'error', name: 'Error', message: 'still shown' });
      const stats = viewer.stats();
      expect(stats.received).toBe(1001);
      // Usually 990 sampled; more when the loop straddles a second boundary.
      expect(stats.sampled).toBeGreaterThanOrEqual(1001 - 200);
      await client.waitFor(() => client.records().some((r) => r.type === 'error'));
      const status = await client.waitFor(() => {
        const s = client.events.filter((e) => e.event === 'status').at(-1)?.data as { totals: { name: string; count: number }[] } | undefined;
        return s?.totals.find((t) => t.name === 'flood')?.count === 1000 ? s : undefined;
      });
      expect(status.totals.find((t) => t.name === 'flood')!.count).toBe(1000);
      expect(client.records().filter((r) => r.name === 'flood').length).toBeLessThanOrEqual(200);
    });

    it('should refuse streams past maxStreams', async () => {
      const viewer = await start({ maxStreams: 1 });
      await stream(viewer);
      const res = await rawRequest(viewer.port, `/stream?token=${viewer.token}`);
      expect(res.status).toBe(503);
    });
  });

  describe('close()', () => {
    it('should end streams, stop listening and ignore later publishes', async () => {
      const viewer = await start();
      const client = await stream(viewer);
      await viewer.close();
      await viewer.close();
      expect(() => viewer.publish({ type: 'event', name: 'late' })).not.toThrow();
      await expect(rawRequest(viewer.port, '/')).rejects.toThrow();
      expect(client.records()).toEqual([]);
    });
  });
});
