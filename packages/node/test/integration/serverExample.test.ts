import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort, pollUntil, promtoolCheckMetrics } from '../../../../testing/backends.js';
import { requireBuilt, runNode, type ChildRun } from '../helpers/runNode.js';

describe('examples/server', () => {
  let appUrl: string;
  let metricsUrl: string;
  let run: Promise<ChildRun>;
  let stop: () => void = () => {};

  beforeAll(async () => {
    requireBuilt('core', 'node', 'security', 'errors');
    const [port, metricsPort] = [await getFreePort(), await getFreePort()];
    appUrl = `http://127.0.0.1:${port}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    let output = (): string => '';
    run = runNode(['examples/server/server.mjs', '--port', String(port), '--metrics-port', String(metricsPort)], {}, (child, out) => {
      stop = () => child.kill('SIGTERM');
      output = out.stdout;
    });
    await pollUntil('server listening', async () => (output().includes('Metrics:') ? true : undefined), 15_000);
  }, 30_000);
  afterAll(async () => {
    stop();
    await run;
  });

  it('should block a user after five failed logins and count them as security events', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(`${appUrl}/login?user=alice&password=nope`, { method: 'POST' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const body = await (await fetch(metricsUrl)).text();
    expect(body).toMatch(/lookout_security_events_total\{type="authentication",risk="medium"\} 5/);
    expect(body).toMatch(/lookout_security_keys_blocked_total\{detector="brute_force"\} [1-9]/);
  });

  it('should report errors and serve metrics that pass promtool check metrics', async () => {
    expect((await fetch(`${appUrl}/boom`)).status).toBe(500);
    // The error tracker loads on its first capture; the capture is buffered meanwhile and then counted.
    const body = await pollUntil('error counted', async () => {
      const text = await (await fetch(metricsUrl)).text();
      return text.includes('server_errors_total{') ? text : undefined;
    }, 5_000);
    expect(body).toContain('server_errors_total{category="javascript",severity="high"} 1');
    expect(body).toContain('http_server_requests_total{http_route="/boom",http_response_status_code="500"} 1');
    expect(body).toContain('server_startup_duration_seconds_count 1');
    expect(body).toContain('nodejs_eventloop_utilization');
    expect(promtoolCheckMetrics(body).problems).toEqual([]);
  });
});
