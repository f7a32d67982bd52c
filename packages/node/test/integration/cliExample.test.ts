import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getFreePort,
  makeTempDir,
  pollUntil,
  startPrometheus,
  startPushgateway,
  startVictoriaMetrics,
  type PrometheusHandle,
  type PushgatewayHandle,
  type VictoriaMetricsHandle,
} from '../../../../testing/backends.js';
import { requireBuilt, runNode } from '../helpers/runNode.js';

const CLI = 'examples/cli/cli.mjs';

describe('examples/cli', () => {
  let prometheus: PrometheusHandle;
  let gateway: PushgatewayHandle;
  let victoria: VictoriaMetricsHandle;

  beforeAll(async () => {
    requireBuilt('core', 'node', 'errors');
    const gatewayPort = await getFreePort();
    [prometheus, gateway, victoria] = await Promise.all([
      startPrometheus({ scrapeTargets: [{ job: 'pushgateway', targets: [`127.0.0.1:${gatewayPort}`], honorLabels: true }] }),
      startPushgateway({ port: gatewayPort }),
      startVictoriaMetrics(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([prometheus?.stop(), gateway?.stop(), victoria?.stop()]);
  });

  describe('push on exit', () => {
    it('should leave its metrics in Prometheus through the Pushgateway after it has exited', async () => {
      const run = await runNode([CLI, 'analyze', '--files', '2', '--run-id', 'pg-1'], { LOOKOUT_SERVICE_NAME: 'example-cli-pg', LOOKOUT_PUSHGATEWAY_URL: gateway.url, LOOKOUT_SPOOL_DIR: makeTempDir('cli-spool') });
      expect(run.code, run.stderr).toBe(0);
      // The first scrape comes 5–6 s after Prometheus starts.
      const runs = await prometheus.waitFor('cli_runs_total{run_id="pg-1",job="example-cli-pg"}', (s) => s.length === 1, 20_000);
      expect(runs[0]!.value).toBe(1);
      const stages = await prometheus.query('sum by (stage) (cli_pipeline_stage_duration_seconds_count{job="example-cli-pg"})');
      expect(Object.fromEntries(stages.map((s) => [s.metric.stage, s.value]))).toEqual({ parse: 6, analyze: 6, review: 6, consensus: 6 });
      expect((await prometheus.query('cli_startup_duration_seconds_count{job="example-cli-pg"}'))[0]?.value).toBe(1);
      expect((await prometheus.query('cli_memory_usage_bytes{type="rss",job="example-cli-pg"}'))[0]?.value).toBeGreaterThan(1e6);
      expect((await prometheus.query('cli_commands_total{command="analyze",outcome="success"}'))[0]?.value).toBe(1);
      expect((await prometheus.query('process_cpu_time_seconds_total{cpu_mode="user",job="example-cli-pg"}'))[0]?.value).toBeGreaterThan(0);
    }, 40_000);

    it('should leave its metrics in Prometheus through remote write (protobuf + snappy) after it has exited', async () => {
      const run = await runNode([CLI, 'analyze', '--files', '1', '--run-id', 'rw-1', '--fail-rate', '0.5'], {
        LOOKOUT_SERVICE_NAME: 'example-cli-rw',
        LOOKOUT_REMOTE_WRITE_URL: prometheus.remoteWriteUrl,
        LOOKOUT_SPOOL_DIR: makeTempDir('cli-spool'),
      });
      expect(run.code, run.stderr).toBe(0);
      const runs = await prometheus.waitFor('cli_runs_total{run_id="rw-1"}', (s) => s.length === 1, 10_000);
      expect(runs[0]!.metric.job).toBe('example-cli-rw');
      const buckets = await prometheus.query('cli_pipeline_stage_duration_seconds_bucket{job="example-cli-rw",stage="parse",model="model-a",le="+Inf"}');
      expect(buckets.length).toBeGreaterThan(0);
      // Errors were counted by category (the error tracker loads on first use).
      const errors = await prometheus.query('sum(cli_errors_total{category="pipeline",job="example-cli-rw"})');
      expect(errors[0]?.value ?? 0).toBeGreaterThan(0);
      expect((await prometheus.query('sum(cli_model_answers_total{outcome="error",job="example-cli-rw"})'))[0]?.value).toBe(errors[0]?.value);
    }, 30_000);

    it('should leave its metrics in an OTLP backend (VictoriaMetrics) after it has exited', async () => {
      const run = await runNode([CLI, 'analyze', '--files', '1', '--run-id', 'otlp-1'], {
        OTEL_SERVICE_NAME: 'example-cli-otlp',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: victoria.otlpMetricsUrl,
        LOOKOUT_SPOOL_DIR: makeTempDir('cli-spool'),
      });
      expect(run.code, run.stderr).toBe(0);
      const runs = await victoria.waitFor('cli_runs_total{run_id="otlp-1"}', (s) => s.length === 1, 10_000);
      expect(runs[0]!.value).toBe(1);
      const stages = await victoria.query('sum(cli_pipeline_stage_duration_seconds_count)');
      expect(stages[0]?.value).toBe(12);
    }, 30_000);
  });

  describe('SIGTERM during an export', () => {
    let hanging: Server;
    let hangingUrl: string;
    let received = 0;
    beforeAll(async () => {
      // A receiver that takes requests and never answers: the export is in flight when the signal comes.
      hanging = createServer(() => void received++);
      await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()));
      hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/api/v1/write`;
    });
    afterAll(() => {
      hanging.closeAllConnections();
      hanging.close();
    });

    it('should end within the deadline by the signal, spool the unsent export, and have the next run send it', async () => {
      const spool = makeTempDir('cli-spool');
      const deadlineMs = 800;
      let signalledAt = 0;
      const first = await runNode(
        [CLI, 'analyze', '--files', '1', '--run-id', 'sigterm-1', '--linger-ms', '20000'],
        { LOOKOUT_SERVICE_NAME: 'example-cli-sigterm', LOOKOUT_REMOTE_WRITE_URL: hangingUrl, LOOKOUT_SPOOL_DIR: spool, LOOKOUT_EXIT_DEADLINE_MS: String(deadlineMs) },
        (child, out) => {
          void pollUntil('lingering', async () => (out.stdout().includes('lingering') ? true : undefined), 15_000).then(async () => {
            // An export in flight: flush() pushes through remote write, to a receiver that never answers.
            child.kill('SIGTERM');
            signalledAt = performance.now();
          });
        },
      );
      const exitMs = performance.now() - signalledAt;
      expect(first.signal, first.stderr).toBe('SIGTERM');
      expect(exitMs).toBeLessThan(deadlineMs + 700);
      expect(received).toBeGreaterThanOrEqual(1);
      const spooled = readdirSync(join(spool, 'remote-write')).filter((f) => f.endsWith('.bin'));
      expect(spooled.length).toBeGreaterThanOrEqual(1);

      // The next run, with the receiver up, sends what the first one spooled, then its own.
      const second = await runNode([CLI, 'analyze', '--files', '1', '--run-id', 'sigterm-2'], { LOOKOUT_SERVICE_NAME: 'example-cli-sigterm', LOOKOUT_REMOTE_WRITE_URL: prometheus.remoteWriteUrl, LOOKOUT_SPOOL_DIR: spool });
      expect(second.code, second.stderr).toBe(0);
      const firstRun = await prometheus.waitFor('cli_runs_total{run_id="sigterm-1"}', (s) => s.length === 1, 10_000);
      expect(firstRun[0]!.value).toBe(1);
      expect(await prometheus.query('cli_runs_total{run_id="sigterm-2"}')).toHaveLength(1);
      expect(readdirSync(join(spool, 'remote-write')).filter((f) => f.endsWith('.bin'))).toEqual([]);
    }, 45_000);
  });
});
