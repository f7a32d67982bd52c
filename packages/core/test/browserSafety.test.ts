import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Bundles an entry for browsers; esbuild warnings (e.g. a Node built-in reached) fail the test. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [`${src}${entry}`],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'lookout',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    // OpenTelemetry is loaded lazily by ./sdk; the page's bundler resolves it. Kept out here.
    external: ['@opentelemetry/*'],
  });
  expect(result.warnings.map((w) => w.text)).toEqual([]);
  return result.outputFiles[0]!.text;
}

describe('browser safety', () => {
  it('should bundle the root entry for browsers without warnings and run it where there is no process, require or DOM', async () => {
    const code = await bundle('index.ts');
    expect(code).not.toMatch(/require\("node:|from "node:/);
    const sandbox: Record<string, unknown> = { console: { warn() {}, error() {}, info() {}, debug() {} }, setTimeout, clearTimeout, performance };
    vm.createContext(sandbox);
    vm.runInContext(`${code}
      const r = lookout.createMetricsRegistry();
      r.counter('page.views', { labels: ['route'] }).add(1, { route: '/home' });
      globalThis.__out = lookout.renderPrometheus(r);`, sandbox);
    expect(typeof (sandbox as { process?: unknown }).process).toBe('undefined');
    expect(await (sandbox.__out as Promise<string>)).toContain('page_views_total{route="/home"} 1');
  });

  it('should keep work out of import time', async () => {
    const code = await bundle('index.ts');
    const touched: string[] = [];
    // What a bare context has is ECMAScript's own globals; anything else (process, document,
    // navigator, fetch …) is a platform global that must not be read at import time.
    const ecmascript = new Set<string>(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);
    const sandbox = new Proxy({} as Record<string | symbol, unknown>, {
      get(target, key) {
        if (typeof key === 'string' && key !== 'lookout' && !ecmascript.has(key)) touched.push(key);
        return target[key] ?? (globalThis as Record<string | symbol, unknown>)[key];
      },
      has: () => true,
    });
    vm.createContext(sandbox);
    vm.runInContext(code, sandbox);
    expect(touched).toEqual([]);
  });

  it('should bundle ./sdk for browsers without warnings', async () => {
    const code = await bundle('sdk/index.ts');
    expect(code).not.toMatch(/node:/);
  });
});
