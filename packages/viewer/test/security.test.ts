import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@lookout/core';
import { startViewer, type Viewer } from '@lookout/viewer';
import { rawRequest } from './helpers/sse.js';

let viewer: Viewer;
beforeAll(async () => {
  viewer = startViewer({ port: 0, registry: createMetricsRegistry(), allowedOrigins: ['https://app.example.test'] });
  expect(await viewer.ready).toBe(true);
});
afterAll(() => viewer.close());

const host = (): string => `127.0.0.1:${viewer.port}`;
const beacon = JSON.stringify({ records: [{ type: 'event', name: 'from-page' }] });

describe('viewer request guard', () => {
  describe('token', () => {
    it('should refuse the stream, the snapshot and ingest without the token', async () => {
      for (const path of ['/stream', '/api/snapshot']) expect((await rawRequest(viewer.port, path)).status, path).toBe(401);
      expect((await rawRequest(viewer.port, '/ingest', { method: 'POST', body: beacon })).status).toBe(401);
      expect((await rawRequest(viewer.port, '/v1/logs', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    });

    it('should refuse a wrong token of the same length', async () => {
      const wrong = viewer.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
      expect((await rawRequest(viewer.port, `/stream?token=${wrong}`)).status).toBe(401);
      expect((await rawRequest(viewer.port, '/api/snapshot', { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    });

    it('should serve the page only with the token, and never its data without it', async () => {
      const without = await rawRequest(viewer.port, '/');
      expect(without.status).toBe(401);
      expect(without.body).not.toContain('/assets/viewer.js');
      const page = await rawRequest(viewer.port, `/?token=${viewer.token}`);
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
    });

    it('should accept the token as a query, a bearer token, x-lookout-token or a Sentry key', async () => {
      expect((await rawRequest(viewer.port, `/api/snapshot?token=${viewer.token}`)).status).toBe(200);
      expect((await rawRequest(viewer.port, '/api/snapshot', { headers: { authorization: `Bearer ${viewer.token}` } })).status).toBe(200);
      expect((await rawRequest(viewer.port, '/api/snapshot', { headers: { 'x-lookout-token': viewer.token } })).status).toBe(200);
      expect((await rawRequest(viewer.port, `/api/1/envelope/?sentry_key=${viewer.token}`, { method: 'POST', body: '{}\n' })).status).toBe(200);
    });
  });

  describe('Host', () => {
    it('should refuse a foreign Host even with the token (DNS rebinding)', async () => {
      for (const h of ['evil.example', `evil.example:${viewer.port}`, `127.0.0.1:${viewer.port + 1}`, '']) {
        const res = await rawRequest(viewer.port, `/stream?token=${viewer.token}`, { headers: { host: h } });
        expect(res.status, h).toBe(403);
      }
      const assets = await rawRequest(viewer.port, '/assets/viewer.js', { headers: { host: 'evil.example' } });
      expect(assets.status).toBe(403);
    });

    it('should answer to the loopback names with its port', async () => {
      for (const h of [`127.0.0.1:${viewer.port}`, `localhost:${viewer.port}`, `[::1]:${viewer.port}`]) {
        expect((await rawRequest(viewer.port, `/api/snapshot?token=${viewer.token}`, { headers: { host: h } })).status, h).toBe(200);
      }
    });
  });

  describe('Origin', () => {
    it('should refuse a foreign Origin reading the stream, even another local page', async () => {
      for (const origin of ['https://evil.example', 'http://localhost:5173', 'null']) {
        const res = await rawRequest(viewer.port, `/stream?token=${viewer.token}`, { headers: { host: host(), origin } });
        expect(res.status, origin).toBe(403);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
      const cross = await rawRequest(viewer.port, `/api/snapshot?token=${viewer.token}`, { headers: { 'sec-fetch-site': 'cross-site' } });
      expect(cross.status).toBe(403);
    });

    it('should let its own page read', async () => {
      const res = await rawRequest(viewer.port, `/stream?token=${viewer.token}`, { headers: { host: host(), origin: `http://${host()}` } });
      expect(res.status).toBe(200);
    });

    it('should refuse beacons from a foreign Origin and accept them from local pages and allowed origins', async () => {
      const post = (origin: string) =>
        rawRequest(viewer.port, `/ingest?token=${viewer.token}`, { method: 'POST', body: beacon, headers: { host: host(), origin, 'content-type': 'text/plain;charset=UTF-8' } });
      const evil = await post('https://evil.example');
      expect(evil.status).toBe(403);
      const local = await post('http://localhost:5173');
      expect(local.status).toBe(200);
      expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect((await post('https://app.example.test')).status).toBe(200);
      const preflight = await rawRequest(viewer.port, `/v1/logs?token=${viewer.token}`, { method: 'OPTIONS', headers: { host: host(), origin: 'https://evil.example' } });
      expect(preflight.status).toBe(403);
    });

    it('should count every refusal', async () => {
      const before = viewer.stats().refused;
      await rawRequest(viewer.port, '/stream');
      await rawRequest(viewer.port, `/stream?token=${viewer.token}`, { headers: { host: 'evil.example' } });
      expect(viewer.stats().refused).toBe(before + 2);
    });
  });
});
