import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleFixture } from '../../../../testing/bundleFixture.js';
import { acquireAuditLock } from '../../src/audit-log/writerLock.js';
import { deadPid, tempDir } from '../helpers/auditFiles.js';

describe('acquireAuditLock', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('should give a stale lock to exactly one of many writers racing in one process, and never remove the lock the winner took', async () => {
    const path = join(dir, 'audit.lock');
    const stale = JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: '2025-01-01T00:00:00.000Z', token: 'stale' });
    for (let round = 0; round < 60; round++) {
      await writeFile(path, stale);
      const results = await Promise.all(Array.from({ length: 8 }, () => acquireAuditLock(path)));
      const winners = results.flatMap((r) => (r.kind === 'acquired' ? [r.lock] : []));
      expect(winners, `round ${round}`).toHaveLength(1);
      const [winner] = winners;
      expect(JSON.parse(await readFile(path, 'utf8')).token).toBe(winner!.owner.token);
      expect(await winner!.stillHeld()).toBe(true);
      await winner!.release();
    }
  });

  it('should keep a lock that goes stale over and over to one writer at a time across processes', async () => {
    const script = await bundleFixture(resolve(import.meta.dirname, '../fixtures/lockContender.ts'));
    const startAt = Date.now() + 1500;
    const runs = Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, [script, dir, String(startAt), '3000', String(deadPid())]));
    const reports = (await Promise.all(runs)).map((r) => JSON.parse(r.stdout) as { acquired: number; overlaps: number; lost: number });
    // Enough takeovers to have raced: each one after the first is of a stale lock.
    expect(reports.reduce((n, r) => n + r.acquired, 0)).toBeGreaterThan(50);
    expect(reports.map((r) => [r.overlaps, r.lost])).toEqual(reports.map(() => [0, 0]));
  }, 20_000);
});
