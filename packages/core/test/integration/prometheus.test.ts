import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, createStandardMetrics, instrument, renderPrometheus, type MetricsRegistry } from '@lookout/core';
import { startPrometheusServer, type PrometheusServer } from '@lookout/core/prometheus';
import {
  getFreePort,
  promtoolCheckMetrics,
  startPrometheus,
  startPushgateway,
  type PrometheusHandle,
  type PushgatewayHandle,
} from '../../../../testing/backends.js';

const run = promisify(execFile);
const coreDist = fileURLToPath(new URL('../../dist/prometheus/index.js', import.meta.url));

describe('Prometheus (real server)', () => {
  let prom: PrometheusHandle;
  let gateway: PushgatewayHandle;
  let server: PrometheusServer;
  let registry: MetricsRegistry;
  let appPort: number;

  beforeAll(async () => {
    appPort = await getFreePort();
    gateway = await startPushgateway();
    prom = await startPrometheus({
      scrapeTargets: [
        { job: 'lookout-app', targets: [`127.0.0.1:${appPort}`] },
        { job: 'pushgateway', targets: [gateway.hostPort], honorLabels: true },
      ],
    });
    registry = createMetricsRegistry({ diagnostics: createDiagnostics({ level: 'none' }) });
    server = startPrometheusServer({ port: appPort, registry });
    expect(await server.ready).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await prom?.stop();
    await gateway?.stop();
  });

  it('should be scraped with exact counter values, histogram count and sum, and quantiles within bucket precision', async () => {
    const requests = registry.counter('http.server.requests', { unit: '{request}', labels: ['method', 'status'], description: 'Requests served' });
    requests.add(7, { method: 'GET', status: '200' });
    requests.bind({ method: 'POST', status: '500' }).add(3);
    const latency = registry.histogram('http.server.duration', { unit: 's', labels: ['method'], buckets: [0.1, 0.2, 0.4, 0.8] });
    // 100 observations spread evenly across (0, 0.8]: the true p90 is 0.72.
    for (let i = 1; i <= 100; i++) latency.record(i * 0.008, { method: 'GET' });
    const std = createStandardMetrics({ registry, namespace: 'demo' });
    std.startupDuration.record(0.042);
    std.errors.add(2, { category: 'network', severity: 'high' });
    const work = instrument('work', (x: number) => x * 2, { registry });
    work(1);
    work(2);

    const counter = await prom.waitFor('http_server_requests_total{job="lookout-app"}', (s) => s.length === 2);
    expect(Object.fromEntries(counter.map((s) => [`${s.metric.method} ${s.metric.status}`, s.value]))).toEqual({ 'GET 200': 7, 'POST 500': 3 });
    const count = await prom.query('http_server_duration_seconds_count{job="lookout-app",method="GET"}');
    expect(count[0]?.value).toBe(100);
    const sum = await prom.query('http_server_duration_seconds_sum{job="lookout-app",method="GET"}');
    expect(sum[0]?.value).toBeCloseTo(40.4, 9);
    const p90 = await prom.query('histogram_quantile(0.9, http_server_duration_seconds_bucket{job="lookout-app"})');
    // Linear interpolation inside the (0.4, 0.8] bucket: exact to within that bucket's width.
    expect(p90[0]!.value).toBeGreaterThan(0.4);
    expect(p90[0]!.value).toBeLessThanOrEqual(0.8);
    // Observations are spread evenly, so interpolation is exact here: 0.4 + 0.4 × 40/50.
    expect(p90[0]!.value).toBeCloseTo(0.72, 9);
    const errors = await prom.query('demo_errors_total{job="lookout-app"}');
    expect(errors[0]?.metric).toMatchObject({ category: 'network', severity: 'high' });
    expect(errors[0]?.value).toBe(2);
    const calls = await prom.query('app_function_calls_total{job="lookout-app",function="work",outcome="success"}');
    expect(calls[0]?.value).toBe(2);
    const startup = await prom.query('demo_startup_duration_seconds_count{job="lookout-app"}');
    expect(startup[0]?.value).toBe(1);
  }, 60_000);

  it('should pass promtool check metrics with no findings', async () => {
    const text = await renderPrometheus(registry);
    expect(text).toContain('http_server_requests_total');
    const result = promtoolCheckMetrics(text);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('should serve OpenMetrics to a scraper that asks for it', async () => {
    const res = await fetch(server.url, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(res.headers.get('content-type')).toContain('application/openmetrics-text');
    const body = await res.text();
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toContain('# TYPE http_server_requests counter');
  });

  it('should report a port in use as a diagnostic and keep the host running', async () => {
    const lines: string[] = [];
    const { configureDiagnostics, resetDiagnosticsForTests } = await import('@lookout/core');
    configureDiagnostics({ logger: { error: (m) => lines.push(m), warn: (m) => lines.push(m), info() {}, debug() {} } });
    try {
      const second = startPrometheusServer({ port: appPort, registry });
      expect(await second.ready).toBe(false);
      expect(lines.filter((l) => l.includes('prometheus.listen') && l.includes('in use'))).toHaveLength(1);
      await second.close();
    } finally {
      resetDiagnosticsForTests();
    }
  });

  it('should let a short-lived process push to the Pushgateway and Prometheus scrape the value', async () => {
    if (!existsSync(coreDist)) throw new Error('packages/core/dist is missing: run `npm run build` first (npm test does)');
    const script = `
      import { createMetricsRegistry } from '@lookout/core';
      import { pushToGateway } from '@lookout/core/prometheus';
      const registry = createMetricsRegistry();
      const runs = registry.counter('batch.runs', { labels: ['task'] });
      runs.add(4, { task: 'nightly' });
      registry.gauge('batch.last_success', { unit: 's' }).set(1700000000);
      const result = await pushToGateway({ url: ${JSON.stringify(gateway.url)}, job: 'batch', groupingLabels: { instance: 'ci/1' }, registry });
      if (!result.ok) { console.error(JSON.stringify(result)); process.exit(1); }
    `;
    await run(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 20_000 });
    const pushed = await prom.waitFor('batch_runs_total{job="batch"}', (s) => s.length === 1, 20_000);
    expect(pushed[0]!.value).toBe(4);
    expect(pushed[0]!.metric.task).toBe('nightly');
    expect(pushed[0]!.metric.instance).toBe('ci/1');
    const last = await prom.query('batch_last_success_seconds{job="batch"}');
    expect(last[0]?.value).toBe(1700000000);
  }, 60_000);
});
