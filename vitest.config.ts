import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Tests import sibling packages by name and run against their sources, so no build is needed:
 * `@lookout/x` maps to packages/x/src/index.ts and `@lookout/x/sub` to packages/x/src/sub/index.ts.
 */
export const lookoutAliases = [
  { find: /^@lookout\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@lookout\/([a-z-]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
];

export default defineConfig({
  resolve: { alias: lookoutAliases },
  test: {
    projects: ['packages/*', 'testing'],
    restoreMocks: true,
  },
});
