import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The root is isomorphic; `./audit-log` and `./syslog` are Node-only.
export default defineConfig(packageBuild({
  index: 'src/index.ts',
  'audit-log/index': 'src/audit-log/index.ts',
  'syslog/index': 'src/syslog/index.ts',
}, 'neutral'));
