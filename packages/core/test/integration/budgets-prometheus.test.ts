import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, createStandardMetrics, type StandardMetrics } from '@lookout/core';
import { budgetPreset, budgetToOptions, createBudgetMonitor, defineBudget, type Budget, type BudgetMonitor } from '@lookout/core/budgets';
import {
  collectReportFromPrometheus,
  generateAlertmanagerConfig,
  generateGrafanaDashboards,
  generatePrometheusRules,
  renderEnvPlaceholders,
  renderReportHtml,
  runReportCommand,
} from '@lookout/core/generate';
import { startPrometheusServer, type PrometheusServer } from '@lookout/core/prometheus';
import {
  amtoolCheckConfig,
  getFreePort,
  makeTempDir,
  pollUntil,
  promtoolCheckRules,
  startAlertmanager,
  startHttpReceiver,
  startPrometheus,
  type AlertmanagerHandle,
  type HttpReceiverHandle,
  type PrometheusHandle,
} from '../../../../testing/backends.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const JOB = 'lookout-app';
const HOSTILE_NAME = 'p50 "quoted" # not a comment {{ broken }}';

/**
 * One budget-breaking app scraped by a real Prometheus that loads the generated rules and sends
 * to a real Alertmanager started with the generated config, whose receivers all point at a
 * loopback capture server. The app records 3 s pipeline stages (critical past 2 s) all along,
 * since `rate()` needs increases inside the window.
 */
