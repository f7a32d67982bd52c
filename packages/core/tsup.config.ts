import { defineConfig } from 'tsup';

/**
 * One build for every entry so shared modules land in shared chunks (ESM and CJS alike) and each
 * entry point imports the same registry code, never a private copy. The root and `./sdk` are
 * isomorphic; `./prometheus` is Node-only, which only its `node:` imports show.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'sdk/index': 'src/sdk/index.ts',
    'prometheus/index': 'src/prometheus/index.ts',
    'budgets/index': 'src/budgets/index.ts',
    'generate/index': 'src/generate/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  treeshake: true,
  splitting: true,
  platform: 'neutral',
  target: 'es2020',
  tsconfig: 'tsconfig.build.json',
  external: [/^node:/, /^@opentelemetry\//, 'zod', /^zod\//],
});
