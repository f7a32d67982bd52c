import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus, resetDefaultRegistryForTests } from '@lookout/core';
import { makeSentryTransport } from '@lookout/errors/sentry-node';
import type { SpooledEnvelope } from '@lookout/errors/sentry-node';
import { startSentryReceiver } from '../helpers/sentryReceiver.js';
import type { SentryReceiver } from '../helpers/sentryReceiver.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(() => receiver.stop());

const quiet = createDiagnostics({ level: 'none' });

function envelope(id: string, type = 'event') {
  return [{ event_id: id }, [[{ type }, { event_id: id, message: `event ${id}` }]]] as const;
}

function transport(extra: Parameters<typeof makeSentryTransport>[0] = {}, dropped: string[] = []) {
  const url = `http://127.0.0.1:${receiver.port}/api/1/envelope/?sentry_key=k&sentry_version=7`;
  return makeSentryTransport({ diagnostics: quiet, registry: createMetricsRegistry(), retry: { initialBackoffMs: 10, maxBackoffMs: 50 }, ...extra })({
    url,
    recordDroppedEvent: (reason, category) => void dropped.push(`${reason}:${category}`),
  });
}

describe('makeSentryTransport', () => {
  describe('send', () => {
    it('should honour X-Sentry-Rate-Limits on a 429: the envelope waits, then arrives', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      receiver.fault = (i) => (i === 0 ? { status: 429, rateLimits: '1:error:organization' } : 'ok');
      const t = transport();
      await t.send(envelope('a'.repeat(32)));
      expect(await t.flush(5000)).toBe(true);
      expect(receiver.requests).toHaveLength(2);
      const [first, second] = receiver.requests;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(receiver.events()).toHaveLength(1);
      receiver.fault = () => 'ok';
    });

    it('should hold envelopes of a category limited by a 200 answer, and send other categories', async () => {
      receiver.envelopes.length = 0;
      receiver.requests.length = 0;
      receiver.fault = (i) => (i === 0 ? { status: 200, rateLimits: '1:error:project' } : 'ok');
      const t = transport();
      await t.send(envelope('b'.repeat(32)));
      await t.flush(2000);
      const start = Date.now();
      await t.send(envelope('c'.repeat(32)));
      expect(await t.flush(5000)).toBe(true);
      expect(Date.now() - start).toBeGreaterThanOrEqual(800);
      expect(t.stats.rateLimitedWaits).toBeGreaterThan(0);
      expect(receiver.events().map((e) => e['event_id'])).toEqual(['b'.repeat(32), 'c'.repeat(32)]);
      receiver.fault = () => 'ok';
    });

    it('should count a refused envelope and report it to Sentry as a client report', async () => {
      receiver.fault = () => ({ status: 400 });
      const dropped: string[] = [];
      const registry = createMetricsRegistry();
      const t = transport({ registry, signal: 'errors_test' }, dropped);
      await t.send(envelope('d'.repeat(32)));
      await t.flush(2000);
      expect(t.stats.dropped.rejected).toBe(1);
      expect(dropped).toEqual(['send_error:error']);
      expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_dropped_total{signal="errors_test",reason="rejected"} 1');
      receiver.fault = () => 'ok';
    });

    it('should deliver without a registry and export no delivery metrics, not even to the default registry', async () => {
      const defaults = resetDefaultRegistryForTests();
      defaults.enable();
      try {
        const t = transport({ registry: undefined, signal: 'errors_noreg' });
        await t.send(envelope('e'.repeat(32)));
        await t.flush(2000);
        expect(t.stats.sent).toBe(1);
        expect(await renderPrometheus(defaults)).not.toContain('errors_noreg');
      } finally {
        resetDefaultRegistryForTests();
      }
    });
  });

  describe('spool', () => {
    it('should hand what is left to the spool at shutdown and send spooled envelopes at the next start', async () => {
      receiver.envelopes.length = 0;
      receiver.fault = () => 'hang';
      const saved: SpooledEnvelope[] = [];
      const first = transport({ sendTimeoutMs: 200, spool: { save: (e) => void saved.push(...e) } });
      for (let i = 0; i < 5; i++) await first.send(envelope(String(i).repeat(32)));
      expect(await first.shutdown(300)).toBe(false);
      // The one in flight at shutdown is aborted; the four waiting behind it are spooled.
      expect(saved).toHaveLength(4);
      expect(first.stats.spooled).toBe(4);
      receiver.fault = () => 'ok';
      const second = transport({ spool: { save: () => {}, load: () => saved } });
      expect(await second.flush(3000)).toBe(true);
      expect(receiver.events().map((e) => e['event_id'])).toEqual(['1', '2', '3', '4'].map((d) => d.repeat(32)));
    });

    it('should spool synchronously on exit', async () => {
      receiver.fault = () => 'hang';
      const saved: SpooledEnvelope[] = [];
      const t = transport({ sendTimeoutMs: 5000, spool: { save: (e) => void saved.push(...e) } });
      for (let i = 0; i < 3; i++) await t.send(envelope(String(i + 5).repeat(32)));
      expect(t.spoolNow()).toBe(2);
      expect(saved.map((s) => s.categories)).toEqual([['error'], ['error']]);
      expect(typeof saved[0]?.body).toBe('string');
      receiver.fault = () => 'ok';
      await t.shutdown(100);
    });
  });
});
