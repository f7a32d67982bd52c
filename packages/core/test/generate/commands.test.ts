import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@lookout/core';
import { defineBudget } from '@lookout/core/budgets';
import { COMMAND_EXIT, runGenerateCommand, runReportCommand, type CommandIo } from '@lookout/core/generate';

function io(extra: Partial<CommandIo> = {}): CommandIo & { out: string; err: string; files: Map<string, string> } {
  const files = new Map<string, string>();
  const o = {
    out: '',
    err: '',
    files,
    stdout: { write: (t: string) => void (o.out += t) },
    stderr: { write: (t: string) => void (o.err += t) },
    readFile: async (p: string) => {
      const f = files.get(p);
      if (f === undefined) throw new Error(`ENOENT: ${p}`);
      return f;
    },
    writeFile: async (p: string, t: string) => void files.set(p, t),
    ...extra,
  };
  return o;
}

describe('lookout commands', () => {
  describe('runGenerateCommand', () => {
    it('should print Prometheus rules for the presets by default', async () => {
      const c = io();
      expect(await runGenerateCommand(['prometheus-rules', '--job', 'api', '--for', '1m'], c)).toBe(COMMAND_EXIT.OK);
      expect(c.out).toContain('alert: "StartupBudget"');
      expect(c.out).toContain('job=\\"api\\"');
      expect(c.out).toContain('for: "1m"');
      expect(c.err).toBe('');
    });

    it('should read budgets from a JSON file and write to --out', async () => {
      const c = io();
      c.files.set('budgets.json', JSON.stringify({ budgets: [{ metric: 'http_server_duration_seconds', name: 'api latency', aggregation: 'p99', target: 0.2, warning: 0.5, critical: 1 }] }));
      expect(await runGenerateCommand(['prometheus-rules', '--budgets', 'budgets.json', '--out', 'rules.yml', '--no-recording'], c)).toBe(0);
      const rules = c.files.get('rules.yml')!;
      expect(rules).toContain('ApiLatencyBudget');
      expect(rules).not.toContain('lookout:budget_value');
      expect(c.out).toBe('');
    });

    it('should fill the Alertmanager placeholders from the environment, or name the missing ones', async () => {
      const ok = io({ env: { PAGERDUTY_ROUTING_KEY: 'k', OPSGENIE_API_KEY: 'o', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/x', SMTP_USERNAME: 'u', SMTP_PASSWORD: 'p', ALERT_WEBHOOK_URL: 'https://h.example/x' } });
      expect(await runGenerateCommand(['alertmanager', '--resolve-env', '--slack-channel', '#ops'], ok)).toBe(0);
      expect(ok.out).toContain('routing_key: "k"');
      expect(ok.out).toContain('channel: "#ops"');
      const missing = io({ env: {} });
      expect(await runGenerateCommand(['alertmanager', '--resolve-env'], missing)).toBe(COMMAND_EXIT.ERROR);
      expect(missing.err).toContain('PAGERDUTY_ROUTING_KEY');
      expect(missing.out).toBe('');
    });

    it('should write one Grafana file per view with --out-dir, or print one view', async () => {
      const c = io();
      expect(await runGenerateCommand(['grafana', '--out-dir', 'dash/'], c)).toBe(0);
      expect([...c.files.keys()]).toEqual(['dash/lookout-executive.json', 'dash/lookout-operations.json', 'dash/lookout-security.json', 'dash/lookout-developer.json']);
      const one = io();
      expect(await runGenerateCommand(['grafana', '--view', 'security'], one)).toBe(0);
      expect(JSON.parse(one.out).uid).toBe('lookout-security');
    });

    it('should fail with exit 2 and usage on bad arguments', async () => {
      for (const argv of [[], ['nope'], ['grafana', '--view', 'x'], ['prometheus-rules', '--bogus', '1'], ['prometheus-rules', '--profile', 'qa'], ['prometheus-rules', '--budgets', 'missing.json'], ['alertmanager', '--secrets', 'vault'], ['prometheus-rules', '--for']]) {
        const c = io();
        expect(await runGenerateCommand(argv, c), argv.join(' ')).toBe(COMMAND_EXIT.ERROR);
        expect(c.err, argv.join(' ')).toMatch(/^lookout generate: /);
      }
    });

    it('should print usage for --help', async () => {
      const c = io();
      expect(await runGenerateCommand(['--help'], c)).toBe(0);
      expect(c.out).toContain('usage: lookout generate');
    });
  });

  describe('runReportCommand', () => {
    it('should report from an in-process registry and fail on a critical budget when asked', async () => {
      const registry = createMetricsRegistry();
      registry.gauge('queue.depth').set(500);
      const budgets = [defineBudget('queue_depth', { name: 'queue', aggregation: 'last', target: 10, warning: 100, critical: 200 })];
      const c = io({ registry, budgets });
      expect(await runReportCommand(['--format', 'csv'], c)).toBe(0);
      expect(c.out.split('\r\n')[1]).toMatch(/^queue,queue,queue_depth,last,above,,10,100,200,500,critical,/);
      const f = io({ registry, budgets });
      expect(await runReportCommand(['--fail-on', 'critical', '--out', 'r.html'], f)).toBe(COMMAND_EXIT.BUDGET_BREACHED);
      expect(f.files.get('r.html')).toContain('<!doctype html>');
    });

    it('should need --prometheus without a registry, and fail when it cannot be reached', async () => {
      const c = io();
      expect(await runReportCommand([], c)).toBe(COMMAND_EXIT.ERROR);
      expect(c.err).toContain('--prometheus');
      const down = io({ fetch: () => Promise.reject(new Error('ECONNREFUSED')) });
      expect(await runReportCommand(['--prometheus', 'http://127.0.0.1:1', '--preset', 'startup'], down)).toBe(COMMAND_EXIT.ERROR);
      expect(down.err).toContain('ECONNREFUSED');
    });
  });

  describe('garbage arguments', () => {
    it('should never throw and always return an exit code', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(fc.string(), fc.constantFrom('--out', '--view', '--budgets', '--preset', 'grafana', 'alertmanager', 'prometheus-rules', '--resolve-env', '--format', '--range'))), async (argv) => {
          const c = io({ writeFile: undefined, readFile: undefined });
          const g = await runGenerateCommand(argv, c);
          const r = await runReportCommand(argv, c);
          expect([0, 1, 2]).toContain(g);
          expect([0, 1, 2]).toContain(r);
        }),
        { numRuns: 150 },
      );
      expect(await runGenerateCommand(null as never, { stdout: null, stderr: null } as never)).toBe(2);
    });
  });
});
