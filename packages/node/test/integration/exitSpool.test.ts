import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getFreePort,
  makeTempDir,
  startPrometheus,
  startPushgateway,
  startVictoriaMetrics,
  type PrometheusHandle,
  type PushgatewayHandle,
  type VictoriaMetricsHandle,
} from '../../../../testing/backends.js';
import { requireBuilt, runNode } from '../helpers/runNode.js';
import { spooledFiles as spooled } from '../helpers/spool.js';

const FIXTURE = 'packages/node/test/fixtures/pushRun.mjs';

// What a run could not deliver at its exit reaches the real backend through the next run.
describe('@lookout/node exit spool', () => {
  let prometheus: PrometheusHandle;
  let gateway: PushgatewayHandle;
  let victoria: VictoriaMetricsHandle;
  let hanging: Server;
  let hangingUrl: string;

  beforeAll(async () => {
    requireBuilt('core', 'node');
    const gatewayPort = await getFreePort();
    [prometheus, gateway, victoria] = await Promise.all([
      startPrometheus({ scrapeTargets: [{ job: 'pushgateway', targets: [`127.0.0.1:${gatewayPort}`], honorLabels: true }] }),
      startPushgateway({ port: gatewayPort }),
      startVictoriaMetrics(),
    ]);
    // A receiver that takes the request and never answers.
    hanging = createServer((req) => req.resume());
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/opentelemetry/v1/metrics`;
  }, 60_000);
  afterAll(async () => {
    hanging?.closeAllConnections();
    hanging?.close();
    await Promise.all([prometheus?.stop(), gateway?.stop(), victoria?.stop()]);
  });

  describe('process.exit() without shutdown()', () => {
    it('should keep the exit code and timing, spool the metrics synchronously, and have the next run push them to the Pushgateway', async () => {
      const spool = makeTempDir('exit-spool-pg');
      const env = { LOOKOUT_SERVICE_NAME: 'exit-fixture-pg', LOOKOUT_PUSHGATEWAY_URL: gateway.url, LOOKOUT_SPOOL_DIR: spool, DEADLINE_MS: '2000' };
      const first = await runNode([FIXTURE], { ...env, MODE: 'exit', EXIT_CODE: '3', ITEMS: '7', RUN_ID: 'pe-1', RUNTIME: '1' });
      expect(first.code, first.stderr).toBe(3);
      // Nothing was awaited: the exit is far inside the deadline (the process itself takes ~100 ms).
      expect(first.ms).toBeLessThan(1500);
      expect(spooled(join(spool, 'pushgateway'))).toHaveLength(1);
      expect(await gateway.metrics()).not.toContain('fixture_push_items_total');

      const second = await runNode([FIXTURE], { ...env, MODE: 'resend' });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain('pending 0');
      expect(await gateway.metrics()).toMatch(/fixture_push_items_total\{[^}]*run="pe-1"[^}]*\} 7/);
      // The first scrape comes 5–6 s after Prometheus starts.
      const samples = await prometheus.waitFor('fixture_push_items_total{job="exit-fixture-pg",run="pe-1"}', (s) => s.length === 1, 20_000);
      expect(samples[0]!.value).toBe(7);
      // Runtime metrics rendered synchronously at exit came along (synchronous observables).
      expect((await prometheus.query('process_memory_usage_bytes{job="exit-fixture-pg"}'))[0]?.value).toBeGreaterThan(1e6);
    }, 45_000);

    it('should spool a remote-write body at process.exit() that the next run sends to Prometheus', async () => {
      const spool = makeTempDir('exit-spool-rw');
      const env = { LOOKOUT_SERVICE_NAME: 'exit-fixture-rw', LOOKOUT_REMOTE_WRITE_URL: prometheus.remoteWriteUrl, LOOKOUT_SPOOL_DIR: spool };
      const first = await runNode([FIXTURE], { ...env, MODE: 'exit', EXIT_CODE: '4', ITEMS: '11', RUN_ID: 'pe-rw' });
      expect(first.code, first.stderr).toBe(4);
      expect(spooled(join(spool, 'remote-write'))).toHaveLength(1);
      expect(await prometheus.query('fixture_push_items_total{run="pe-rw"}')).toEqual([]);

      const second = await runNode([FIXTURE], { ...env, MODE: 'resend' });
      expect(second.stdout, second.stderr).toContain('pending 0');
      const samples = await prometheus.waitFor('fixture_push_items_total{run="pe-rw"}', (s) => s.length === 1, 10_000);
      expect(samples[0]!.value).toBe(11);
      expect(samples[0]!.metric.job).toBe('exit-fixture-rw');
    }, 30_000);
  });

  describe('process.exit() with OTLP as the only push', () => {
    it('should keep the exit code and timing, spool a registry snapshot synchronously, and have the next run send it to VictoriaMetrics over OTLP', async () => {
      const spool = makeTempDir('exit-spool-otlp-exit');
      const env = {
        OTEL_SERVICE_NAME: 'exit-fixture-otlp-exit',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.region=eu-test',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: victoria.otlpMetricsUrl,
        LOOKOUT_SPOOL_DIR: spool,
        DEADLINE_MS: '2000',
      };
      const first = await runNode([FIXTURE], { ...env, MODE: 'exit', EXIT_CODE: '3', ITEMS: '13', DURATIONS: '0.05,0.3,0.7,2', RUN_ID: 'otlp-exit' });
      expect(first.code, first.stderr).toBe(3);
      // Nothing was awaited and no request was made: the exit is far inside the deadline.
      expect(first.ms).toBeLessThan(1500);
      expect(spooled(join(spool, 'otlp-exit'))).toHaveLength(1);
      expect(spooled(join(spool, 'otlp'))).toHaveLength(0);
      expect(await victoria.query('fixture_push_items_total{run="otlp-exit"}')).toEqual([]);

      const second = await runNode([FIXTURE], { ...env, OTEL_RESOURCE_ATTRIBUTES: 'deployment.region=other', MODE: 'resend' });
      expect(second.stdout, second.stderr).toContain('pending 0');
      const counter = await victoria.waitFor('fixture_push_items_total{run="otlp-exit"}', (s) => s.length === 1, 10_000);
      expect(counter[0]!.value).toBe(13);
      // The resource of the run that measured it, OTEL_RESOURCE_ATTRIBUTES included, not the sender's.
      expect(Object.values(counter[0]!.metric)).toContain('exit-fixture-otlp-exit');
      expect(Object.values(counter[0]!.metric)).toContain('eu-test');
      expect(Object.values(counter[0]!.metric)).not.toContain('other');
      const count = await victoria.waitFor('fixture_push_duration_seconds_count{run="otlp-exit"}', (s) => s.length === 1, 10_000);
      expect(count[0]!.value).toBe(4);
      const sum = await victoria.query('fixture_push_duration_seconds_sum{run="otlp-exit"}');
      expect(sum[0]!.value).toBeCloseTo(3.05, 9);
      // Explicit buckets, cumulative: ≤0.1 → 1, ≤0.5 → 2, ≤1 → 3, +Inf → 4.
      const buckets = await victoria.query('fixture_push_duration_seconds_bucket{run="otlp-exit"}');
      expect(Object.fromEntries(buckets.map((b) => [b.metric.le, b.value]))).toEqual({ '0.1': 1, '0.5': 2, '1': 3, '+Inf': 4 });
    }, 30_000);
  });

  describe('OTLP push at exit', () => {
    it('should spool the export when the backend is unreachable, and have the next run deliver it to VictoriaMetrics', async () => {
      const spool = makeTempDir('exit-spool-otlp');
      const closedPort = await getFreePort();
      const env = { OTEL_SERVICE_NAME: 'exit-fixture-otlp', OTEL_METRICS_EXPORTER: 'otlp', LOOKOUT_SPOOL_DIR: spool };
      const first = await runNode([FIXTURE], { ...env, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${closedPort}/opentelemetry/v1/metrics`, ITEMS: '5', RUN_ID: 'otlp-down' });
      expect(first.code, first.stderr).toBe(0);
      expect(spooled(join(spool, 'otlp'))).toHaveLength(1);

      const second = await runNode([FIXTURE], { ...env, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: victoria.otlpMetricsUrl, MODE: 'resend' });
      expect(second.stdout, second.stderr).toContain('pending 0');
      const samples = await victoria.waitFor('fixture_push_items_total{run="otlp-down"}', (s) => s.length === 1, 10_000);
      expect(samples[0]!.value).toBe(5);
      // The resource (service.name) of the run that measured it came along.
      expect(Object.values(samples[0]!.metric)).toContain('exit-fixture-otlp');
    }, 30_000);

    it('should end by the deadline when the backend never answers, spool the export, and have the next run deliver it', async () => {
      const spool = makeTempDir('exit-spool-otlp-hang');
      const env = { OTEL_SERVICE_NAME: 'exit-fixture-otlp-hang', OTEL_METRICS_EXPORTER: 'otlp', LOOKOUT_SPOOL_DIR: spool };
      const first = await runNode([FIXTURE], { ...env, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: hangingUrl, DEADLINE_MS: '600', ITEMS: '9', RUN_ID: 'otlp-hang' });
      expect(first.code, first.stderr).toBe(0);
      // Loading the exporter and the deadline, with slack for a loaded machine; never the 10 s a hung request would take.
      expect(first.ms).toBeLessThan(600 + 1500);
      expect(spooled(join(spool, 'otlp'))).toHaveLength(1);

      const second = await runNode([FIXTURE], { ...env, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: victoria.otlpMetricsUrl, MODE: 'resend' });
      expect(second.stdout, second.stderr).toContain('pending 0');
      const samples = await victoria.waitFor('fixture_push_items_total{run="otlp-hang"}', (s) => s.length === 1, 10_000);
      expect(samples[0]!.value).toBe(9);
    }, 30_000);
  });
});
