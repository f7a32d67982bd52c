import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Fails with a hint when the built packages the child processes import are missing. */
export function requireBuilt(...packages: string[]): void {
  for (const p of packages) {
    if (!existsSync(`${ROOT}packages/${p}/dist/index.js`)) throw new Error(`packages/${p}/dist is missing: run \`npm run build\` first (npm test does)`);
  }
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

/** Runs `node args…` from the repository root with `env` added; `onStart` gets the child. */
export function runNode(
  args: string[],
  env: Record<string, string>,
  onStart?: (child: ReturnType<typeof spawn>, output: { stdout: () => string }) => void,
  timeoutMs = 30_000,
): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  onStart?.(child, { stdout: () => stdout });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, signal, stdout, stderr, ms: performance.now() - started }));
    });
  });
}
