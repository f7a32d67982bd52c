import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh temp directory; remove it with `cleanup`. */
export async function tempDir(prefix = 'lookout-audit-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh temp directory for each test of the enclosing `describe`, removed after it: call the result inside a test. */
export function tempDirEachTest(prefix?: string): () => string {
  let current: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    current = await tempDir(prefix);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('tempDirEachTest: read the directory inside a test');
    return current.dir;
  };
}

/** A valid security event numbered `i`, as the logger hands it to an audit log. */
export function auditEvent(i: number): Record<string, unknown> {
  return { id: `e${i}`, time: i, type: 'api_access', action: 'api_access', outcome: 'success', risk: 'low' };
}

/** A pid no process has: one that just exited (pids are not reused at once on Linux). */
export function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

/** Segment files of a log directory, oldest first. */
export async function segments(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
}

/** The lines of a file (without the trailing empty piece). */
export async function readLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export async function writeLines(path: string, lines: readonly string[]): Promise<void> {
  await writeFile(path, lines.map((l) => `${l}\n`).join(''));
}
