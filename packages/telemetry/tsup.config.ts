import { defineConfig } from 'tsup';

/**
 * One build for every entry so shared modules land in shared chunks. The root and `./browser`
 * are isomorphic (no `node:` imports); `./node` is Node-only and reachable only by its subpath.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'node/index': 'src/node/index.ts',
    'browser/index': 'src/browser/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  treeshake: true,
  splitting: true,
  platform: 'neutral',
  target: 'es2020',
  tsconfig: 'tsconfig.build.json',
  external: [/^node:/, /^@lookout\//, /^@opentelemetry\//, /^@sentry\//, 'zod', /^zod\//, 'web-vitals', /^web-vitals\//],
});
