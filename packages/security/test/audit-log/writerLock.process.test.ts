import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '@lookout/security/audit-log';
import { bundleFixture } from '../../../../testing/bundleFixture.js';
import { readLines, segments, tempDir } from '../helpers/auditFiles.js';

interface Report {
  what: string;
  pid: number;
  writer: boolean;
  stats: { appended: number; written: number; dropped: number; lockDropped: number; takeovers: number };
  droppedMetric: number;
  result?: { ok: boolean; lastSeq: number; pending: number };
}

/** One audit-log writer in its own Node process (the fixture bundled from the sources). */
class WriterProcess {
  readonly diags: string[] = [];
  private readonly _reports: Report[] = [];
  private _waiters: Array<(r: Report) => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as Report & { diag?: string; message?: string };
      if (msg.diag !== undefined) this.diags.push(`${msg.diag}: ${msg.message}`);
      else {
        const waiter = this._waiters.shift();
        if (waiter === undefined) this._reports.push(msg);
        else waiter(msg);
      }
    });
    this.exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  }

  /** The next report (the first one is `ready`). */
  next(): Promise<Report> {
    const queued = this._reports.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((done) => this._waiters.push(done));
  }

  send(command: string): Promise<Report> {
    this.child.stdin.write(`${command}\n`);
    return this.next();
  }
}

