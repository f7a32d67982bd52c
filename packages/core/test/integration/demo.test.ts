import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getFreePort, pollUntil, promtoolCheckMetrics } from '../../../../testing/backends.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('npm run demo', () => {
  it('should serve the pipeline metrics on embedded defaults, print where to look, and stop cleanly', async () => {
    if (!existsSync(`${root}packages/core/dist/index.js`)) throw new Error('packages/core/dist is missing: run `npm run build` first (npm test does)');
    if (!existsSync(`${root}packages/node/dist/index.js`)) throw new Error('packages/node/dist is missing: run `npm run build` first (npm test does)');
    const [port, serverPort, serverMetricsPort] = [await getFreePort(), await getFreePort(), await getFreePort()];
    const child = spawn(
      process.execPath,
      ['examples/demo/demo.mjs', '--duration', '8', '--port', String(port), '--server-port', String(serverPort), '--server-metrics-port', String(serverMetricsPort)],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}/metrics`;
    const body = await pollUntil(
      'demo metrics',
      async () => {
        const res = await fetch(url).catch(() => undefined);
        const text = res?.ok ? await res.text() : '';
        // Wait for the first pipeline run to have recorded its stages, not only for the families to exist.
        return text.includes('demo_files_analyzed_total') && text.includes('demo_pipeline_stage_duration_seconds_bucket{') ? text : undefined;
      },
      20_000,
    );
    expect(body).toMatch(/demo_pipeline_stage_duration_seconds_bucket\{stage="parse",model="model-a",outcome="success",le="0\.01"\} \d+/);
    expect(body).toContain('demo_startup_duration_seconds_count 1');
    expect(body).toContain('# TYPE demo_function_calls_total counter');
    expect(promtoolCheckMetrics(body).problems).toEqual([]);
    expect(await exited).toBe(0);
    expect(stdout).toContain(`Metrics: ${url}`);
    expect(stdout).toContain('Where to look:');
    expect(stdout).toMatch(/After \d+ pipeline run\(s\): \d+ metric families/);
    // The server, CLI and library examples ran too.
    expect(stdout).toContain('answered 401, 401, 401, 401, 401, 429');
    expect(stdout).toContain(`its metrics: http://127.0.0.1:${serverMetricsPort}/metrics`);
    expect(stdout).toMatch(/analyze: 2 file\(s\) through 3 stages/);
    expect(stdout).toContain('without an SDK: without an SDK nothing was recorded (0 calls counted)');
    expect(stdout).toMatch(/with initMonitoring\(\): exported \([1-9]\d* calls\)/);
    // The series themselves, under that line.
    expect(stdout).toMatch(/calls\):\n {4}textkit_function_calls_total\{function="countWords",outcome="success"\} 1\n/);
  }, 60_000);
});
