import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SecurityEvent } from '@lookout/security';
import { formatSyslogMessage } from '@lookout/security/syslog';
import type { SyslogFormatOptions } from '@lookout/security/syslog';
import { parseRfc5424 } from '../helpers/parseRfc5424.js';

/** The smallest message RFC 5424 (section 6.1) lets a sender rely on, and the sink's minimum. */
const MIN_MESSAGE_BYTES = 480;
const PARAM_VALUE_MAX_BYTES = 128;

const longest: SyslogFormatOptions = { facility: 23, hostname: 'h'.repeat(255), appName: 'a'.repeat(48), procId: 'p'.repeat(128), sdId: 's'.repeat(32), bom: true, maxBytes: MIN_MESSAGE_BYTES };
const event = (extra: Partial<SecurityEvent>): SecurityEvent => ({ id: 'i'.repeat(128), time: Date.UTC(2025, 0, 2), type: 'configuration_change', action: 'privilege_permissions_changed', outcome: 'success', risk: 'critical', ...extra });
const params = (bytes: Uint8Array): Record<string, string> => Object.fromEntries(parseRfc5424(bytes).structuredData[0]?.params ?? []);

// SD-PARAM values were capped at 128 UTF-16 characters (up to 512 bytes, more once escaped), and
// a header that passed maxBytes was cut like MSG: in the middle of the structured data.
describe('formatSyslogMessage', () => {
  describe('structured data', () => {
    it('should stay well-formed within the smallest message size, whatever the header fields hold', () => {
      const bytes = formatSyslogMessage(event({ actor: 'é]"\\'.repeat(300), target: '😀'.repeat(300), sourceIp: '2001:db8::1' }), longest) as Uint8Array;
      expect(bytes.length).toBeLessThanOrEqual(MIN_MESSAGE_BYTES);
      const parsed = parseRfc5424(bytes);
      expect(parsed.structuredData[0]?.id).toBe('s'.repeat(32));
      expect(parsed.msgId).toBe('privilege_permissions_changed');
    });

    it('should cap each value at 128 bytes of UTF-8, between characters and outside escapes', () => {
      const big = { ...longest, maxBytes: 65_536 };
      const values = params(formatSyslogMessage(event({ actor: 'é'.repeat(200), target: `${'x'.repeat(127)}]`, userAgent: 'u' }), big) as Uint8Array);
      expect(Buffer.byteLength(values.actor as string)).toBe(PARAM_VALUE_MAX_BYTES);
      expect(values.actor).toBe('é'.repeat(PARAM_VALUE_MAX_BYTES / 2));
      // The escaped "]" would take the value to 129 bytes: it is left out, not cut in half.
      expect(values.target).toBe('x'.repeat(127));
      const emoji = params(formatSyslogMessage(event({ actor: '😀'.repeat(100) }), big) as Uint8Array).actor as string;
      expect(emoji).toBe('😀'.repeat(PARAM_VALUE_MAX_BYTES / 4));
    });

    it('should always give a message a strict parser accepts, within maxBytes', () => {
      const text = fc.string({ unit: 'binary', maxLength: 400, size: 'max' });
      fc.assert(
        fc.property(
          fc.record({ actor: text, target: text, id: text, action: text }),
          fc.record({ hostname: text, appName: text, procId: text, sdId: text, maxBytes: fc.integer({ min: MIN_MESSAGE_BYTES, max: 1500 }), bom: fc.boolean() }),
          (fields, format) => {
            const bytes = formatSyslogMessage(event(fields), { ...format, facility: 10 }) as Uint8Array;
            expect(bytes.length).toBeLessThanOrEqual(format.maxBytes);
            expect(() => parseRfc5424(bytes)).not.toThrow();
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
