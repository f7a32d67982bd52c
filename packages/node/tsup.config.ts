import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// One entry per exports subpath, kept in sync with package.json, plus the `lookout` bin (ESM only).
export default defineConfig([
  // `shims`: `import.meta.url` (for lazy require) in the CommonJS build.
  packageBuild({ index: 'src/index.ts', 'register/index': 'src/register/index.ts', 'cli/index': 'src/cli/index.ts' }, 'node', { shims: true }),
  packageBuild({ 'cli/bin': 'src/cli/bin.ts' }, 'node', { format: ['esm'], dts: false }),
]);
