import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  treeshake: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  external: [/^node:/, /^@lookout\//, 'zod', /^zod\//],
});
