import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@lookout/core';
import { captureDiagnostics, rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start } = useViewers();

// A beacon's refused records were counted and named only in the answer, which
// `navigator.sendBeacon` never reads: the page's developer had no way to learn why.
describe('startViewer: beacons', () => {
  it('should give the diagnostic every ingest path gives for records it refuses, once per kind of issue', async () => {
    const { diagnostics, messages } = captureDiagnostics();
    const viewer = await start({ registry: createMetricsRegistry(), diagnostics });
    const body = JSON.stringify({ records: [{ type: 'vital', name: 'INP', value: 180 }, { type: 'log', message: 'x', time: -1 }, { type: 'log', message: 'y', time: -1 }] });
    for (let i = 0; i < 2; i++) {
      const res = await rawRequest(viewer.port, `/ingest?token=${viewer.token}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      expect(JSON.parse(res.body)).toMatchObject({ accepted: 1, invalid: 2 });
    }
    expect(viewer.stats().invalid).toBe(4);
    const said = messages.filter((m) => m.includes('viewer.beacon'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/time.*2 record\(s\) dropped/);
  });
});
