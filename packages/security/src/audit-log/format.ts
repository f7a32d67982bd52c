import { createHash, createHmac } from 'node:crypto';

/** `prev` of the first record of a chain: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);
/** Digits of the sequence number in a segment file name (`audit-000000000001.jsonl`). */
export const SEGMENT_SEQ_DIGITS = 12;
/** Default file name prefix. */
export const DEFAULT_AUDIT_PREFIX = 'audit';
/** Largest record `AuditLog.append` accepts: 1 MiB of JSON (security events are a few KiB). */
export const MAX_AUDIT_RECORD_BYTES = 1024 * 1024;
/** What a line adds around its record: seq, ts, prev, hash and MAC with their keys (about 300 bytes), rounded up. */
const LINE_OVERHEAD_MAX_BYTES = 1024;
/**
 * Longest line the writer can write. A longer one was never a record: verification calls it
 * altered (not a torn write) and reads no more of it than this.
 */
export const MAX_AUDIT_LINE_BYTES = MAX_AUDIT_RECORD_BYTES + LINE_OVERHEAD_MAX_BYTES;

const HASH_OPEN = Buffer.from(',"hash":"');
const MAC_OPEN = Buffer.from(',"mac":"');
/** `,"hash":"` + 64 hex + `"`. */
const HASH_SUFFIX_LENGTH = HASH_OPEN.length + 64 + 1;
/** `,"mac":"` + 64 hex + `"`. */
const MAC_SUFFIX_LENGTH = MAC_OPEN.length + 64 + 1;
const HEX64 = /^[0-9a-f]{64}$/;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;

/** An HMAC key as the host gives it. */
export type AuditKey = string | Uint8Array;

/** Hex SHA-256 of `data`. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex HMAC-SHA-256 of `data` under `key`. */
export function hmacHex(key: AuditKey, data: string | Uint8Array): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** What a record carries: a security event, or a record the audit log writes about itself. */
export type RecordPayload = { event: unknown } | { sys: AuditSystemRecord };

/** Records the audit log writes about itself. */
export type AuditSystemRecord =
  | { op: 'retention'; files: string[]; throughSeq: number; lastHash: string; maxAgeMs?: number; maxFiles?: number }
  | { op: 'repair'; file: string; removedBytes: number }
  | { op: 'start'; pid?: number };

/**
 * Builds one record line (without the newline): `{"seq":N,"ts":"…","prev":"…","event":{…}` is
 * the body; the line is the body, `,"hash":"<SHA-256 of the body>"`, optionally
 * `,"mac":"<HMAC-SHA-256 of the body>"`, and `}`. The hash and MAC cover the exact bytes
 * written, so verification never re-serialises JSON.
 */
export function buildRecordLine(seq: number, ts: number, prev: string, payloadJson: string, payloadKey: 'event' | 'sys', key: AuditKey | undefined): { line: string; hash: string } {
  const body = `{"seq":${seq},"ts":"${new Date(ts).toISOString()}","prev":"${prev}","${payloadKey}":${payloadJson}`;
  const hash = sha256Hex(body);
  const mac = key === undefined ? '' : `,"mac":"${hmacHex(key, body)}"`;
  return { line: `${body},"hash":"${hash}"${mac}}`, hash };
}

/** A record that passed its own checks (hash, MAC, shape). */
export interface ParsedRecord {
  seq: number;
  ts: string;
  prev: string;
  hash: string;
  mac?: string;
  event?: unknown;
  sys?: AuditSystemRecord;
}

/** Why a line failed its own checks. */
export type LineFault = 'malformed' | 'bad_hash' | 'bad_mac' | 'missing_mac' | 'too_long';

export type LineCheck = { ok: true; record: ParsedRecord } | { ok: false; fault: LineFault; seq?: number };

function hexAt(bytes: Uint8Array, start: number): string | undefined {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset + start, 64).toString('latin1');
  return HEX64.test(s) ? s : undefined;
}

