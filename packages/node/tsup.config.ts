import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig([
  packageBuild({ index: 'src/index.ts' }, 'node', { shims: true }),
  packageBuild({ 'register/index': 'src/register/index.ts', 'cli/index': 'src/cli/index.ts' }, 'node', { shims: true, clean: false }),
  packageBuild({ 'cli/bin': 'src/cli/bin.ts' }, 'node', { format: ['esm'], dts: false }),
]);