describe('budgets on real Prometheus and Alertmanager', () => {
  let prom: PrometheusHandle;
  let am: AlertmanagerHandle;
  let receiver: HttpReceiverHandle;
  let server: PrometheusServer;
  let std: StandardMetrics;
  let monitor: BudgetMonitor;
  let budgets: Budget[];
  let ticker: ReturnType<typeof setInterval> | undefined;
  let rulesFile: string;

  beforeAll(async () => {
    const appPort = await getFreePort();
    const amPort = await getFreePort();
    const dir = makeTempDir('budgets');
    receiver = await startHttpReceiver();

    const quick = { window: '30s', for: '2s' };
    budgets = [
      budgetPreset('pipeline-duration', { namespace: 'demo', overrides: quick }),
      budgetPreset('startup', { namespace: 'demo', overrides: { ...quick, window: '1m' } }),
      defineBudget('demo_pipeline_stage_duration_seconds', {
        name: HOSTILE_NAME,
        description: "line one\nline two: 'single' & \"double\"",
        aggregation: 'p50',
        target: 0.1,
        warning: 0.2,
        critical: 100,
        ...quick,
        alertLabels: { team: 'yes' },
      }),
    ];

    rulesFile = join(dir, 'lookout-rules.yml');
    writeFileSync(rulesFile, generatePrometheusRules(budgets, { matchers: [{ name: 'job', value: JOB }] }));
    const rulesCheck = promtoolCheckRules(rulesFile);
    expect(rulesCheck.problems).toEqual([]);
    expect(rulesCheck.ok).toBe(true);

    const template = generateAlertmanagerConfig({
      groupWait: '1s',
      groupInterval: '1s',
      repeatInterval: '1h',
      pagerdutyUrl: `${receiver.url}/pagerduty`,
      opsgenieApiUrl: `${receiver.url}/opsgenie/`,
    });
    const { text: amConfig, missing } = renderEnvPlaceholders(template, {
      PAGERDUTY_ROUTING_KEY: 'test-routing-key',
      OPSGENIE_API_KEY: 'test-opsgenie-key',
      SLACK_WEBHOOK_URL: `${receiver.url}/slack`,
      SMTP_USERNAME: 'mailer',
      SMTP_PASSWORD: 'secret',
      ALERT_WEBHOOK_URL: `${receiver.url}/webhook`,
    });
    expect(missing).toEqual([]);
    const amFile = join(dir, 'alertmanager.yml');
    writeFileSync(amFile, amConfig);
    const amCheck = amtoolCheckConfig(amFile);
    expect(amCheck.problems).toEqual([]);
    expect(amCheck.ok).toBe(true);

    am = await startAlertmanager({ configYaml: amConfig, port: amPort });
    prom = await startPrometheus({ scrapeTargets: [{ job: JOB, targets: [`127.0.0.1:${appPort}`] }], ruleFiles: [rulesFile], alertmanagers: [am.hostPort] });

    const registry = createMetricsRegistry({ diagnostics: createDiagnostics({ level: 'none' }) });
    std = createStandardMetrics({ registry, namespace: 'demo' });
    monitor = createBudgetMonitor({ registry, budgets, autoStart: false });
    server = startPrometheusServer({ port: appPort, registry });
    expect(await server.ready).toBe(true);
    const tick = (): void => {
      for (let i = 0; i < 5; i++) std.stageDuration.record(3, { stage: 'embed', model: 'm1', outcome: 'ok' });
      std.startupDuration.record(0.03);
      std.errors.add(1, { category: 'network', severity: 'high' });
    };
    tick();
    ticker = setInterval(tick, 250);
  }, 60_000);

  afterAll(async () => {
    if (ticker !== undefined) clearInterval(ticker);
    await server?.close();
    await prom?.stop();
    await am?.stop();
    await receiver?.stop();
  });

  it('should fire the breached budget in Prometheus, route it through Alertmanager, and inhibit the warning', async () => {
    const firing = await pollUntil(
      'PipelineDurationBudget firing at both levels',
      async () => {
        const alerts = (await prom.alerts()).filter((a) => a.labels['alertname'] === 'PipelineDurationBudget' && a.state === 'firing');
        return alerts.length === 2 ? alerts : undefined;
      },
      40_000,
      250,
    );
    expect(firing.map((a) => `${a.labels['budget_state']}/${a.labels['severity']}`).sort()).toEqual(['critical/critical', 'warning/high']);
    const critical = firing.find((a) => a.labels['severity'] === 'critical')!;
    expect(Number(critical.value)).toBeCloseTo(4.85, 6);
    expect(critical.annotations['summary']).toBe('pipeline-duration: p95 is 4.85s, over the critical threshold of 2 s');
    // The startup budget is met (30 ms < 50 ms): no alert.
    expect((await prom.alerts()).some((a) => a.labels['alertname'] === 'StartupBudget')).toBe(false);

    const inAlertmanager = await pollUntil(
      'both alerts in Alertmanager',
      async () => {
        const alerts = (await am.alerts()).filter((a) => a.labels['alertname'] === 'PipelineDurationBudget');
        return alerts.length === 2 && alerts.some((a) => a.status.state === 'suppressed') ? alerts : undefined;
      },
      20_000,
      250,
    );
    const amCritical = inAlertmanager.find((a) => a.labels['severity'] === 'critical')!;
    expect(amCritical.status.state).toBe('active');
    expect(amCritical.receivers.map((r) => r.name).sort()).toEqual(['chat', 'pager']);
    // Critical inhibits the warning-level alert of the same budget.
    expect(inAlertmanager.find((a) => a.labels['severity'] === 'high')!.status.state).toBe('suppressed');

    const page = await receiver.waitFor((r) => r.url.startsWith('/pagerduty') && r.text().includes('PipelineDurationBudget'), 20_000);
    expect(page.json<{ routing_key: string; event_action: string }>()).toMatchObject({ routing_key: 'test-routing-key', event_action: 'trigger' });
    const chat = await receiver.waitFor((r) => r.url.startsWith('/slack') && r.text().includes('PipelineDurationBudget'), 20_000);
    expect(chat.json<{ channel: string }>().channel).toBe('#alerts');
    expect(receiver.requests.some((r) => r.url.startsWith('/webhook') && r.text().includes('PipelineDurationBudget'))).toBe(false);
  }, 60_000);

  it('should compute the same budget value in-process as Prometheus does from the generated PromQL', async () => {
    const [fromProm] = await prom.waitFor('lookout:budget_value{budget="pipeline-duration"}');
    const inProcess = (await monitor.evaluate()).find((r) => r.budget.id === 'pipeline-duration')!;
    expect(fromProm!.value).toBeCloseTo(4.85, 9);
    expect(inProcess.value).toBeCloseTo(4.85, 9);
    expect(inProcess.pending).toBe('critical');
  }, 30_000);

  it('should carry hostile budget text through the YAML intact', async () => {
    const alert = await pollUntil(
      'the hostile-named budget firing',
      async () => (await prom.alerts()).find((a) => a.labels['budget'] === budgets[2]!.id && a.state === 'firing'),
      30_000,
      250,
    );
    expect(alert.annotations['summary']!.startsWith(`${HOSTILE_NAME}: p50 is `)).toBe(true);
    expect(alert.annotations['description']!.startsWith("line one\nline two: 'single' & \"double\".")).toBe(true);
    expect(alert.labels['team']).toBe('yes');
  }, 40_000);

  it('should give valid PromQL for every Grafana panel and annotation', async () => {
    const substitute = (expr: string): string => expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '1h').replaceAll('$job', '.*');
    let queried = 0;
    for (const d of Object.values(generateGrafanaDashboards(budgets, { namespace: 'demo' }))) {
      const exprs = [
        ...d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
        ...(d['annotations'] as { list: Array<{ expr?: string }> }).list.flatMap((a) => (a.expr ? [a.expr] : [])),
      ];
      for (const expr of exprs) {
        await expect(prom.query(substitute(expr)), `${d.uid}: ${expr}`).resolves.toBeInstanceOf(Array);
        queried++;
      }
    }
    expect(queried).toBeGreaterThan(40);
    const ops = generateGrafanaDashboards(budgets, { namespace: 'demo' }).operations;
    const pipeline = ops.panels.find((p) => p.title.startsWith('pipeline-duration:'))!;
    const data = await prom.query(substitute(pipeline.targets![0]!.expr));
    expect(data[0]!.value).toBeCloseTo(4.85, 6);
  }, 30_000);

  it('should report from the Prometheus HTTP API, and the report command should fail on the breach', async () => {
    const data = await collectReportFromPrometheus(budgets, { url: prom.url, rangeMs: 60_000, stepMs: 1000, matchers: [{ name: 'job', value: JOB }], namespace: 'demo', title: 'Budgets on a real Prometheus' });
    expect(data.warnings).toEqual([]);
    const byId = Object.fromEntries(data.budgets.map((b) => [b.id, b]));
    expect(byId['pipeline-duration']).toMatchObject({ state: 'critical' });
    expect(byId['pipeline-duration']!.value).toBeCloseTo(4.85, 6);
    expect(byId['pipeline-duration']!.series.length).toBeGreaterThan(3);
    expect(byId['startup']!.state).toBe('ok');
    expect(data.topErrors[0]).toMatchObject({ metric: 'demo_errors_total', labels: { category: 'network', severity: 'high' } });
    expect(data.grade).toBe('C');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'budgets-report-prometheus.html'), renderReportHtml(data));

    let out = '';
    let err = '';
    const files = new Map([['budgets.json', JSON.stringify(budgets.map((b) => ({ metric: b.metric, ...budgetToOptions(b) })))]]);
    const code = await runReportCommand(['--prometheus', prom.url, '--budgets', 'budgets.json', '--job', JOB, '--namespace', 'demo', '--range', '1m', '--format', 'json', '--fail-on', 'critical'], {
      stdout: { write: (t: string) => void (out += t) },
      stderr: { write: (t: string) => void (err += t) },
      readFile: async (p) => files.get(p)!,
    });
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(JSON.parse(out).budgets.map((b: { state: string }) => b.state)).toEqual(['critical', 'ok', 'warning']);
  }, 30_000);
});
