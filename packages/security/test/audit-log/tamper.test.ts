import { createHash, createHmac } from 'node:crypto';
import { appendFile, readFile, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { buildRecordLine } from '../../src/audit-log/format.js';
import { readLines, segments, tempDir, writeLines } from '../helpers/auditFiles.js';

const KEY = 'test-hmac-key-0123456789';
const quiet = createDiagnostics({ level: 'none' });

/** Writes `count` records into files of about 30 records each. */
async function buildLog(dir: string, count: number, key?: string): Promise<string[]> {
  const log = createAuditLog({ dir, fsync: false, maxFileBytes: 30 * 330, diagnostics: quiet, ...(key === undefined ? {} : { key }) });
  for (let i = 1; i <= count; i++) {
    log.append({ id: `e${i}`, time: 1_700_000_000_000 + i, type: 'authentication', action: 'authn_login_fail', outcome: 'failure', risk: 'medium', actor: `user${i % 7}` });
  }
  await log.close();
  return segments(dir);
}

/**
 * Deletes the first `count` files and appends, as an unterminated last line (what a crash leaves),
 * a retention record claiming those deletions, signed with `key`.
 */
async function forgeRetention(dir: string, files: string[], count: number, key: string | undefined): Promise<void> {
  for (const name of files.slice(0, count)) await unlink(join(dir, name));
  const first = JSON.parse((await readLines(join(dir, files[count] as string)))[0] as string) as { seq: number; prev: string };
  const lastPath = join(dir, files.at(-1) as string);
  const last = JSON.parse((await readLines(lastPath)).at(-1) as string) as { seq: number; hash: string };
  const sys = JSON.stringify({ op: 'retention', files: files.slice(0, count), throughSeq: first.seq - 1, lastHash: first.prev });
  await appendFile(lastPath, buildRecordLine(last.seq + 1, Date.now(), last.hash, sys, 'sys', key).line);
}

/** Rewrites a record keeping its hash valid (what an attacker without the key can do). */
function rehash(line: string, edit: (body: string) => string): string {
  const body = edit(line.slice(0, line.indexOf(',"hash":"')));
  return `${body},"hash":"${createHash('sha256').update(body).digest('hex')}"}`;
}

describe('verifyAuditLog', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let files: string[];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    files = await buildLog(dir, 100);
  });
  afterEach(() => cleanup());

  const file = (i: number): string => join(dir, files[i] as string);

  describe('an untouched log', () => {
    it('should verify OK across rotated files', async () => {
      expect(files.length).toBeGreaterThanOrEqual(3);
      const result = await verifyAuditLog(dir);
      expect(result.status).toBe('ok');
      expect(result.records).toBe(100);
      expect(result.firstSeq).toBe(1);
      expect(result.lastSeq).toBe(100);
      expect(result.message).toMatch(/^OK: 100 records in \d+ files/);
    });

    it('should verify one segment file on its own', async () => {
      const result = await verifyAuditLog(file(1));
      expect(result.status).toBe('ok');
      expect(result.firstSeq).toBeGreaterThan(1);
      expect(result.files).toEqual([files[1]]);
    });
  });

  describe('the tamper corpus', () => {
    it('should name the record whose byte was edited', async () => {
      const lines = await readLines(file(1));
      lines[4] = (lines[4] as string).replace('"actor":"user', '"actor":"usEr');
      await writeLines(file(1), lines);
      const result = await verifyAuditLog(dir);
      expect(result.status).toBe('tampered');
      expect(result.problem).toMatchObject({ kind: 'altered', file: files[1], line: 5 });
    });

    it('should name an edit that breaks the JSON', async () => {
      const original = await readFile(file(0));
      const bytes = Buffer.from(original);
      const at = bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 20; // inside line 3
      bytes[at] = 0x7b;
      await writeFile(file(0), bytes);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'altered', file: files[0], line: 3 });
    });

    it('should name the place of a deleted record', async () => {
      const lines = await readLines(file(0));
      lines.splice(9, 1);
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'deleted', file: files[0], line: 10, expectedSeq: 10, seq: 11 });
      expect(result.message).toContain('record 10 is missing');
    });

    it('should name an inserted line', async () => {
      const lines = await readLines(file(0));
      lines.splice(7, 0, '{"seq":8,"note":"forged"}');
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'inserted', file: files[0], line: 8 });
    });

    it('should name an inserted copy of a record', async () => {
      const lines = await readLines(file(0));
      lines.splice(7, 0, lines[6] as string);
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'inserted', file: files[0], line: 8 });
    });

    it('should name a forged record with a valid hash inserted before the real one', async () => {
      const lines = await readLines(file(0));
      lines.splice(7, 0, rehash(lines[7] as string, (b) => b.replace('authn_login_fail', 'authn_login_success')));
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'inserted', file: files[0], line: 8 });
    });

    it('should name two swapped records', async () => {
      const lines = await readLines(file(0));
      [lines[11], lines[12]] = [lines[12] as string, lines[11] as string];
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'reordered', file: files[0], line: 12, seq: 13, expectedSeq: 12 });
    });

    it('should name a record moved far away', async () => {
      const lines = await readLines(file(0));
      const [moved] = lines.splice(4, 1);
      lines.splice(20, 0, moved as string);
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'reordered', file: files[0], line: 5 });
      expect(result.message).toContain(`moved to ${files[0]}:21`);
    });

    it('should report a log truncated at a record boundary', async () => {
      const last = files.length - 1;
      const lines = await readLines(file(last));
      await writeLines(file(last), lines.slice(0, lines.length - 5));
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'truncated', file: files[last], line: lines.length - 4, expectedSeq: 96 });
    });

    it('should report a log truncated inside a record', async () => {
      const last = files.length - 1;
      const size = (await readFile(file(last))).length;
      await truncate(file(last), size - 500);
      const result = await verifyAuditLog(dir);
      expect(result.status).toBe('tampered');
      expect(result.problem?.kind).toBe('truncated');
      expect(result.problem?.file).toBe(files[last]);
    });

    it('should name a deleted middle file after rotation', async () => {
      await unlink(file(1));
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'deleted', file: files[2], line: 1 });
      expect(result.message).toContain(`the file ${files[1]} was deleted`);
    });

    it('should report a deleted first file', async () => {
      await unlink(file(0));
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'deleted', file: files[1], line: 1, expectedSeq: 1 });
    });

    it('should not take deleted first files for retention on a retention record left as a torn last line', async () => {
      // A valid hash, but in a line the chain never reaches: not a proof.
      await forgeRetention(dir, files, 2, undefined);
      const result = await verifyAuditLog(dir);
      expect(result.status).toBe('tampered');
      expect(result.problem).toMatchObject({ kind: 'deleted', expectedSeq: 1 });
    });

    it('should catch a keyless rewrite of one record through the next record', async () => {
      const lines = await readLines(file(0));
      lines[2] = rehash(lines[2] as string, (b) => b.replace('authn_login_fail', 'authn_login_success'));
      await writeLines(file(0), lines);
      const result = await verifyAuditLog(dir);
      expect(result.problem).toMatchObject({ kind: 'altered', file: files[0], line: 3 });
    });
  });

  describe('torn last line', () => {
    it('should report a partial last line as torn, and the writer should repair it on restart', async () => {
      const last = files.length - 1;
      await appendFile(file(last), '{"seq":101,"ts":"2024-01-01T00:00:00.000Z","prev":"ab');
      const torn = await verifyAuditLog(dir);
      expect(torn.status).toBe('torn');
      expect(torn.problem).toMatchObject({ kind: 'torn', file: files[last] });
      expect(torn.records).toBe(100);

      const log = createAuditLog({ dir, fsync: false, diagnostics: quiet });
      await log.ready();
      expect(log.stats.repairs).toBe(1);
      log.append({ type: 'authentication', time: 1, id: 'after-restart' });
      await log.close();
      const repaired = await verifyAuditLog(dir);
      expect(repaired.status).toBe('ok');
      expect(repaired.records).toBe(102);
      const text = (await readLines(join(dir, (await segments(dir)).at(-1) as string))).join('\n');
      expect(text).toContain('"sys":{"op":"repair"');
    });
  });
});

