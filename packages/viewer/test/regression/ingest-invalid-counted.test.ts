import { describe, expect, it } from 'vitest';
import { captureDiagnostics, rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

const envelopeOf = (...events: string[]): string => [JSON.stringify({ event_id: 'c'.repeat(32) }), ...events.flatMap((e) => [JSON.stringify({ type: 'event' }), e])].join('\n');

describe('viewer ingest', () => {
  describe('Sentry envelopes', () => {
    it('should show events with non-string fields as text, and count events it cannot read as invalid', async () => {
      const { diagnostics, messages } = captureDiagnostics();
      const viewer = await start({ diagnostics });
      const client = await stream(viewer, '&signals=error');
      const body = envelopeOf(
        JSON.stringify({ exception: { values: [{ type: 42, value: { code: 7 } }] }, timestamp: '2024-05-01T10:00:00Z', release: '' }),
        'null',
        '{not json',
        JSON.stringify({ message: { formatted: 'plain message' } }),
      );
      const res = await rawRequest(viewer.port, `/api/1/envelope/?sentry_key=${viewer.token}`, { method: 'POST', body });
      expect(res.status).toBe(200);
      const records = await client.waitFor(() => (client.records().length >= 2 ? client.records() : undefined));
      expect(records[0]).toMatchObject({ type: 'error', name: '42', message: '{"code":7}', source: 'sentry', time: Date.parse('2024-05-01T10:00:00Z') });
      expect(records[1]).toMatchObject({ name: 'Message', message: 'plain message' });
      expect(viewer.stats()).toMatchObject({ received: 2, invalid: 2 });
      expect(messages.some((m) => m.includes('viewer.sentry'))).toBe(true);
    });
  });
});
