import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { bundleFixture } from '../../../../testing/bundleFixture.js';

/** What a child process did. */
export interface FixtureRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
  /** Whether it had to be killed at `killAfterMs`. */
  killed: boolean;
}

/** Bundles `test/fixtures/<name>.ts` (against the package sources) once; resolves to the script's path. */
export function fixtureScript(name: string): Promise<string> {
  return bundleFixture(resolve(import.meta.dirname, '../fixtures', `${name}.ts`));
}

/** Runs `node ...nodeArgs script ...args` with `env` added; kills it after `killAfterMs`. */
export function runFixture(script: string, args: string[], options: { nodeArgs?: string[]; env?: Record<string, string>; killAfterMs?: number } = {}): Promise<FixtureRun> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], { env: { ...process.env, ...(options.env ?? {}) } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const killer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.killAfterMs ?? 20_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(killer);
      done({ code, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
}
