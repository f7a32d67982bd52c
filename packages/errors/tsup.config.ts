import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    'index': 'src/index.ts',
    'sentry-node/index': 'src/sentry-node/index.ts',
    'sentry-browser/index': 'src/sentry-browser/index.ts',
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
