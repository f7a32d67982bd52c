import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { describeError } from '@lookout/core';
import { checkLine, GENESIS_HASH, headMacInput, headName, hmacHex, listSegments, MAX_AUDIT_LINE_BYTES, peekSeq, segmentName } from './format.js';
import type { AuditHead, AuditKey, AuditSystemRecord, LineCheck, ParsedRecord } from './format.js';
import { LineCursor } from './LineCursor.js';
import type { AuditLine } from './LineCursor.js';

/** What kind of change verification found. */
export type TamperKind = 'altered' | 'inserted' | 'deleted' | 'reordered' | 'truncated' | 'torn';

/** The first problem in a log. */
export interface AuditProblem {
  kind: TamperKind;
  /** File name (within the log directory) and 1-based line of the problem. */
  file: string;
  line: number;
  /** Sequence number found there, when readable. */
  seq?: number;
  /** Sequence number expected there. */
  expectedSeq?: number;
  /** One sentence a human can act on. */
  message: string;
}

/** Result of {@link verifyAuditLog}. */
export interface AuditVerifyResult {
  /**
   * - `ok`: every record is intact and in order, and nothing is missing at the end.
   * - `tampered`: a record was altered, inserted, deleted or reordered, or the log was truncated.
   * - `torn`: intact except a partial last line, as a crash mid-write leaves (the writer repairs it on restart).
   * - `error`: the log could not be read (see `message`).
   */
  status: 'ok' | 'tampered' | 'torn' | 'error';
  /** `status === 'ok'`. */
  ok: boolean;
  /** A one-line summary. */
  message: string;
  /** Records that verified, in order, before the first problem. */
  records: number;
  /** Segment files read, oldest first. */
  files: string[];
  firstSeq?: number;
  lastSeq?: number;
  /** Time (ISO-8601) of the first and last verified records. */
  firstTime?: string;
  lastTime?: string;
  /** Whether record MACs were checked (a key was given). */
  macChecked: boolean;
  problem?: AuditProblem;
  /** Deletions by the retention policy, as the log records them. */
  retentionDeletions: Array<{ time: string; files: string[]; throughSeq: number }>;
  /** Things that weaken the check without being tampering (e.g. no head file). */
  warnings: string[];
}

/** Input of {@link verifyAuditLog}. */
export interface VerifyAuditLogOptions {
  /** The HMAC key the writer used. Without it, MACs are not checked (and a keyless attacker can rewrite a chain). */
  key?: AuditKey;
  /** File name prefix. Default: found from the directory (it must hold one log). */
  prefix?: string;
  /** Called with each verified record, in order (for reports). Exceptions are ignored. */
  onRecord?: (record: ParsedRecord, file: string) => void;
}

const FAULT_TEXT: Record<string, string> = {
  malformed: 'is not a well-formed record',
  bad_hash: 'does not match its own SHA-256',
  bad_mac: 'does not match its HMAC',
  missing_mac: 'carries no HMAC although a key was given',
  too_long: `is longer than any record the writer writes (${MAX_AUDIT_LINE_BYTES} bytes)`,
};

interface Good {
  seq: number;
  hash: string;
  prev: string;
  file: string;
  line: number;
}

function chainsFrom(c: LineCheck, seq: number, prev: string): boolean {
  return c.ok && c.record.seq === seq && c.record.prev === prev;
}

/**
 * Verifies a tamper-evident audit log written by `createAuditLog`: `path` is its directory (the
 * whole chain, across rotated files, plus the head file that catches truncation) or one segment
 * file (that file's chain only). Reports OK, or the first record that was altered, inserted,
 * deleted or reordered, by file and line; a partial last line is reported as `torn`. Reads a
 * chunk at a time. Never throws: unreadable input gives `status: 'error'`.
 */
