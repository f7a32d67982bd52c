import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTMANAGER_ENV, generateAlertmanagerConfig, renderEnvPlaceholders } from '@lookout/core/generate';
import { amtoolCheckConfig } from '../../../../testing/backends.js';
import { seen } from '../budgets/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lookout-am-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(yaml: string): ReturnType<typeof amtoolCheckConfig> {
  const file = join(dir, `am-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return amtoolCheckConfig(file);
}

const ENV = {
  PAGERDUTY_ROUTING_KEY: 'pd-key-"quoted"\\',
  OPSGENIE_API_KEY: 'og-key',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  SMTP_USERNAME: 'mailer',
  SMTP_PASSWORD: 'p@ss: # word\nline',
  ALERT_WEBHOOK_URL: 'https://tickets.example/hook',
};

describe('generateAlertmanagerConfig', () => {
  describe('secrets from the environment', () => {
    it('should hold every secret as a placeholder and no value', () => {
      const yaml = generateAlertmanagerConfig();
      for (const name of Object.values(ALERTMANAGER_ENV)) expect(yaml).toContain(`\${${name}}`);
      for (const value of Object.values(ENV)) expect(yaml).not.toContain(value);
    });

    it('should pass amtool check-config once the placeholders are filled', () => {
      const { text, missing } = renderEnvPlaceholders(generateAlertmanagerConfig(), ENV);
      expect(missing).toEqual([]);
      const result = check(text);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.stdout).toContain('- 4 receivers');
      expect(result.stdout).toContain('- 2 inhibit rules');
    });

    it('should list the variables that have no value and leave them', () => {
      const { text, missing } = renderEnvPlaceholders(generateAlertmanagerConfig({ envPrefix: 'PROD_' }), { PROD_OPSGENIE_API_KEY: 'x' });
      expect(missing.sort()).toEqual(['PROD_ALERT_WEBHOOK_URL', 'PROD_PAGERDUTY_ROUTING_KEY', 'PROD_SLACK_WEBHOOK_URL', 'PROD_SMTP_PASSWORD', 'PROD_SMTP_USERNAME']);
      expect(text).toContain('${PROD_PAGERDUTY_ROUTING_KEY}');
    });
  });

  describe('secrets from files', () => {
    it('should pass amtool check-config as generated', () => {
      const yaml = generateAlertmanagerConfig({ secrets: 'file', secretsDir: '/run/secrets/', webhookUrl: 'http://tickets.internal/hook' });
      expect(yaml).toContain('routing_key_file: "/run/secrets/pagerduty-routing-key"');
      expect(yaml).toContain('api_url_file: "/run/secrets/slack-webhook-url"');
      expect(check(yaml).ok).toBe(true);
    });
  });

  describe('routing', () => {
    it('should page on critical and also tell chat, chat on high, email on medium, webhook on low', () => {
      const yaml = generateAlertmanagerConfig();
      const routes = yaml.slice(yaml.indexOf('  routes:'), yaml.indexOf('inhibit_rules:'));
      expect(routes.replace(/\s+/g, ' ').trim()).toBe(
        'routes: - receiver: "pager" matchers: - "severity=\\"critical\\"" continue: true - receiver: "chat" matchers: - "severity=\\"critical\\"" - receiver: "chat" matchers: - "severity=\\"high\\"" - receiver: "email" matchers: - "severity=\\"medium\\"" - receiver: "webhook" matchers: - "severity=\\"low\\""',
      );
    });

    it('should only declare the receivers the routes use', () => {
      const yaml = generateAlertmanagerConfig({ routes: { critical: ['pager'], high: ['pager'], medium: ['pager'], low: ['pager'] }, defaultReceiver: 'pager', pager: ['opsgenie'] });
      expect(yaml).not.toContain('slack_configs');
      expect(yaml).not.toContain('pagerduty_configs');
      expect(check(renderEnvPlaceholders(yaml, ENV).text).ok).toBe(true);
    });

    it('should report an invalid option by path and use its default', () => {
      const { diag, lines } = seen();
      const yaml = generateAlertmanagerConfig({ groupWait: 'soon', routes: { critical: ['pagerx' as never] }, diagnostics: diag });
      expect(lines).toHaveLength(2);
      expect(lines.join('\n')).toContain('groupWait: must be a duration');
      expect(lines.join('\n')).toContain('routes.critical.0');
      expect(check(renderEnvPlaceholders(yaml, ENV).text).ok).toBe(true);
    });
  });
});
