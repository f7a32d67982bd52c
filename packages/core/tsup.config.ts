import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The root, `./sdk`, `./budgets`, `./generate` and `./page` are isomorphic; `./prometheus` is Node-only,
// which only its `node:` imports show.
//
// The root is one file of its own: every ES module is a separate load for Node, and when the root
// shared chunks with the subpaths it was six, a third of its cold start. So the subpaths carry
// their own copy of the registry code (split among themselves), and read a registry made by the
// root structurally: no `instanceof` across entries, process-wide state on `globalThis` (default
// registry, diagnostics, beacon budget), as `./page` always has. A test in test/build runs the
// built entries together. The declarations are one build for all five, so a registry type from
// the root is the same type in every subpath.
const shared = {
  index: 'src/index.ts',
  'sdk/index': 'src/sdk/index.ts',
  'prometheus/index': 'src/prometheus/index.ts',
  'budgets/index': 'src/budgets/index.ts',
  'generate/index': 'src/generate/index.ts',
};
const { index, ...subpaths } = shared;

export default defineConfig([
  packageBuild({ index }, 'neutral', { dts: false }),
  packageBuild(subpaths, 'neutral', { dts: false }),
  packageBuild(shared, 'neutral', { dts: { only: true } }),
  packageBuild({ 'page/index': 'src/page/index.ts' }, 'neutral'),
]);