let script: string;
const children: WriterProcess[] = [];
beforeAll(async () => {
  script = await bundleFixture(resolve(import.meta.dirname, '../fixtures/auditWriter.ts'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

async function startWriter(dir: string, name: string): Promise<{ w: WriterProcess; ready: Report }> {
  const w = new WriterProcess(spawn(process.execPath, [script, dir, name], { stdio: ['pipe', 'pipe', 'inherit'] }));
  children.push(w);
  return { w, ready: await w.next() };
}

/** Flushes until the writer holds the lock (it retries on its own every ≤ 200 ms). */
async function untilWriter(w: WriterProcess, timeoutMs = 5000): Promise<Report> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await w.send('flush');
    if (r.writer || Date.now() > until) return r;
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function actors(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await segments(dir)) for (const line of await readLines(join(dir, f))) out.push((JSON.parse(line) as { event: { actor: string } }).event.actor);
  return out;
}

describe('createAuditLog', () => {
  describe('writer lock (separate processes)', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir()));
    afterEach(() => cleanup());

    it('should let only one of two concurrent writers write, count the other\'s records as dropped, and keep the chain whole', async () => {
      const a = await startWriter(dir, 'A');
      expect(a.ready.writer).toBe(true);
      await a.w.send('append 5');
      expect((await a.w.send('flush')).result).toMatchObject({ ok: true, lastSeq: 5 });
      const b = await startWriter(dir, 'B');
      expect(b.ready.writer).toBe(false);
      expect(b.w.diags.filter((d) => d.includes('is locked by another writer'))).toHaveLength(1);
      expect(b.w.diags[0]).toContain(`pid ${a.ready.pid}`);
      expect(b.w.diags[0]).toContain(dir);
      await b.w.send('append 4');
      await a.w.send('append 5');
      expect((await b.w.send('flush')).result).toMatchObject({ ok: false, pending: 4 });
      expect((await a.w.send('flush')).result).toMatchObject({ ok: true, lastSeq: 10 });
      const closedB = await b.w.send('close');
      expect(closedB.stats).toMatchObject({ appended: 4, written: 0, dropped: 4, lockDropped: 4 });
      expect(closedB.droppedMetric).toBe(4);
      expect(b.w.diags.filter((d) => d.includes('is locked by another writer'))).toHaveLength(1);
      await a.w.send('close');
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 10, lastSeq: 10 });
      expect(new Set(await actors(dir))).toEqual(new Set(['A']));
    });

    it('should make exactly one of two writers started at the same moment the writer', async () => {
      const [a, b] = await Promise.all([startWriter(dir, 'A'), startWriter(dir, 'B')]);
      expect([a.ready.writer, b.ready.writer].sort()).toEqual([false, true]);
      await Promise.all([a.w.send('append 50'), b.w.send('append 50')]);
      const [ra, rb] = await Promise.all([a.w.send('flush'), b.w.send('flush')]);
      expect([ra.result?.ok, rb.result?.ok].sort()).toEqual([false, true]);
      const winner = a.ready.writer ? 'A' : 'B';
      const [first, second] = winner === 'A' ? [a, b] : [b, a];
      // The loser closes first (while still locked out): its records are dropped and counted.
      expect((await second.w.send('close')).stats).toMatchObject({ written: 0, lockDropped: 50 });
      await first.w.send('close');
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 50 });
      expect(new Set(await actors(dir))).toEqual(new Set([winner]));
    });

    it('should take over the lock of a SIGKILLed writer, write what waited, and verify across the takeover', async () => {
      const a = await startWriter(dir, 'A');
      await a.w.send('append 3');
      await a.w.send('flush');
      const b = await startWriter(dir, 'B');
      expect(b.ready.writer).toBe(false);
      await b.w.send('append 2');
      a.w.child.kill('SIGKILL');
      expect((await a.w.exited).signal).toBe('SIGKILL');
      expect(existsSync(join(dir, 'audit.lock'))).toBe(true);
      const took = await untilWriter(b.w);
      expect(took.writer).toBe(true);
      expect(took.stats.takeovers).toBe(1);
      expect(took.result).toMatchObject({ ok: true, lastSeq: 5 });
      expect(b.w.diags.some((d) => d.includes(`took over the lock of ${dir} from a writer that is gone (pid ${a.ready.pid}`))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'audit.lock'), 'utf8'))).toMatchObject({ pid: b.ready.pid });
      await b.w.send('append 1');
      expect((await b.w.send('close')).stats).toMatchObject({ written: 3, dropped: 0 });
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 6 });
      expect(await actors(dir)).toEqual(['A', 'A', 'A', 'B', 'B', 'B']);
    });

    it('should take a SIGKILLed writer\'s stale lock when a new process starts', async () => {
      const a = await startWriter(dir, 'A');
      await a.w.send('append 2');
      await a.w.send('flush');
      a.w.child.kill('SIGKILL');
      await a.w.exited;
      const b = await startWriter(dir, 'B');
      expect(b.ready).toMatchObject({ writer: true, stats: { takeovers: 1 } });
      await b.w.send('append 2');
      await b.w.send('close');
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 4 });
    });

    it('should release the lock on close, so a waiting writer takes over without a takeover', async () => {
      const a = await startWriter(dir, 'A');
      await a.w.send('append 1');
      const b = await startWriter(dir, 'B');
      await b.w.send('append 1');
      await a.w.send('close');
      expect(existsSync(join(dir, 'audit.lock'))).toBe(false);
      expect(a.w.child.exitCode).toBe(null);
      const took = await untilWriter(b.w);
      expect(took).toMatchObject({ writer: true, stats: { takeovers: 0 }, result: { ok: true, lastSeq: 2 } });
      await b.w.send('close');
      expect(await actors(dir)).toEqual(['A', 'B']);
      expect(await verifyAuditLog(dir)).toMatchObject({ status: 'ok', records: 2 });
    });

    it('should release the lock at process exit without close', async () => {
      const a = await startWriter(dir, 'A');
      await a.w.send('append 1');
      await a.w.send('flush');
      expect(existsSync(join(dir, 'audit.lock'))).toBe(true);
      a.w.child.stdin.write('exit\n');
      expect(await a.w.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(join(dir, 'audit.lock'))).toBe(false);
      const b = await startWriter(dir, 'B');
      expect(b.ready).toMatchObject({ writer: true, stats: { takeovers: 0 } });
      await b.w.send('close');
    });
  });
});
