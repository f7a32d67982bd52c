// Helpers of the browser-safety tests: bundle package sources for browsers, and record which
// globals a bundle reads when it is loaded.
import { resolve } from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { expect } from 'vitest';
import { lookoutSources } from '../../../../testing/bundleFixture.js';

const ROOT = resolve(import.meta.dirname, '../../../..');

/** Bundles `code` for browsers from the package sources; returns the script and every input file. */
export async function bundleForBrowser(code: string): Promise<{ text: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: code, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    plugins: [lookoutSources],
  });
  // Warnings are errors: a Node built-in reached, a missing export, an import that cannot be resolved.
  expect(result.warnings.map((w) => w.text)).toEqual([]);
  return { text: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) };
}

/** Runs `text` in a fresh context whose globals are recorded when read; returns the names read. */
export function globalsReadAtImport(text: string): string[] {
  const touched = new Set<string>();
  const builtins = new Set(Object.getOwnPropertyNames(globalThis).filter((k) => /^[A-Z]/.test(k) && typeof (globalThis as Record<string, unknown>)[k] === 'function'));
  const sandbox: Record<string | symbol, unknown> = new Proxy({} as Record<string | symbol, unknown>, {
    get(target, key) {
      // `globalThis.x` reads go through the same recorder as bare `x`.
      if (key === 'globalThis' || key === 'self' || key === 'window') return sandbox;
      if (typeof key === 'string' && !builtins.has(key) && !['undefined', 'Math', 'JSON', 'Reflect', 'Symbol', 'Intl'].includes(key)) touched.add(key);
      return key in target ? target[key] : (globalThis as Record<string | symbol, unknown>)[key];
    },
    set(target, key, value) {
      target[key] = value;
      return true;
    },
    has: () => true,
  });
  vm.createContext(sandbox);
  vm.runInContext(text, sandbox);
  return [...touched].sort();
}

