import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort, pollUntil, promtoolCheckMetrics, startPrometheus, type PrometheusHandle } from '../../../../testing/backends.js';
import { requireBuilt, runNode, type ChildRun } from '../helpers/runNode.js';

// Two fixture clusters and two fixture processes with worker threads (each summed, and labelled by
// worker), all scraped by one Prometheus.
describe('cluster and worker_threads aggregation', () => {
  let prometheus: PrometheusHandle;
  const ports: Record<'summed' | 'labelled' | 'threadsSummed' | 'threadsLabelled', number> = { summed: 0, labelled: 0, threadsSummed: 0, threadsLabelled: 0 };
  const runs: Promise<ChildRun>[] = [];
  const stops: (() => void)[] = [];

  beforeAll(async () => {
    requireBuilt('core', 'node');
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await getFreePort();
    prometheus = await startPrometheus({ scrapeTargets: Object.entries(ports).map(([job, port]) => ({ job, targets: [`127.0.0.1:${port}`] })) });
    for (const [name, port] of Object.entries(ports)) {
      const fixture = name.startsWith('threads') ? 'threads.mjs' : 'cluster.mjs';
      runs.push(
        runNode([`packages/node/test/fixtures/${fixture}`], { PORT: String(port), LABEL_BY_WORKER: name.toLowerCase().includes('labelled') ? '1' : '0' }, (child) => {
          stops.push(() => child.kill('SIGTERM'));
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    for (const stop of stops) stop();
    await Promise.all(runs);
    await prometheus?.stop();
  });

  it('should serve the sum of both workers in one scrape', async () => {
    const samples = await prometheus.waitFor('fixture_requests_total{job="summed"}', (s) => s[0]?.value === 30, 20_000);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.metric.worker).toBeUndefined();
  }, 30_000);

  it('should serve one series per worker when asked, which Prometheus sums to the same total', async () => {
    const perWorker = await prometheus.waitFor('fixture_requests_total{job="labelled"}', (s) => s.length === 2, 20_000);
    expect(Object.fromEntries(perWorker.map((s) => [s.metric.worker, s.value]))).toEqual({ '1': 10, '2': 20 });
    expect((await prometheus.query('sum(fixture_requests_total{job="labelled"})'))[0]?.value).toBe(30);
  }, 30_000);

  it('should serve the sum of two worker threads in one scrape', async () => {
    const samples = await prometheus.waitFor('fixture_thread_jobs_total{job="threadsSummed"}', (s) => s[0]?.value === 30, 20_000);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.metric.worker).toBeUndefined();
  }, 30_000);

  it('should serve one series per worker thread when asked, which Prometheus sums to the same total', async () => {
    const perThread = await prometheus.waitFor('fixture_thread_jobs_total{job="threadsLabelled"}', (s) => s.length === 2, 20_000);
    expect(perThread.map((s) => s.value).sort()).toEqual([10, 20]);
    for (const s of perThread) expect(s.metric.worker).toMatch(/^thread-\d+$/);
    expect((await prometheus.query('sum(fixture_thread_jobs_total{job="threadsLabelled"})'))[0]?.value).toBe(30);
  }, 30_000);

  it('should pass promtool check metrics on the merged scrape', async () => {
    const text = await pollUntil('merged scrape', async () => {
      const body = await (await fetch(`http://127.0.0.1:${ports.labelled}/metrics`)).text();
      return body.includes('worker="2"') ? body : undefined;
    }, 10_000);
    expect(promtoolCheckMetrics(text).problems).toEqual([]);
  });
});
