import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string>; files: string[] };

// npm links a package's commands when it is installed: in this repository that is before the
// build, so a command pointing into dist/ was never linked and `npx lookout` found nothing.
describe('the lookout command', () => {
  it('should point at a file that exists before the build and is published', () => {
    const target = pkg.bin.lookout!;
    expect(target.startsWith('./dist/')).toBe(false);
    expect(existsSync(fileURLToPath(new URL(`../${target}`, import.meta.url)))).toBe(true);
    expect(pkg.files).toContain(target.replace(/^\.\//, '').split('/')[0]);
  });

  it('should run as the command npm links, after the build', () => {
    const run = spawnSync(`${root}node_modules/.bin/lookout`, ['--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: lookout <command>/);
  });
});
