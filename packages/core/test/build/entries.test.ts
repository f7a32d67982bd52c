import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built root is one file and the subpaths carry their own copy of the registry code
// (packages/core/tsup.config.ts). These run the built entries together in a fresh Node process,
// as a host would, in both module formats: what one entry makes, the others must read.
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/**
 * A script that loads the root and three subpaths with `load` (`import` or `require` of the
 * entry's file with extension `ext`), then reads one registry through each.
 */
function script(load: 'await import' | 'require', ext: 'js' | 'cjs'): string {
  const entry = (name: string): string => `${load}(${JSON.stringify(`${dist}${name}.${ext}`)})`;
  return `
    (async () => {
      const core = ${entry('index')};
      const prometheus = ${entry('prometheus/index')};
      const sdk = ${entry('sdk/index')};
      const budgets = ${entry('budgets/index')};
      const { resourceFromAttributes } = ${load}('@opentelemetry/resources');
      const registry = core.createMetricsRegistry();
      registry.histogram('job.duration', { unit: 's', buckets: [1, 2] }).record(1.5);
      registry.counter('jobs').add(2);
      const fromRoot = await core.renderPrometheus(registry);
      const fromSubpath = await prometheus.renderPrometheus(registry);
      const collected = await sdk.createOtelMetricProducer(registry, resourceFromAttributes({})).collect();
      const points = collected.resourceMetrics.scopeMetrics[0].metrics.find((m) => m.descriptor.name === 'job.duration').dataPoints;
      const sample = budgets.readBudgetSample(registry, { metric: 'job.duration', aggregation: 'p50' }, 0);
      const scrapeDefault = prometheus.createPrometheusHandler();
      core.getDefaultRegistry().counter('defaults').add(1);
      console.log(JSON.stringify({
        same: fromRoot === fromSubpath,
        bucket: fromSubpath.includes('job_duration_seconds_bucket{le="2"} 1'),
        otlpHistogram: points.length === 1 && points[0].value.count === 1 && points[0].value.sum === 1.5,
        budgetSample: sample?.count === 1 && sample.counts?.join() === '0,1,0',
        defaultRegistryShared: (await scrapeDefault()).body.includes('defaults_total 1'),
      }));
    })();`;
}

describe('built entries', () => {
  const expected = { same: true, bucket: true, otlpHistogram: true, budgetSample: true, defaultRegistryShared: true };

  it('should load the root as one module with no imports of its own', () => {
    expect(existsSync(`${dist}index.js`), 'packages/core/dist is missing: run npm run build').toBe(true);
    for (const file of ['index.js', 'index.cjs']) expect(readFileSync(`${dist}${file}`, 'utf8')).not.toMatch(/\bfrom\s*["']\.|require\(["']\.|import\(["']\./);
  });

  it('should read a registry made by the root through every subpath (ES modules)', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script('await import', 'js')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('should read a registry made by the root through every subpath (CommonJS)', () => {
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script('require', 'cjs')], { encoding: 'utf8', cwd: dist });
    expect(JSON.parse(out)).toEqual(expected);
  });
});
