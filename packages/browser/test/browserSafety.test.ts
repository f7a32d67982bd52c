// Browser safety of @lookout/browser: the entry bundles for browsers with no warning and no
// `node:` module reached, runs where there is no `process`, and does nothing at import time.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, globalsReadAtImport } from './helpers/browserBundle.js';

/** Runs a bundle in a context with timers, console, URL, TextEncoder and crypto, but no `process` and no DOM; returns its globals. */
function runWithoutProcess(text: string): Record<string, unknown> {
  const sandbox: Record<string, unknown> = { failures: [], setTimeout, clearTimeout, console, URL, TextEncoder, crypto: globalThis.crypto };
  vm.createContext(sandbox);
  vm.runInContext(text, sandbox);
  expect(typeof sandbox['process']).toBe('undefined');
  return sandbox;
}

describe('@lookout/browser', () => {
  describe('browser safety', () => {
    it('should bundle for browsers without warnings and without a node: module', async () => {
      const { text, inputs } = await bundleForBrowser("export { initMonitoring, track, shutdown } from '@lookout/browser';");
      expect(inputs.filter((f) => f.startsWith('node:') || f.includes('/node/'))).toEqual([]);
      expect(text).not.toMatch(/require\("node:|from "node:|import\("node:/);
    });

    it('should do no work at import time', async () => {
      const { text } = await bundleForBrowser("import * as lookout from '@lookout/browser'; globalThis.lookout = lookout;");
      // zod keeps its config and schema registry on globalThis when its module loads; nothing of ours runs.
      const zodOwn = ['__zod_globalConfig', '__zod_globalRegistry'];
      expect(globalsReadAtImport(text).filter((k) => k !== 'lookout' && !zodOwn.includes(k))).toEqual([]);
    });

    it('should keep the lite entry free of node: modules and of work at import time', async () => {
      const { text, inputs } = await bundleForBrowser("import * as lite from '@lookout/browser/lite'; globalThis.lookout = lite;");
      expect(inputs.filter((f) => f.startsWith('node:') || f.includes('/node/'))).toEqual([]);
      expect(inputs.filter((f) => f.includes('zod'))).toEqual([]);
      expect(globalsReadAtImport(text).filter((k) => k !== 'lookout')).toEqual([]);
    });

    it('should start the lite entry and track where there is no process and no DOM', async () => {
      const { text } = await bundleForBrowser(`
        import { initMonitoring } from '@lookout/browser/lite';
        const m = initMonitoring({ serviceName: 'shop', endpoint: 'https://collector.example/v1/logs', diagnostics: { warn(code) { globalThis.failures.push(code); } } });
        globalThis.result = m.track('opened', { n: 1 });
        m.shutdown(10);
      `);
      const sandbox = runWithoutProcess(text);
      expect(sandbox['failures']).toEqual([]);
      expect(sandbox['result']).toEqual(expect.any(String));
    });

    it('should start and track where there is no process and no DOM', async () => {
      const { text } = await bundleForBrowser(`
        import { initMonitoring } from '@lookout/browser';
        const m = initMonitoring({ serviceName: 'shop', endpoint: 'https://collector.example/v1/logs', diagnostics: { warn() {}, error() {}, info() {}, debug() {}, internalError(e) { globalThis.failures.push(String(e)); }, counts: {}, enabled: () => false } });
        globalThis.result = m.track('opened', { n: 1 });
        m.shutdown(10);
      `);
      const sandbox = runWithoutProcess(text);
      expect(sandbox['failures']).toEqual([]);
      expect(sandbox['result']).toEqual(expect.any(String));
    });
  });
});