describe('verifyAuditLog with an HMAC key', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let files: string[];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    files = await buildLog(dir, 60, KEY);
  });
  afterEach(() => cleanup());

  it('should verify OK with the key', async () => {
    const result = await verifyAuditLog(dir, { key: KEY });
    expect(result).toMatchObject({ status: 'ok', records: 60, macChecked: true });
  });

  it('should name a record rewritten with a valid hash but no key', async () => {
    const path = join(dir, files[0] as string);
    const lines = await readLines(path);
    const line = lines[5] as string;
    const body = line.slice(0, line.indexOf(',"hash":"')).replace('authn_login_fail', 'authn_login_success');
    const hash = createHash('sha256').update(body).digest('hex');
    lines[5] = `${body},"hash":"${hash}","mac":"${createHmac('sha256', 'wrong-key').update(body).digest('hex')}"}`;
    await writeLines(path, lines);
    const result = await verifyAuditLog(dir, { key: KEY });
    expect(result.problem).toMatchObject({ kind: 'altered', file: files[0], line: 6 });
    expect(result.message).toContain('HMAC');
  });

  it('should not take deleted first files for retention on a forged retention record left as a torn last line', async () => {
    await forgeRetention(dir, files, 1, 'attacker-key');
    const result = await verifyAuditLog(dir, { key: KEY });
    expect(result.status).toBe('tampered');
    expect(result.problem).toMatchObject({ kind: 'deleted', expectedSeq: 1 });
  });

  it('should refuse the log under a wrong key', async () => {
    const result = await verifyAuditLog(dir, { key: 'another-key' });
    expect(result.status).toBe('tampered');
    expect(result.problem?.line).toBe(1);
  });

  it('should detect an altered head file', async () => {
    const headPath = join(dir, 'audit.head.json');
    const head = JSON.parse(await readFile(headPath, 'utf8')) as { seq: number };
    head.seq = 50;
    await writeFile(headPath, JSON.stringify(head));
    const result = await verifyAuditLog(dir, { key: KEY });
    expect(result.problem).toMatchObject({ kind: 'altered', file: 'audit.head.json' });
  });
});