export async function verifyAuditLog(path: string, options: VerifyAuditLogOptions = {}): Promise<AuditVerifyResult> {
  const key = options.key;
  const result: AuditVerifyResult = {
    status: 'ok',
    ok: true,
    message: '',
    records: 0,
    files: [],
    macChecked: key !== undefined,
    retentionDeletions: [],
    warnings: [],
  };
  const fail = (status: 'tampered' | 'torn' | 'error', message: string, problem?: AuditProblem): AuditVerifyResult => {
    result.status = status;
    result.ok = false;
    result.message = message;
    if (problem !== undefined) result.problem = problem;
    return result;
  };

  let dir: string;
  let files: string[];
  let prefix: string | undefined = options.prefix;
  let single = false;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      dir = path;
      const segments = listSegments(await readdir(path), prefix);
      const prefixes = new Set(segments.map((s) => s.prefix));
      if (prefixes.size > 1) return fail('error', `${path} holds several audit logs (${[...prefixes].join(', ')}); pass a prefix`);
      if (segments.length === 0) return fail('error', `${path} holds no audit log files (<prefix>-<seq>.jsonl)`);
      prefix = segments[0]?.prefix;
      files = segments.map((s) => s.name);
    } else {
      dir = dirname(path);
      files = [basename(path)];
      single = true;
    }
  } catch (error) {
    return fail('error', `cannot read ${path}: ${describeError(error)}`);
  }
  result.files = files;

  let head: AuditHead | undefined;
  if (!single && prefix !== undefined) {
    try {
      head = JSON.parse(await readFile(`${dir}/${headName(prefix)}`, 'utf8')) as AuditHead;
      if (typeof head?.seq !== 'number' || typeof head.hash !== 'string') {
        result.warnings.push('the head file is unreadable: truncation at the end cannot be detected');
        head = undefined;
      } else if (key !== undefined && head.mac !== hmacHex(key, headMacInput(head))) {
        return fail('tampered', `the head file ${headName(prefix)} does not match its HMAC`, {
          kind: 'altered',
          file: headName(prefix),
          line: 1,
          message: `the head file ${headName(prefix)} was altered (its HMAC does not match)`,
        });
      }
    } catch {
      result.warnings.push('no head file: truncation at the end of the log cannot be detected');
    }
  }

  try {
    // A chain that starts past seq 1 is only legitimate when the retention policy recorded deleting
    // the rest: in a whole line whose own hash (and MAC) check out, so not in a torn last line;
    // whether it is in the chain, the main pass checks like every other line.
    let retentionProof: Map<number, string> | undefined;
    const firstSeq = single ? undefined : listSegments(files, prefix)[0]?.firstSeq;
    if (firstSeq !== undefined && firstSeq > 1) retentionProof = await findRetentionRecords(dir, files, key);

    const cursor = new LineCursor(dir, files);
    try {
      let expectSeq = 0;
      let expectPrev = GENESIS_HASH;
      let last: Good | undefined;
      for (let line = await cursor.next(); line !== undefined; line = await cursor.next()) {
        const c = checkLine(line.bytes, key, line.overlong);
        if (last === undefined) {
          // The start of the chain.
          if (!c.ok) {
            if (isTorn(line)) return torn(line, fail, head, 0);
            return fail('tampered', where(line, `the first record ${FAULT_TEXT[c.fault]}`), problem('altered', line, c.seq, undefined, `the first record ${FAULT_TEXT[c.fault]}`));
          }
          const r = c.record;
          if (single) {
            expectSeq = r.seq;
            expectPrev = r.prev;
          } else if (r.seq === 1) {
            expectSeq = 1;
          } else {
            const proved = retentionProof?.get(r.seq - 1);
            if (proved !== r.prev) {
              const message = `records 1 to ${r.seq - 1} are missing before this file and no retention record accounts for them`;
              return fail('tampered', where(line, message), problem('deleted', line, r.seq, 1, message));
            }
            expectSeq = r.seq;
            expectPrev = r.prev;
          }
        }
        if (chainsFrom(c, expectSeq, expectPrev) && (line.terminated || !line.last)) {
          const r = (c as { record: ParsedRecord }).record;
          if (head !== undefined && r.seq === head.seq && r.hash !== head.hash) {
            const message = `record ${r.seq} differs from the one the head file recorded`;
            return fail('tampered', where(line, message), problem('altered', line, r.seq, r.seq, message));
          }
          if (!line.terminated) {
            // A complete record in a non-last file that lacks its newline: the next file was glued on.
            const message = 'the record lacks its newline';
            return fail('tampered', where(line, message), problem('altered', line, r.seq, expectSeq, message));
          }
          accept(result, r, line, options);
          last = { seq: r.seq, hash: r.hash, prev: r.prev, file: line.file, line: line.line };
          expectSeq = r.seq + 1;
          expectPrev = r.hash;
          continue;
        }
        // Something is wrong at this line: find out what.
        if (isTorn(line)) return torn(line, fail, head, expectSeq - 1);
        const next = await cursor.peek();
        const nextCheck = next === undefined ? undefined : checkLine(next.bytes, key, next.overlong);
        const nextChainsHere = nextCheck !== undefined && chainsFrom(nextCheck, expectSeq, expectPrev);
        if (!c.ok) {
          if (nextChainsHere) {
            const message = `a line that is not part of the chain was inserted (it ${FAULT_TEXT[c.fault]})`;
            return fail('tampered', where(line, message), problem('inserted', line, c.seq, expectSeq, message));
          }
          const message = `record ${c.seq ?? expectSeq} was altered (it ${FAULT_TEXT[c.fault]})`;
          return fail('tampered', where(line, message), problem('altered', line, c.seq, expectSeq, message));
        }
        const r = c.record;
        if (r.seq === expectSeq) {
          if (nextChainsHere) {
            const message = `record ${r.seq} at this line was inserted: the next line continues the chain without it`;
            return fail('tampered', where(line, message), problem('inserted', line, r.seq, expectSeq, message));
          }
          if (last !== undefined && nextCheck !== undefined && chainsFrom(nextCheck, r.seq + 1, r.hash)) {
            const message = `record ${last.seq} was altered: its hash no longer matches what record ${r.seq} recorded`;
            return fail('tampered', `${last.file}:${last.line}: ${message}`, { kind: 'altered', file: last.file, line: last.line, seq: last.seq, expectedSeq: last.seq, message });
          }
          const message = `record ${r.seq} does not chain to record ${last?.seq ?? 'before it'} (altered)`;
          return fail('tampered', where(line, message), problem('altered', line, r.seq, expectSeq, message));
        }
        if (r.seq < expectSeq) {
          if (last !== undefined && r.seq === last.seq && r.prev === last.prev) {
            if (r.hash !== last.hash && nextCheck !== undefined && chainsFrom(nextCheck, r.seq + 1, r.hash)) {
              const message = `record ${last.seq} at this line was inserted: a second record ${r.seq} follows and the chain continues from that one`;
              return fail('tampered', `${last.file}:${last.line}: ${message}`, { kind: 'inserted', file: last.file, line: last.line, seq: last.seq, expectedSeq: last.seq, message });
            }
            const message = `a copy of record ${r.seq} was inserted`;
            return fail('tampered', where(line, message), problem('inserted', line, r.seq, expectSeq, message));
          }
          const message = `record ${r.seq} is out of order: record ${expectSeq} was expected here`;
          return fail('tampered', where(line, message), problem('reordered', line, r.seq, expectSeq, message));
        }
        // r.seq > expectSeq: records skipped here were deleted, or moved elsewhere.
        if (nextChainsHere) {
          const message = `records ${r.seq} and ${expectSeq} were swapped: record ${expectSeq} follows on the next line`;
          return fail('tampered', where(line, message), problem('reordered', line, r.seq, expectSeq, message));
        }
        const found = await findSeq(cursor, expectSeq);
        if (found !== undefined) {
          const message = `record ${r.seq} is out of order: record ${expectSeq} was moved to ${found.file}:${found.line}`;
          return fail('tampered', where(line, message), problem('reordered', line, r.seq, expectSeq, message));
        }
        const missing = r.seq - expectSeq === 1 ? `record ${expectSeq} is` : `records ${expectSeq} to ${r.seq - 1} are`;
        let message = `${missing} missing before this line (deleted)`;
        if (line.line === 1 && prefix !== undefined && last !== undefined && last.file !== line.file) {
          message = `${missing} missing before this file: the file ${segmentName(prefix, expectSeq)} was deleted`;
        }
        return fail('tampered', where(line, message), problem('deleted', line, r.seq, expectSeq, message));
      }
      if (last === undefined) return fail('error', `${path} holds no records`);
      if (head !== undefined && head.seq > last.seq) {
        const missing = head.seq - last.seq === 1 ? `record ${head.seq} is` : `records ${last.seq + 1} to ${head.seq} are`;
        const message = `${missing} missing at the end: the log was truncated after record ${last.seq} (the head file records ${head.seq})`;
        return fail('tampered', `${last.file}:${last.line + 1}: ${message}`, {
          kind: 'truncated',
          file: last.file,
          line: last.line + 1,
          expectedSeq: last.seq + 1,
          message,
        });
      }
      result.message = `OK: ${result.records} records in ${files.length} file${files.length === 1 ? '' : 's'}, seq ${result.firstSeq} to ${result.lastSeq}${key === undefined ? ' (no key: MACs not checked)' : ''}`;
      return result;
    } finally {
      await cursor.close();
    }
  } catch (error) {
    return fail('error', `cannot read ${path}: ${describeError(error)}`);
  }
}

