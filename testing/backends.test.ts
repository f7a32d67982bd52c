import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amtoolCheckConfig,
  findChromium,
  getFreePort,
  makeTempDir,
  parsePromValue,
  promtoolCheckMetrics,
  promtoolCheckRules,
  requireBinary,
  startAlertmanager,
  startHttpReceiver,
  startPrometheus,
  startPushgateway,
  startVictoriaMetrics,
} from './backends.js';
import type {
  AlertmanagerHandle,
  HttpReceiverHandle,
  PrometheusHandle,
  PushgatewayHandle,
} from './backends.js';
import { postOtlpMetrics } from './otlpProto.js';

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const RULES_YAML = `groups:
  - name: lookout-selftest
    rules:
      - alert: LookoutSelftestHigh
        expr: lookout_selftest_value > 40
        labels:
          severity: page
        annotations:
          summary: selftest value is high
`;

describe('testing/backends', () => {
  describe('requireBinary', () => {
    it('should return the path of an installed backend', () => {
      expect(requireBinary('prometheus')).toMatch(/prometheus$/);
      expect(requireBinary('victoria-metrics')).toMatch(/victoria-metrics$/);
    });

    it('should throw with the install hint when a binary is missing', () => {
      expect(() => requireBinary('lookout-no-such-backend')).toThrow(/bash scripts\/install-backends\.sh/);
    });
  });

  describe('getFreePort', () => {
    it('should return distinct bindable ports', async () => {
      const ports = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
      expect(new Set(ports).size).toBe(3);
      for (const port of ports) expect(port).toBeGreaterThan(1024);
    });

    it('should not hand out a port twice when asked one after another', async () => {
      // Each probe socket is closed before the next opens, and Linux may offer the same port
      // again: in 50 back-to-back probes it did about one time in five here. Other test
      // processes are kept apart the same way (reservations under the temp dir).
      const ports: number[] = [];
      for (let i = 0; i < 300; i++) ports.push(await getFreePort());
      expect(new Set(ports).size).toBe(ports.length);
    });
  });

  describe('parsePromValue', () => {
    it('should parse special values', () => {
      expect(parsePromValue('+Inf')).toBe(Infinity);
      expect(parsePromValue('-Inf')).toBe(-Infinity);
      expect(parsePromValue('NaN')).toBeNaN();
      expect(parsePromValue('1.5e3')).toBe(1500);
    });
  });

  describe('Prometheus + Pushgateway + Alertmanager', () => {
    let prom: PrometheusHandle;
    let pushgateway: PushgatewayHandle;
    let alertmanager: AlertmanagerHandle;
    let webhook: HttpReceiverHandle;

    beforeAll(async () => {
      const [pgPort, amPort] = await Promise.all([getFreePort(), getFreePort()]);
      webhook = await startHttpReceiver();
      alertmanager = await startAlertmanager({
        port: amPort,
        configYaml: `route:
  receiver: webhook
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: webhook
    webhook_configs:
      - url: ${webhook.url}/alerts
        send_resolved: false
`,
      });
      const rulesDir = makeTempDir('rules');
      const ruleFile = join(rulesDir, 'rules.yml');
      writeFileSync(ruleFile, RULES_YAML);
      prom = await startPrometheus({
        scrapeTargets: [{ job: 'pushgateway', targets: [`127.0.0.1:${pgPort}`], honorLabels: true }],
        ruleFiles: [ruleFile],
        alertmanagers: [alertmanager.hostPort],
      });
      pushgateway = await startPushgateway({ port: pgPort });
    });

    afterAll(async () => {
      await Promise.all([prom?.stop(), pushgateway?.stop(), alertmanager?.stop(), webhook?.stop()]);
    });

    it('should scrape a value pushed to the Pushgateway', async () => {
      await pushgateway.push(
        'lookout_selftest',
        '# HELP lookout_selftest_value A value pushed by the self-test.\n' +
          '# TYPE lookout_selftest_value gauge\n' +
          'lookout_selftest_value{kind="push"} 42\n',
        { instance: 'selftest' },
      );
      const samples = await prom.waitFor('lookout_selftest_value', (s) => s[0]?.value === 42);
      expect(samples).toHaveLength(1);
      expect(samples[0]?.metric).toMatchObject({
        __name__: 'lookout_selftest_value',
        job: 'lookout_selftest',
        instance: 'selftest',
        kind: 'push',
      });
      expect(await pushgateway.metrics()).toContain('lookout_selftest_value{');
    });

    it('should fire the rule and deliver the alert through Alertmanager to a webhook', async () => {
      await prom.waitFor('ALERTS{alertname="LookoutSelftestHigh",alertstate="firing"}');
      const firing = (await prom.alerts()).filter((a) => a.labels['alertname'] === 'LookoutSelftestHigh');
      expect(firing[0]?.state).toBe('firing');

      const delivery = await webhook.waitFor((req) => req.url === '/alerts');
      const payload = delivery.json<{ status: string; alerts: Array<{ labels: Record<string, string> }> }>();
      expect(payload.status).toBe('firing');
      expect(payload.alerts[0]?.labels).toMatchObject({ alertname: 'LookoutSelftestHigh', severity: 'page' });
      expect((await alertmanager.alerts()).map((a) => a.labels['alertname'])).toContain('LookoutSelftestHigh');
    });

    it('should apply a rule change on reload', async () => {
      const ruleFile = join(makeTempDir('rules'), 'more.yml');
      writeFileSync(
        ruleFile,
        'groups:\n  - name: more\n    rules:\n      - record: lookout:selftest_value:doubled\n' +
          '        expr: lookout_selftest_value * 2\n',
      );
      await prom.reload({ ruleFiles: [ruleFile] });
      const samples = await prom.waitFor('lookout:selftest_value:doubled', (s) => s[0]?.value === 84);
      expect(samples[0]?.value).toBe(84);
    });

    it('should reject a bad PromQL query with the server message', async () => {
      await expect(prom.query('sum(')).rejects.toThrow(/400/);
    });
  });

  describe('startVictoriaMetrics', () => {
    it('should accept an OTLP protobuf metric and return it from a query', async () => {
      await using vm = await startVictoriaMetrics();
      await postOtlpMetrics(vm.otlpMetricsUrl, {
        resourceAttributes: { 'service.name': 'lookout-selftest' },
        metrics: [
          { name: 'lookout.selftest.gauge', kind: 'gauge', points: [{ value: 7.5, attributes: { kind: 'otlp' } }] },
          { name: 'lookout.selftest.requests', kind: 'sum', points: [{ value: 3 }] },
        ],
      });
      const gauge = await vm.waitFor('lookout_selftest_gauge', (s) => s.length > 0, 10_000);
      expect(gauge[0]?.value).toBe(7.5);
      expect(gauge[0]?.metric['kind']).toBe('otlp');
      // -opentelemetry.usePrometheusNaming appends _total to a monotonic sum.
      const sum = await vm.query('lookout_selftest_requests_total');
      expect(sum[0]?.value).toBe(3);
    });

    it('should reject OTLP JSON with 400', async () => {
      await using vm = await startVictoriaMetrics();
      const res = await fetch(vm.otlpMetricsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"resourceMetrics":[]}',
      });
      expect(res.status).toBe(400);
    });
  });

  describe('stop', () => {
    it('should kill the backend, free its port and be idempotent', async () => {
      const pg = await startPushgateway();
      expect(await isListening(pg.port)).toBe(true);
      await pg.stop();
      await pg.stop();
      expect(await isListening(pg.port)).toBe(false);
      expect(isAlive(pg.pid)).toBe(false);
    });

    it('should refuse a port that is already taken', async () => {
      const holder = await startHttpReceiver();
      try {
        await expect(startPushgateway({ port: holder.port })).rejects.toThrow(/is not free/);
      } finally {
        await holder.stop();
      }
    });

    it('should fail fast with the backend log when the backend exits during start', async () => {
      const started = Date.now();
      await expect(startAlertmanager({ configYaml: 'route: [not, a, route]\n' })).rejects.toThrow(
        /alertmanager did not become ready: alertmanager exited with code 1[\s\S]*--- alertmanager log ---[\s\S]*config/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe('promtool and amtool', () => {
    it('should flag a bad exposition', () => {
      const result = promtoolCheckMetrics(
        '# TYPE requestCount counter\nrequestCount 1\n# HELP size_gauge x\n# TYPE size_gauge gauge\nsize_gauge 2\n',
      );
      expect(result.ok).toBe(false);
      expect(result.exitCode).toBe(3);
      expect(result.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/requestCount counter metrics should have "_total" suffix/),
          expect.stringMatching(/requestCount no help text/),
          expect.stringMatching(/size_gauge metric name should not include type 'gauge'/),
        ]),
      );
    });

    it('should pass a clean exposition', () => {
      const result = promtoolCheckMetrics('# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total 1\n');
      expect(result).toMatchObject({ ok: true, problems: [] });
    });

    it('should check rule files and Alertmanager configs', () => {
      const dir = makeTempDir('check');
      const good = join(dir, 'good.yml');
      const bad = join(dir, 'bad.yml');
      writeFileSync(good, RULES_YAML);
      writeFileSync(bad, 'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: "up ==="\n');
      expect(promtoolCheckRules(good).ok).toBe(true);
      const badRules = promtoolCheckRules(bad);
      expect(badRules.ok).toBe(false);
      expect(badRules.problems.join('\n')).toMatch(/parse error/);

      const amGood = join(dir, 'am.yml');
      writeFileSync(amGood, 'route:\n  receiver: x\nreceivers:\n  - name: x\n');
      expect(amtoolCheckConfig(amGood).ok).toBe(true);
      expect(amtoolCheckConfig(bad).ok).toBe(false);
    });
  });

  describe('findChromium', () => {
    it('should find a runnable Chromium', () => {
      const path = findChromium();
      const version = spawnSync(path, ['--version'], { encoding: 'utf8' });
      expect(version.stdout).toMatch(/Chromium \d+/);
    });
  });
});
