import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, requireBuilt, runNode } from './helpers/runNode.js';

// The cold-start budget (≤ 20 ms over `node -e 0`, bench/scenarios/node-exit.mjs) depends on what
// the startup path loads; this guards it without timing anything.
describe('initMonitoring', () => {
  describe('startup path', () => {
    it('should load none of the built-in modules that are only needed later', async () => {
      requireBuilt('core', 'node');
      const run = await runNode(['packages/node/test/fixtures/startupModules.mjs'], {});
      expect(run.code, run.stderr).toBe(0);
      const loaded = (JSON.parse(run.stdout) as string[]).map((m) => m.replace('NativeModule ', ''));
      // worker_threads (role check), stream (an ESM import of node:fs), perf_hooks (the global
      // `performance`), os, http, v8, cluster, fs/promises (statfs): each costs startup time.
      for (const heavy of ['worker_threads', 'internal/worker', 'stream', 'internal/fs/streams', 'perf_hooks', 'os', 'http', 'v8', 'cluster', 'child_process', 'net']) {
        expect(loaded, `${heavy} is loaded at startup`).not.toContain(heavy);
      }
    });

    it('should read one file of @lookout/node: the ESM entry imports no chunk of its own statically', () => {
      requireBuilt('node');
      const entry = readFileSync(`${ROOT}packages/node/dist/index.js`, 'utf8');
      // A module shared between the entry and a lazily imported one (the part loaders, the scrape
      // server) becomes a chunk that every start-up would read and compile as a file of its own.
      const staticImports = [...entry.matchAll(/^(?:import|export)\b[^;]*?from\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
      expect(staticImports.length).toBeGreaterThan(0);
      expect(staticImports.filter((specifier) => specifier!.startsWith('.'))).toEqual([]);
    });
  });
});
