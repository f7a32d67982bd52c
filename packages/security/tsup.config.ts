import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    'index': 'src/index.ts',
    'audit-log/index': 'src/audit-log/index.ts',
    'syslog/index': 'src/syslog/index.ts',
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
