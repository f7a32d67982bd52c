import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { AUDIT_VERIFY_EXIT, createAuditLog, runAuditVerifyCommand } from '@lookout/security/audit-log';
import { readLines, segments, tempDir, writeLines } from '../helpers/auditFiles.js';

function io(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env } };
}

describe('runAuditVerifyCommand', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    const log = createAuditLog({ dir, key: 'sekrit', fsync: false, diagnostics: createDiagnostics({ level: 'none' }) });
    for (let i = 0; i < 10; i++) log.append({ type: 'authorization', outcome: 'denied', time: i, id: `e${i}` });
    await log.close();
  });
  afterEach(() => cleanup());

  it('should print OK and exit 0 for an intact log, with the key from the environment', async () => {
    const { out, io: streams } = io({ AUDIT_KEY: 'sekrit' });
    expect(await runAuditVerifyCommand([dir, '--key-env', 'AUDIT_KEY'], streams)).toBe(AUDIT_VERIFY_EXIT.OK);
    expect(out.stdout).toMatch(/^OK: 10 records in 1 file/);
    expect(out.stdout).not.toContain('sekrit');
  });

  it('should print file:line of the first problem and exit 1 when tampered', async () => {
    const file = join(dir, (await segments(dir))[0] as string);
    const lines = await readLines(file);
    lines.splice(3, 1);
    await writeLines(file, lines);
    const keyFile = join(dir, 'key.txt');
    await writeFile(keyFile, 'sekrit\n');
    const { out, io: streams } = io();
    expect(await runAuditVerifyCommand([dir, '--key-file', keyFile], streams)).toBe(AUDIT_VERIFY_EXIT.TAMPERED);
    expect(out.stderr).toContain(`TAMPERED: ${(await segments(dir))[0]}:4: record 4 is missing`);
  });

  it('should exit 3 for a torn last line and print JSON with --json', async () => {
    const file = join(dir, (await segments(dir))[0] as string);
    await writeFile(file, '{"seq":11,"ts":"x', { flag: 'a' });
    const { out, io: streams } = io();
    expect(await runAuditVerifyCommand(['--json', dir], streams)).toBe(AUDIT_VERIFY_EXIT.TORN);
    expect(JSON.parse(out.stdout)).toMatchObject({ status: 'torn', records: 10 });
  });

  it('should refuse a key on the command line and bad arguments with exit 2', async () => {
    const a = io();
    expect(await runAuditVerifyCommand([dir, '--key', 'sekrit'], a.io)).toBe(AUDIT_VERIFY_EXIT.ERROR);
    expect(a.out.stderr).toContain('--key-file');
    const b = io();
    expect(await runAuditVerifyCommand([], b.io)).toBe(AUDIT_VERIFY_EXIT.ERROR);
    expect(b.out.stderr).toContain('usage: lookout audit verify');
    const c = io();
    expect(await runAuditVerifyCommand([join(dir, 'nope')], c.io)).toBe(AUDIT_VERIFY_EXIT.ERROR);
    const d = io();
    expect(await runAuditVerifyCommand([dir, '--key-env', 'MISSING'], d.io)).toBe(AUDIT_VERIFY_EXIT.ERROR);
  });

  it('should never reject, whatever it is given', async () => {
    const broken = { stdout: { write: () => { throw new Error('closed'); } }, stderr: { write: () => { throw new Error('closed'); } } };
    await expect(runAuditVerifyCommand(null as unknown as string[], broken)).resolves.toBe(AUDIT_VERIFY_EXIT.ERROR);
    await expect(runAuditVerifyCommand([dir, '--help'], broken)).resolves.toBe(AUDIT_VERIFY_EXIT.OK);
  });
});
