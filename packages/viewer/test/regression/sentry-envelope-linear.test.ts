import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

/** Posts `body` as a Sentry envelope and measures how long the event loop was blocked meanwhile. */
async function postTimed(port: number, token: string, body: Uint8Array): Promise<{ status: number; blockedMs: number }> {
  let blockedMs = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    blockedMs = Math.max(blockedMs, now - last);
    last = now;
  }, 5);
  try {
    const res = await rawRequest(port, `/api/1/envelope/?sentry_key=${token}`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    return { status: res.status, blockedMs: Math.max(blockedMs, performance.now() - last) };
  } finally {
    clearInterval(tick);
  }
}

describe('mapSentryEnvelope', () => {
  it('should parse a 4 MiB envelope of small items in linear time, without blocking the host', async () => {
    const viewer = await start();
    const item = '{"type":"attachment","length":1}\nx\n';
    const count = Math.floor((4 * 1024 * 1024 - 200) / item.length);
    const body = new TextEncoder().encode(`{}\n${item.repeat(count)}{"type":"event"}\n{"exception":{"values":[{"type":"AfterAttachments","value":"last item"}]}}\n`);
    expect(body.byteLength).toBeLessThan(4 * 1024 * 1024);
    const started = performance.now();
    const { status, blockedMs } = await postTimed(viewer.port, viewer.token, body);
    const tookMs = performance.now() - started;
    expect(status).toBe(200);
    // The quadratic parser took about 87 s for this body.
    expect(tookMs).toBeLessThan(2000);
    expect(blockedMs).toBeLessThan(2000);
    expect(viewer.stats().received).toBe(1);
  });

  it('should skip payloads by their length in bytes, multi-byte text included', async () => {
    const viewer = await start();
    const client = await stream(viewer, '&signals=error');
    const payload = '日本語のテキスト\n{"type":"event"}\n';
    const bytes = new TextEncoder().encode(payload).byteLength;
    const body = [
      JSON.stringify({ event_id: 'b'.repeat(32) }),
      JSON.stringify({ type: 'attachment', length: bytes }),
      payload,
      JSON.stringify({ type: 'event' }),
      JSON.stringify({ exception: { values: [{ type: 'ÜberError', value: 'naïve café' }] } }),
    ].join('\n');
    const { status } = await postTimed(viewer.port, viewer.token, new TextEncoder().encode(body));
    expect(status).toBe(200);
    const records = await client.waitFor(() => (client.records().length > 0 ? client.records() : undefined));
    expect(records).toEqual([expect.objectContaining({ type: 'error', name: 'ÜberError', message: 'naïve café' })]);
  });
});

describe('mapSentryEnvelope limits', () => {
  it('should decode at most 100 events of one envelope and count the rest as invalid', async () => {
    const viewer = await start();
    const item = '{"type":"event"}\n{"exception":{"values":[{"type":"E","value":"flood"}]}}\n';
    const count = Math.floor((4 * 1024 * 1024 - 200) / item.length);
    const { status, blockedMs } = await postTimed(viewer.port, viewer.token, new TextEncoder().encode(`{}\n${item.repeat(count)}`));
    expect(status).toBe(200);
    expect(blockedMs).toBeLessThan(2000);
    expect(viewer.stats()).toMatchObject({ received: 100, invalid: count - 100 });
  });
});
