import { isEventTime } from '../events/createEventNormaliser.js';
import type { RiskLevel, SecurityEvent } from '../types.js';

/** RFC 5424 facilities by name (section 6.2.1). */
export const SYSLOG_FACILITIES = Object.freeze({
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11, ntp: 12, audit: 13, alert: 14, clock: 15,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
});
export type SyslogFacility = keyof typeof SYSLOG_FACILITIES;

/** Syslog severity per risk: low → informational (6), medium → notice (5), high → warning (4), critical → critical (2). */
export const RISK_SEVERITY: Readonly<Record<RiskLevel, number>> = Object.freeze({ low: 6, medium: 5, high: 4, critical: 2 });

/**
 * Default SD-ID of the structured data element. 32473 is the private enterprise number IANA
 * reserves for documentation (RFC 5612): set `sdId` to one under your own number in production.
 */
export const DEFAULT_SD_ID = 'lookout@32473';

/** How a message is built. */
export interface SyslogFormatOptions {
  /** Facility number (0–23). */
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
  sdId: string;
  /** Prefix MSG with a UTF-8 BOM (RFC 5424 MSG-UTF8). Default false (MSG-ANY). */
  bom: boolean;
  /** Longest message in bytes; MSG is cut (at a character boundary) to fit. */
  maxBytes: number;
}

/** Keeps printable US-ASCII (33–126) only, at most `max` characters; `-` (NILVALUE) when nothing is left. */
export function printUsAscii(value: string, max: number): string {
  let out = '';
  for (let i = 0; i < value.length && out.length < max; i++) {
    const c = value.charCodeAt(i);
    if (c >= 33 && c <= 126) out += value[i];
  }
  return out === '' ? '-' : out;
}

/** SD-NAME: printable US-ASCII except `=`, space, `]` and `"`, at most 32 characters. */
function sdName(value: string): string {
  return printUsAscii(value.replace(/[=\]"]/g, ''), 32);
}

/** PARAM-VALUE: `"`, `\` and `]` escaped with a backslash (RFC 5424 section 6.3.3). */
function paramValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** Longest structured-data value, in characters; the whole value is in MSG. Keeps the header well under 2048 bytes. */
const MAX_PARAM_LENGTH = 128;
const encoder = new TextEncoder();
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** Cuts `bytes` to at most `max` bytes without splitting a UTF-8 sequence. */
function cutUtf8(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = Math.max(0, max);
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/** JSON replacer: BigInts (which `JSON.stringify` refuses) as decimal strings. */
function bigIntAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Formats one event as an RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID
 * [sdId id=… type=… action=… outcome=… risk=… actor=… src=… target=…] MSG`, with PRI from the
 * facility and the event's risk ({@link RISK_SEVERITY}), MSGID the OWASP event name, and MSG
 * the event as compact JSON (BigInts as strings). Header fields are cut to their ABNF lengths and
 * character sets; a time outside years 0001-9999 is the NILVALUE `-`; parameter values are
 * escaped; event strings already carry no control characters, and JSON escapes the rest, so a
 * field can never start a new message. The result fits `maxBytes`. Never throws: `undefined`
 * when the event cannot be formatted (not an event object, or `details` JSON cannot write, such
 * as a cycle).
 */
export function formatSyslogMessage(event: SecurityEvent, o: SyslogFormatOptions): Uint8Array | undefined {
  try {
    return format(event, o);
  } catch {
    return undefined;
  }
}

function format(event: SecurityEvent, o: SyslogFormatOptions): Uint8Array {
  const severity = RISK_SEVERITY[event.risk] ?? 6;
  const pri = o.facility * 8 + severity;
  const ts = isEventTime(event.time) ? new Date(event.time).toISOString() : '-';
  const params: Array<[string, string | undefined]> = [
    ['id', event.id],
    ['type', event.type],
    ['action', event.action],
    ['outcome', event.outcome],
    ['risk', event.risk],
    ['actor', event.actor],
    ['src', event.sourceIp],
    ['target', event.target],
  ];
  let sd = `[${sdName(o.sdId)}`;
  for (const [name, value] of params) if (value !== undefined) sd += ` ${name}="${paramValue(value.slice(0, MAX_PARAM_LENGTH))}"`;
  sd += ']';
  const header = `<${pri}>1 ${ts} ${printUsAscii(o.hostname, 255)} ${printUsAscii(o.appName, 48)} ${printUsAscii(o.procId, 128)} ${printUsAscii(event.action, 32)} ${sd} `;
  const head = encoder.encode(header);
  const msg = encoder.encode(JSON.stringify(event, bigIntAsString));
  const prefix = o.bom ? BOM : new Uint8Array(0);
  const room = o.maxBytes - head.length - prefix.length;
  const body = cutUtf8(msg, room);
  const out = new Uint8Array(head.length + prefix.length + body.length);
  out.set(head, 0);
  out.set(prefix, head.length);
  out.set(body, head.length + prefix.length);
  // No room for MSG: send the header alone, without the space that would announce MSG.
  return room <= 0 ? cutUtf8(head.subarray(0, head.length - 1), o.maxBytes) : out;
}
