import { defineProject } from 'vitest/config';

/** Self-tests of the shared backend helpers (testing/backends.ts) against the real binaries. */
export default defineProject({
  test: {
    name: 'testing',
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
