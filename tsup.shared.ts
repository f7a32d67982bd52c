import type { Options } from 'tsup';

/**
 * Never bundle a dependency into a package's dist (STYLE §5): the host's bundler and package
 * manager resolve them once, and OpenTelemetry and Sentry stay shared with the host.
 */
export const EXTERNAL: NonNullable<Options['external']> = [/^node:/, /^@lookout\//, /^@opentelemetry\//, /^@sentry\//, 'zod', /^zod\//, 'web-vitals', /^web-vitals\//];

/**
 * The build every Lookout package uses: one tsup build for all of its entries (one per exports
 * subpath, kept in sync with package.json), ESM + CJS + `.d.ts`, with code splitting so that
 * entries of one package share modules instead of each carrying a copy. Browser-reachable
 * packages target ES2020; Node-only ones Node 20.
 */
export function packageBuild(entry: Record<string, string>, platform: 'neutral' | 'browser' | 'node', extra: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    treeshake: true,
    splitting: true,
    platform,
    target: platform === 'node' ? 'node20' : 'es2020',
    tsconfig: 'tsconfig.build.json',
    external: EXTERNAL,
    ...extra,
  };
}
