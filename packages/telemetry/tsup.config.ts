import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The root, `./browser` and `./page` are isomorphic (no `node:` imports); `./node` is Node-only and reachable only by its subpath.
export default defineConfig(packageBuild({
  index: 'src/index.ts',
  'node/index': 'src/node/index.ts',
  'browser/index': 'src/browser/index.ts',
  'page/index': 'src/page/index.ts',
  'lite/index': 'src/lite/index.ts',
}, 'neutral'));
