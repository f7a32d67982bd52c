import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

// The benchmark itself is `npm run bench`; this only keeps its scripts runnable (no timing is asserted).
describe('bench scripts', () => {
  it('should run the metrics scenario in quick mode and report every measure for every library', async () => {
    if (!existsSync(`${root}packages/core/dist/index.js`)) throw new Error('packages/core/dist is missing: run `npm run build` first (npm test does)');
    const { stdout } = await run(process.execPath, ['--expose-gc', 'bench/scenarios/metrics.mjs', '--quick'], { cwd: root, timeout: 120_000, maxBuffer: 1 << 24 });
    const r = JSON.parse(stdout);
    for (const kind of ['counter', 'histogram']) {
      for (const lib of ['floor', 'lookoutBound', 'lookoutUnbound', 'promBound', 'promUnbound', 'otel']) expect(r.hotPath[kind][lib], `${kind} ${lib}`).toBeGreaterThan(0);
      for (const lib of ['lookout', 'prom', 'otel']) expect(r.memory[kind][lib], `${kind} memory ${lib}`).toBeGreaterThan(0);
    }
    // Every library rendered all 10,000 series (plus HELP and TYPE lines; OpenTelemetry adds target_info).
    expect(r.exposition.lines.lookout).toBe(10_003);
    expect(r.exposition.lines.prom).toBe(10_003);
    expect(r.exposition.lines.otel).toBeGreaterThanOrEqual(10_003);
    expect(r.instrument.instrumented).toBeGreaterThan(0);
  }, 180_000);
});
