import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The root, `./sdk`, `./budgets`, `./generate` and `./page` are isomorphic; `./prometheus` is Node-only,
// which only its `node:` imports show. Code splitting gives every entry the same registry code.
export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      'sdk/index': 'src/sdk/index.ts',
      'prometheus/index': 'src/prometheus/index.ts',
      'budgets/index': 'src/budgets/index.ts',
      'generate/index': 'src/generate/index.ts',
      'page/index': 'src/page/index.ts',
    },
    'neutral',
  ),
);
