// Runs the CLI fixture (test/fixtures/cliScript.ts, bundled once per test file) as a child process.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { bundleFixture } from '../../../../testing/bundleFixture.js';

let script: Promise<string> | undefined;

export interface CliRun {
  /** Ids the CLI tracked (`dropped` for a refused event). */
  ids: string[];
  code: number | null;
  ms: number;
  stderr: string;
}

/** Tracks `count` events against `endpoint` with a spool in `directory`, then exits the `mode` way (see the fixture). */
export async function runCli(endpoint: string, directory: string, count: number, mode = 'natural', env: Record<string, string> = {}): Promise<CliRun> {
  script ??= bundleFixture(resolve(import.meta.dirname, '../fixtures/cliScript.ts'));
  const path = await script;
  return new Promise<CliRun>((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path, endpoint, directory, String(count), mode], { env: { ...process.env, ...env, DO_NOT_TRACK: env.DO_NOT_TRACK ?? '' } });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      done({ ids: line === undefined ? [] : (JSON.parse(line) as { ids: string[] }).ids, code, ms: Date.now() - started, stderr });
    });
  });
}
