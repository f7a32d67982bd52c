import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

const SECRETS = ['carol@exa', 'alice@example.com', 'hunter2', 'bob@example.com', 'sk_live_abcdefghijklmnop1234', 'carol@example.com', 'dave@example.com', 'erin@example.com'];

describe('Hub', () => {
  describe('publish()', () => {
    it('should redact the group built from the message, the name and the totals, everywhere a page sees them', async () => {
      const viewer = await start();
      const client = await stream(viewer);
      viewer.publish({ type: 'error', name: 'Error', message: 'login failed for alice@example.com with password=hunter2' });
      viewer.publish({ type: 'error', name: 'AuthError', message: 'bad token for bob@example.com: Bearer sk_live_abcdefghijklmnop1234' });
      // The default group cut the message at 120 characters, which could cut a secret in half.
      viewer.publish({ type: 'error', name: 'TypeError', message: `${'x'.repeat(110)} carol@example.com` });
      viewer.publish({ type: 'event', name: 'invite sent to dave@example.com' });
      const envelope = [
        JSON.stringify({ event_id: 'a'.repeat(32) }),
        JSON.stringify({ type: 'event' }),
        JSON.stringify({ exception: { values: [{ type: 'SentryError', value: 'no account for erin@example.com' }] }, level: 'error' }),
      ].join('\n');
      expect((await rawRequest(viewer.port, `/api/1/envelope/?sentry_key=${viewer.token}`, { method: 'POST', body: envelope })).status).toBe(200);

      await client.waitFor(() => client.records().length >= 5);
      await client.waitFor(() => client.events.some((e) => e.event === 'status' && JSON.stringify(e.data).includes('invite sent')));
      const snapshot = await rawRequest(viewer.port, `/api/snapshot?token=${viewer.token}`);
      const seen = JSON.stringify(client.events) + snapshot.body;
      for (const secret of SECRETS) expect(seen, secret).not.toContain(secret);
      const groups = client.records().map((r) => r.group);
      expect(groups).toContain('Error: login failed for [REDACTED:email] with password=[REDACTED:secret]');
      expect(groups.filter((g) => g !== undefined)).toHaveLength(4);
    });
  });
});
