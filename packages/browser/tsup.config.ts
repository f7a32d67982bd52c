import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig(packageBuild({ index: 'src/index.ts', 'schema/index': 'src/schema/index.ts', 'lite/index': 'src/lite/index.ts' }, 'browser'));
