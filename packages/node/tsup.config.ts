import { defineConfig } from 'tsup';

// One entry per exports subpath (plus the `lookout` bin), kept in sync with package.json.
export default defineConfig([
  {
    entry: {
      'index': 'src/index.ts',
      'register/index': 'src/register/index.ts',
      'cli/index': 'src/cli/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    treeshake: true,
    splitting: true,
    // `import.meta.url` (for lazy require) in the CommonJS build.
    shims: true,
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
    external: [/^node:/, /^@lookout\//, /^@opentelemetry\//, /^@sentry\//, 'zod', /^zod\//, 'web-vitals', /^web-vitals\//],
  },
  {
    entry: { 'cli/bin': 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
    external: [/^node:/, /^@lookout\//, /^@opentelemetry\//, /^@sentry\//, 'zod', /^zod\//],
  },
]);
