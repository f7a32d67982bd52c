import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createSecurityLogger, MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS } from '@lookout/security';
import type { SecurityEvent } from '@lookout/security';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { createSyslogSink, formatSyslogMessage } from '@lookout/security/syslog';
import type { SyslogFormatOptions } from '@lookout/security/syslog';
import { tempDirEachTest } from '../helpers/auditFiles.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';
import { parseRfc5424 } from '../helpers/parseRfc5424.js';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const FORMAT: SyslogFormatOptions = { facility: 10, hostname: 'h', appName: 'a', procId: '1', sdId: 'x@1', bom: false, maxBytes: 2048 };
const event = (extra: Partial<SecurityEvent>): SecurityEvent => ({ id: 'e1', time: NOW, type: 'api_access', action: 'api_access', outcome: 'success', risk: 'low', ...extra });

// Any finite `time` was accepted: microseconds gave an RFC 5424 timestamp "+058901-…",
// nanoseconds made toISOString throw, and a BigInt in details made JSON.stringify throw. The
// syslog sink reported the throw as an internal error and counted nothing.
describe('security events', () => {
  describe('time', () => {
    it.each([
      ['microseconds', NOW * 1000],
      ['nanoseconds', NOW * 1e6],
      ['before year 1', MIN_EVENT_TIME_MS - 1],
      ['after year 9999', MAX_EVENT_TIME_MS + 1],
    ])('should replace a time in %s with now, with one diagnostic', (_what, time) => {
      const { diagnostics, messages } = recordingDiagnostics();
      const logger = createSecurityLogger({ diagnostics, registry: createMetricsRegistry(), now: () => NOW });
      expect(logger.logSecurityEvent({ type: 'api_access', time })?.time).toBe(NOW);
      expect(logger.logSecurityEvent({ type: 'api_access', time })?.time).toBe(NOW);
      expect(messages.filter((m) => m.includes('time'))).toHaveLength(1);
    });

    it('should keep the first and last instants RFC 5424 can write', () => {
      const logger = createSecurityLogger({ registry: createMetricsRegistry() });
      for (const time of [MIN_EVENT_TIME_MS, MAX_EVENT_TIME_MS]) {
        const logged = logger.logSecurityEvent({ type: 'api_access', time }) as SecurityEvent;
        expect(logged.time).toBe(time);
        expect(parseRfc5424(formatSyslogMessage(logged, FORMAT) as Uint8Array).timestamp).toBe(new Date(time).toISOString());
      }
    });
  });

  describe('details', () => {
    const tempDir = tempDirEachTest();

    it('should send BigInt values as decimal strings, so every sink can serialise the event', async () => {
      const { diagnostics, messages } = recordingDiagnostics();
      const audit = createAuditLog({ dir: tempDir(), diagnostics });
      const logger = createSecurityLogger({ sinks: [audit.sink], diagnostics, registry: createMetricsRegistry() });
      const logged = logger.logSecurityEvent({ type: 'data_export', details: { rows: 12345678901234567890n, nested: { list: [1n] } } });
      logger.logSecurityEvent({ type: 'data_export', details: { rows: 2n } });
      expect(logged?.details).toEqual({ rows: '12345678901234567890', nested: { list: ['1'] } });
      expect(messages.filter((m) => m.includes('BigInt'))).toHaveLength(1);
      await logger.shutdown();
      expect(audit.stats).toMatchObject({ written: 2, dropped: 0 });
      expect(await verifyAuditLog(audit.dir)).toMatchObject({ status: 'ok', records: 2 });
    });
  });

  describe('formatSyslogMessage', () => {
    it.each([NOW * 1000, NOW * 1e6, Number.NaN])('should write the NILVALUE timestamp for time %s, never throw', (time) => {
      expect(parseRfc5424(formatSyslogMessage(event({ time }), FORMAT) as Uint8Array).timestamp).toBeNull();
    });

    it('should write BigInt values in MSG as strings', () => {
      const bytes = formatSyslogMessage(event({ details: { n: 10n } }), FORMAT) as Uint8Array;
      expect(JSON.parse(parseRfc5424(bytes).msg ?? '')).toMatchObject({ details: { n: '10' } });
    });

    it('should return undefined for an event it cannot format', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(formatSyslogMessage(event({ details: cyclic }), FORMAT)).toBeUndefined();
      expect(formatSyslogMessage(null as unknown as SecurityEvent, FORMAT)).toBeUndefined();
    });
  });

  describe('syslog sink', () => {
    it('should count an event it cannot format as dropped, with one diagnostic', async () => {
      const registry = createMetricsRegistry();
      const { diagnostics, messages } = recordingDiagnostics();
      const sink = createSyslogSink({ port: 9, diagnostics, registry });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(() => sink.write(event({ details: cyclic }))).not.toThrow();
      expect(() => sink.write(null as unknown as SecurityEvent)).not.toThrow();
      expect(sink.queue.stats.dropped.invalid).toBe(2);
      expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_dropped_total{signal="security_syslog",reason="invalid"} 2');
      expect(messages.filter((m) => m.includes('cannot be formatted'))).toHaveLength(1);
      await sink.shutdown(100);
    });
  });
});
