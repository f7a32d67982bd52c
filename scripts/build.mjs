// Builds every package that has sources, in dependency order (the order of the root workspaces).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { workspaces } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
for (const dir of workspaces) {
  if (!dir.startsWith('packages/') || !existsSync(`${root}${dir}/src/index.ts`)) continue;
  const t0 = Date.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: `${root}${dir}`, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`built ${dir} in ${Date.now() - t0} ms`);
}
