import { defineProject } from 'vitest/config';
import { lookoutAliases } from '../../vitest.config.js';

export default defineProject({
  resolve: { alias: lookoutAliases },
  test: {
    name: 'viewer',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
