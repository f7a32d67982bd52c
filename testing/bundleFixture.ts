import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

/** An esbuild plugin that resolves `@lookout/<pkg>[/<sub>]` to the package sources, as the tests do. */
export const lookoutSources: Plugin = {
  name: 'lookout-src',
  setup(b) {
    b.onResolve({ filter: /^@lookout\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
      const [, pkg, sub] = /^@lookout\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(args.path) as RegExpExecArray;
      return { path: join(ROOT, 'packages', pkg as string, 'src', sub ?? '', 'index.ts') };
    });
  },
};

/**
 * Bundles a test fixture (TypeScript, importing `@lookout/*` by name) into one Node (CJS) or browser (IIFE) file
 * that runs against the package sources, as the test suite does. Returns its path.
 */
export async function bundleFixture(entry: string, platform: 'node' | 'browser' = 'node'): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'lookout-fixture-')), platform === 'node' ? 'script.cjs' : 'app.js');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform,
    format: platform === 'node' ? 'cjs' : 'iife',
    target: platform === 'node' ? 'node20' : 'es2020',
    logLevel: 'silent',
    plugins: [lookoutSources],
  });
  return outfile;
}
