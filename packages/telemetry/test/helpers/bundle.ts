import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../../../..');

/**
 * Bundles a test fixture (TypeScript, importing `@lookout/*` by name) into one Node ESM file
 * that runs against the package sources, as the test suite does. Returns its path.
 */
export async function bundleFixture(entry: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'lookout-telemetry-')), 'script.cjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'lookout-src',
        setup(b) {
          b.onResolve({ filter: /^@lookout\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
            const [, pkg, sub] = /^@lookout\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(args.path) as RegExpExecArray;
            return { path: join(ROOT, 'packages', pkg as string, 'src', sub ?? '', 'index.ts') };
          });
        },
      },
    ],
  });
  return outfile;
}
