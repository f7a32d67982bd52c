import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createSiemSink } from '@lookout/security';
import type { SecurityEvent } from '@lookout/security';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

// SiemSink.write(null) threw out of a public API: toOcsf read a field of null outside any
// try/catch (with format "lookout", null was even queued and sent).
describe('createSiemSink', () => {
  describe('write', () => {
    it.each(['ocsf', 'lookout'] as const)('should drop what is not an event, counted, with one warning (format %s)', async (format) => {
      const registry = createMetricsRegistry();
      const { diagnostics, messages } = recordingDiagnostics();
      const sink = createSiemSink({ url: 'http://127.0.0.1:9/ingest', format, registry, diagnostics });
      const unreadable = Object.defineProperty({}, 'action', {
        get() {
          throw new Error('unreadable');
        },
      });
      for (const garbage of [null, undefined, 42, 'event', format === 'ocsf' ? unreadable : null]) {
        expect(() => sink.write(garbage as unknown as SecurityEvent)).not.toThrow();
      }
      expect(sink.queue.stats).toMatchObject({ enqueued: 0, dropped: { invalid: 5 } });
      expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_dropped_total{signal="security",reason="invalid"} 5');
      expect(messages.filter((m) => m.includes('not a security event'))).toHaveLength(1);
      await sink.shutdown(100);
    });
  });
});
