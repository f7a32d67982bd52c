import { defineConfig } from 'tsup';

const common = {
  format: ['esm', 'cjs'] as const,
  dts: true,
  sourcemap: true,
  treeshake: true,
  target: 'es2020',
  tsconfig: 'tsconfig.build.json',
};

export default defineConfig([
  // Isomorphic entries: no Node built-ins, no DOM.
  { ...common, platform: 'neutral', entry: { index: 'src/index.ts', 'sdk/index': 'src/sdk/index.ts' } },
  // Node-only: the scrape server and Pushgateway client.
  { ...common, platform: 'node', entry: { 'prometheus/index': 'src/prometheus/index.ts' } },
]);
