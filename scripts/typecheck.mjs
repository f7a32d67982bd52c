// Typechecks the whole workspace, then each package against its own platform settings
// (packages/*/tsconfig.json: isomorphic or browser; tsconfig.node.json: Node-only subpaths),
// so that a stray `process` or `document` in platform-neutral code fails.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = `${root}node_modules/typescript/bin/tsc`;
const projects = ['tsconfig.json'];
for (const pkg of readdirSync(`${root}packages`).sort()) {
  for (const file of ['tsconfig.json', 'tsconfig.node.json']) {
    const path = `packages/${pkg}/${file}`;
    if (existsSync(`${root}${path}`) && existsSync(`${root}packages/${pkg}/src`)) projects.push(path);
  }
}
let failed = 0;
for (const project of projects) {
  try {
    execFileSync(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: root, stdio: 'inherit' });
    console.log(`typecheck ok   ${project}`);
  } catch {
    console.error(`typecheck FAIL ${project}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