function where(line: AuditLine, message: string): string {
  return `${line.file}:${line.line}: ${message}`;
}

function problem(kind: TamperKind, line: AuditLine, seq: number | undefined, expectedSeq: number | undefined, message: string): AuditProblem {
  const p: AuditProblem = { kind, file: line.file, line: line.line, message };
  if (seq !== undefined) p.seq = seq;
  if (expectedSeq !== undefined) p.expectedSeq = expectedSeq;
  return p;
}

function accept(result: AuditVerifyResult, r: ParsedRecord, line: AuditLine, options: VerifyAuditLogOptions): void {
  result.records++;
  result.firstSeq ??= r.seq;
  result.firstTime ??= r.ts;
  result.lastSeq = r.seq;
  result.lastTime = r.ts;
  const sys = r.sys;
  if (sys !== undefined && sys.op === 'retention') result.retentionDeletions.push({ time: r.ts, files: sys.files, throughSeq: sys.throughSeq });
  if (options.onRecord !== undefined) {
    try {
      options.onRecord(r, line.file);
    } catch {
      // The caller's problem; verification goes on.
    }
  }
}

/**
 * Whether `line` is what a crash mid-write leaves: the last line, without its newline, and no
 * longer than a record (a longer one was never being written).
 */
function isTorn(line: AuditLine): boolean {
  return !line.terminated && line.last && !line.overlong;
}

