// Consent is absolute for Sentry too: records held while `@sentry/browser` loads, and records
// captured in the same task as `optOut()`, never reach Sentry. Real `@sentry/browser` posting to a
// DSN on loopback (a local HTTP receiver), as in production.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureException, initMonitoring, optOut, resetMonitoringForTests, shutdown } from '@lookout/browser';
import { startHttpReceiver } from '../../../../testing/backends.js';
import type { HttpReceiverHandle } from '../../../../testing/backends.js';
import { recordingDiagnostics } from '../helpers/memory.js';

let receiver: HttpReceiverHandle;

beforeAll(async () => {
  receiver = await startHttpReceiver();
});

afterAll(async () => {
  await receiver?.stop();
});

afterEach(async () => {
  await shutdown(1000);
  resetMonitoringForTests();
  vi.unstubAllGlobals();
  receiver.clear();
});

function options() {
  return {
    serviceName: 'shop',
    endpoint: `${receiver.url}/v1/logs`,
    diagnostics: recordingDiagnostics().diagnostics,
    webVitals: false,
    sentry: { dsn: `http://public@127.0.0.1:${new URL(receiver.url).port}/42` },
  } as const;
}

/** Resolves once `ready()` holds (polled every 10 ms, for at most 5 s). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready() && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  expect(ready()).toBe(true);
}

const sentryRequests = () => receiver.requests.filter((r) => r.url.includes('/api/42/'));

describe('initMonitoring', () => {
  describe('optOut', () => {
    it('should not forward to Sentry an error captured before init when optOut() was queued after it', async () => {
      captureException(new Error('secret checkout failure'));
      optOut();
      const monitoring = initMonitoring(options());
      expect(monitoring.consent).toBe('denied');
      await monitoring.flush(3000);
      await monitoring.shutdown(3000);
      expect(sentryRequests()).toEqual([]);
      expect(monitoring.telemetry.stats.dropped.consent).toBe(1);
    });

    it('should not forward to Sentry an error captured in the same task as optOut() while the adapter loads', async () => {
      const monitoring = initMonitoring(options());
      monitoring.captureException(new Error('rejected all cookies right after this'));
      monitoring.optOut();
      await monitoring.flush(3000);
      await monitoring.shutdown(3000);
      expect(sentryRequests()).toEqual([]);
    });

    it('should not forward to Sentry an error captured in the same task as optOut() once the adapter is loaded', async () => {
      const monitoring = initMonitoring(options());
      // Loaded: a first error reaches Sentry.
      monitoring.captureException(new Error('before opt-out'));
      await receiver.waitFor(() => sentryRequests().length === 1, 5000);
      monitoring.captureException(new Error('rejected all cookies right after this'));
      monitoring.optOut();
      await monitoring.flush(3000);
      await monitoring.shutdown(3000);
      expect(sentryRequests().map((r) => r.text().includes('before opt-out'))).toEqual([true]);
    });

    it('should forward nothing from before optOut() when optIn() follows before the adapter has loaded', async () => {
      const monitoring = initMonitoring(options());
      monitoring.captureException(new Error('captured before opting out'));
      monitoring.optOut();
      monitoring.optIn();
      monitoring.captureException(new Error('captured after opting in'));
      await receiver.waitFor(() => sentryRequests().length === 1, 5000);
      await monitoring.flush(3000);
      expect(sentryRequests().map((r) => r.text().includes('captured after opting in'))).toEqual([true]);
      // Not even as a breadcrumb of the later record.
      expect(sentryRequests().some((r) => r.text().includes('before opting out'))).toBe(false);
    });

    it('should forward no breadcrumb from while consent was pending after optIn(), even when the clock stepped back', async () => {
      const monitoring = initMonitoring({ ...options(), consent: 'pending' });
      monitoring.setRoute('/account/delete');
      monitoring.captureException(new Error('while pending'));
      // The page's clock is set back a minute (NTP, the user): timestamps cannot tell before from after.
      const now = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => now() - 60_000);
      try {
        monitoring.optIn();
        monitoring.captureException(new Error('after consent'));
        await receiver.waitFor(() => sentryRequests().length === 1, 5000);
        await monitoring.flush(3000);
      } finally {
        vi.restoreAllMocks();
      }
      expect(sentryRequests()).toHaveLength(1);
      const sent = sentryRequests()[0]!.text();
      expect(sent).toContain('after consent');
      expect(sent).not.toContain('/account/delete');
      expect(sent).not.toContain('while pending');
    });

    it('should not count errors captured while consent was denied in the group_count of an error sent after optIn()', async () => {
      const monitoring = initMonitoring({ ...options(), consent: 'denied' });
      for (let i = 0; i < 3; i++) monitoring.captureException(new Error('same failure'));
      monitoring.optIn();
      monitoring.captureException(new Error('same failure'));
      await monitoring.flush(3000);
      const logs = receiver.requests.filter((r) => r.url.includes('/v1/logs')).map((r) => r.text());
      const counts = logs.flatMap((text) => [...text.matchAll(/"key":"group_count","value":\{"intValue":"?(\d+)/g)].map((m) => Number(m[1])));
      expect(counts).toEqual([1]);
    });

    it('should drop what Lookout\'s Sentry transport holds for a retry at optOut(), and not send it', async () => {
      // Sentry answers 503 to every request made before optOut() (retried with backoff); one made after it is a leak.
      const requests: Array<{ afterOptOut: boolean; body: string }> = [];
      let optedOut = false;
      const realFetch = globalThis.fetch;
      vi.stubGlobal('fetch', async (url: string, init: { body?: string | Uint8Array }) => {
        if (!String(url).includes('/api/42/')) return realFetch(url, init as RequestInit);
        requests.push({ afterOptOut: optedOut, body: typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body) });
        return new Response('', { status: optedOut ? 200 : 503 });
      });
      const monitoring = initMonitoring(options());
      monitoring.captureException(new Error('held for a retry'));
      await until(() => requests.length >= 1);
      monitoring.optOut();
      optedOut = true;
      // Past the retries' backoff (500 ms, then 1 s, jittered).
      await new Promise((r) => setTimeout(r, 2000));
      await monitoring.flush(1000);
      expect(requests.filter((r) => r.afterOptOut)).toEqual([]);
      expect(requests.every((r) => r.body.includes('held for a retry'))).toBe(true);
    });

    it('should still forward errors held while the adapter loads when consent stays granted', async () => {
      const monitoring = initMonitoring(options());
      monitoring.captureException(new Error('kept'));
      await receiver.waitFor(() => sentryRequests().length === 1, 5000);
      expect(sentryRequests()[0]?.text()).toContain('kept');
    });
  });
});
