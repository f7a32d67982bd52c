import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The root, `./sdk`, `./budgets`, `./generate` and `./page` are isomorphic; `./prometheus` is Node-only,
// which only its `node:` imports show. Code splitting gives every entry the same registry code.
// `./page` is built on its own: it holds no registry, its shared state (diagnostics, beacon
// budget) lives on `globalThis`, and splitting it with the root would cut the root into more
// chunks, each one more module for Node's loader at every cold start.
export default defineConfig([
  packageBuild(
    {
      index: 'src/index.ts',
      'sdk/index': 'src/sdk/index.ts',
      'prometheus/index': 'src/prometheus/index.ts',
      'budgets/index': 'src/budgets/index.ts',
      'generate/index': 'src/generate/index.ts',
    },
    'neutral',
  ),
  packageBuild({ 'page/index': 'src/page/index.ts' }, 'neutral', { clean: false }),
]);
