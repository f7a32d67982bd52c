import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig(packageBuild({
  index: 'src/index.ts',
  'sentry-node/index': 'src/sentry-node/index.ts',
  'sentry-browser/index': 'src/sentry-browser/index.ts',
  'page/index': 'src/page/index.ts',
  'lite/index': 'src/lite/index.ts',
}, 'neutral'));