function startsWithAt(bytes: Uint8Array, start: number, prefix: Uint8Array): boolean {
  if (start < 0 || start + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

const SEQ_PREFIX = /^\{"seq":(\d{1,16}),/;

/** The `seq` of a line, read from its first bytes without checking anything else. */
export function peekSeq(bytes: Uint8Array): number | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 32)).toString('latin1');
  const m = SEQ_PREFIX.exec(head);
  return m === null ? undefined : Number(m[1]);
}

/**
 * Checks one line on its own: its length (at most {@link MAX_AUDIT_LINE_BYTES}; `overlong` says
 * so of a line given only in part), the suffix layout, the SHA-256 of the body, the MAC when a
 * key is given (a line without a MAC then fails), and the JSON shape.
 */
export function checkLine(bytes: Uint8Array, key: AuditKey | undefined, overlong = bytes.length > MAX_AUDIT_LINE_BYTES): LineCheck {
  const n = bytes.length;
  const seqHint = peekSeq(bytes);
  const fail = (fault: LineFault): LineCheck => (seqHint === undefined ? { ok: false, fault } : { ok: false, fault, seq: seqHint });
  if (overlong) return fail('too_long');
  if (n < HASH_SUFFIX_LENGTH + 2 || bytes[n - 1] !== CLOSE_BRACE || bytes[n - 2] !== QUOTE) return fail('malformed');
  let end = n - 1;
  let mac: string | undefined;
  if (startsWithAt(bytes, end - MAC_SUFFIX_LENGTH, MAC_OPEN)) {
    mac = hexAt(bytes, end - 65);
    if (mac === undefined) return fail('malformed');
    end -= MAC_SUFFIX_LENGTH;
  }
  const hashStart = end - HASH_SUFFIX_LENGTH;
  if (!startsWithAt(bytes, hashStart, HASH_OPEN) || bytes[end - 1] !== QUOTE) return fail('malformed');
  const hash = hexAt(bytes, end - 65);
  if (hash === undefined) return fail('malformed');
  const body = bytes.subarray(0, hashStart);
  if (sha256Hex(body) !== hash) return fail('bad_hash');
  if (key !== undefined) {
    if (mac === undefined) return fail('missing_mac');
    if (hmacHex(key, body) !== mac) return fail('bad_mac');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('utf8'));
  } catch {
    return fail('malformed');
  }
  const r = parsed as Partial<ParsedRecord> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.seq !== 'number' ||
    !Number.isSafeInteger(r.seq) ||
    r.seq < 1 ||
    typeof r.ts !== 'string' ||
    typeof r.prev !== 'string' ||
    !HEX64.test(r.prev) ||
    r.hash !== hash ||
    (r.event === undefined && r.sys === undefined)
  ) {
    return fail('malformed');
  }
  return { ok: true, record: r as ParsedRecord };
}

/** Name of the segment whose first record is `seq`. */
export function segmentName(prefix: string, seq: number): string {
  return `${prefix}-${String(seq).padStart(SEGMENT_SEQ_DIGITS, '0')}.jsonl`;
}

/** Name of the head file: the last flushed sequence number and hash. */
export function headName(prefix: string): string {
  return `${prefix}.head.json`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses a segment name of `prefix` (any prefix when undefined) into its first seq. */
export function segmentPattern(prefix: string | undefined): RegExp {
  return new RegExp(`^(${prefix === undefined ? '[A-Za-z0-9_.-]+?' : escapeRegExp(prefix)})-(\\d{${SEGMENT_SEQ_DIGITS},})\\.jsonl$`);
}

/** Segment files of a directory listing, oldest first. */
export function listSegments(names: readonly string[], prefix: string | undefined): Array<{ name: string; prefix: string; firstSeq: number }> {
  const pattern = segmentPattern(prefix);
  const out: Array<{ name: string; prefix: string; firstSeq: number }> = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m !== null) out.push({ name, prefix: m[1] as string, firstSeq: Number(m[2]) });
  }
  return out.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** The head file: the last record a `flush()` made durable. */
export interface AuditHead {
  seq: number;
  hash: string;
  file: string;
  ts: string;
  mac?: string;
}

/** The text the head's MAC covers. */
export function headMacInput(head: Pick<AuditHead, 'seq' | 'hash' | 'file'>): string {
  return `${head.seq}\n${head.hash}\n${head.file}`;
}
