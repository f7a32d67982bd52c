import { utf8Length } from '@lookout/core';
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

/**
 * Longest PARAM-VALUE as written (UTF-8, escapes included), in bytes; the whole value is in MSG.
 * Eight of them keep the header well under 2048 bytes.
 */
const MAX_PARAM_VALUE_BYTES = 128;
/** Longest HOSTNAME, APP-NAME, PROCID and MSGID, in that order (RFC 5424 section 6). */
const HEADER_FIELD_LENGTHS = [255, 48, 128, 32] as const;
/** Which of those give way first when the header must be shorter: PROCID, APP-NAME, HOSTNAME, then MSGID (the event's name). */
const HEADER_SHORTEN_ORDER = [2, 1, 0, 3] as const;
/** ` name=""` around a PARAM-VALUE: the bytes a param takes besides its name and value. */
const PARAM_FRAME_BYTES = 4;

/**
 * PARAM-VALUE of `value` (`"`, `\` and `]` escaped with a backslash, RFC 5424 section 6.3.3),
 * at most `maxBytes` bytes of UTF-8: cut between characters, never inside an escape or a
 * surrogate pair.
 */
function paramValue(value: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of value) {
    const escaped = ch === '"' || ch === '\\' || ch === ']' ? `\\${ch}` : ch;
    bytes += utf8Length(escaped);
    if (bytes > maxBytes) break;
    out += escaped;
  }
  return out;
}

/**
 * STRUCTURED-DATA of at most `budget` bytes: one element `[sdId name="value" …]` whose values are
 * capped at {@link MAX_PARAM_VALUE_BYTES} and cut further, or left out, to fit; the NILVALUE when
 * not even `[sdId]` fits. Always well-formed: nothing after it is ever cut into it.
 */
function structuredData(sdId: string, params: ReadonlyArray<readonly [string, unknown]>, budget: number): string {
  const open = `[${sdName(sdId)}`;
  // Bytes left for params once the element is opened and closed (SD-NAMEs are ASCII).
  let left = budget - open.length - 1;
  if (left < 0) return '-';
  let sd = open;
  for (const [name, value] of params) {
    const frame = name.length + PARAM_FRAME_BYTES;
    if (typeof value !== 'string' || left < frame) continue;
    const v = paramValue(value, Math.min(MAX_PARAM_VALUE_BYTES, left - frame));
    // A value cut to nothing would read as an empty one: leave the param out instead.
    if (v === '' && value !== '') continue;
    sd += ` ${name}="${v}"`;
    left -= frame + utf8Length(v);
  }
  return `${sd}]`;
}

/**
 * Shortens the header fields in {@link HEADER_SHORTEN_ORDER} by up to `over` characters in all,
 * each keeping one (they are printable ASCII, so characters are bytes).
 */
function shortenFields(fields: string[], over: number): void {
  let left = over;
  for (const i of HEADER_SHORTEN_ORDER) {
    if (left <= 0) return;
    const field = fields[i] as string;
    const cut = Math.min(left, field.length - 1);
    fields[i] = field.slice(0, field.length - cut);
    left -= cut;
  }
}
const encoder = new TextEncoder();
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const SP = 0x20;

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
 * escaped and at most 128 bytes. The result fits `maxBytes`: MSG is cut first, then parameter
 * values are shortened or left out so the structured data stays whole. The header before the
 * structured data takes at most half of `maxBytes` (PROCID, then APP-NAME, HOSTNAME and MSGID
 * are shortened, which only very long names near the 480-byte minimum need). Event strings already carry
 * no control characters, and JSON escapes the rest, so a field can never start a new message.
 * Never throws: `undefined` when the event cannot be formatted (not an event object, `details`
 * JSON cannot write such as a cycle, or a `maxBytes` too small for any message).
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
  const params: ReadonlyArray<readonly [string, unknown]> = [
    ['id', event.id],
    ['type', event.type],
    ['action', event.action],
    ['outcome', event.outcome],
    ['risk', event.risk],
    ['actor', event.actor],
    ['src', event.sourceIp],
    ['target', event.target],
  ];
  const fields = [o.hostname, o.appName, o.procId, event.action].map((f, i) => printUsAscii(f, HEADER_FIELD_LENGTHS[i] as number));
  const lead = `<${pri}>1 ${ts} `;
  // The header before the structured data takes at most half the message, the rest is the
  // event's: only very long host-given names with a maxBytes near 480 need shortening.
  shortenFields(fields, lead.length + fields.join(' ').length + 1 - Math.floor(o.maxBytes / 2));
  const header = `${lead}${fields.join(' ')} `;
  // Not even the NILVALUE for structured data fits.
  if (header.length + 1 > o.maxBytes) throw new RangeError(`maxBytes ${o.maxBytes} is too small for a message`);
  const head = encoder.encode(header + structuredData(o.sdId, params, o.maxBytes - header.length));
  const msg = encoder.encode(JSON.stringify(event, bigIntAsString));
  const prefix = o.bom ? BOM : new Uint8Array(0);
  const room = o.maxBytes - head.length - 1 - prefix.length;
  // No room for MSG: send the header alone, without the space that would announce MSG.
  if (room <= 0) return head;
  const body = cutUtf8(msg, room);
  const out = new Uint8Array(head.length + 1 + prefix.length + body.length);
  out.set(head, 0);
  out[head.length] = SP;
  out.set(prefix, head.length + 1);
  out.set(body, head.length + 1 + prefix.length);
  return out;
}