/** A partial last line: a crash mid-write, unless the head file says that record had been flushed. */
function torn(
  line: AuditLine,
  fail: (status: 'tampered' | 'torn', message: string, problem?: AuditProblem) => AuditVerifyResult,
  head: AuditHead | undefined,
  lastSeq: number,
): AuditVerifyResult {
  if (head !== undefined && head.seq > lastSeq) {
    const message = `the log was truncated inside record ${lastSeq + 1} (the head file records ${head.seq})`;
    return fail('tampered', where(line, message), { kind: 'truncated', file: line.file, line: line.line, expectedSeq: lastSeq + 1, message });
  }
  const message = `the last line is incomplete (${line.bytes.length} bytes): a write was cut short, as by a crash; the writer repairs it on restart`;
  return fail('torn', where(line, message), { kind: 'torn', file: line.file, line: line.line, expectedSeq: lastSeq + 1, message });
}

/** Reads on until a line whose seq is `seq` and which passes its own checks. */
async function findSeq(cursor: LineCursor, seq: number): Promise<{ file: string; line: number } | undefined> {
  for (let line = await cursor.next(); line !== undefined; line = await cursor.next()) {
    if (peekSeq(line.bytes) === seq) return { file: line.file, line: line.line };
  }
  return undefined;
}

/**
 * Retention records of the log (deleted-through seq → hash of that record): whole lines whose own
 * hash (and MAC, with a key) check out. A torn last line is no proof, though a crash may leave it.
 */
async function findRetentionRecords(dir: string, files: readonly string[], key: AuditKey | undefined): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const cursor = new LineCursor(dir, files);
  const marker = Buffer.from('"op":"retention"');
  try {
    for (let line = await cursor.next(); line !== undefined; line = await cursor.next()) {
      if (!line.terminated || line.bytes.indexOf(marker) === -1) continue;
      const c = checkLine(line.bytes, key, line.overlong);
      const sys: AuditSystemRecord | undefined = c.ok ? c.record.sys : undefined;
      if (sys?.op === 'retention') out.set(sys.throughSeq, sys.lastHash);
    }
  } finally {
    await cursor.close();
  }
  return out;
}
