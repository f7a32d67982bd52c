import * as z from 'zod/mini';
import { httpUrlSchema } from '../config/schemas.js';
import { resolveOptions } from '../config/resolveOptions.js';
import type { Diagnostics } from '../diagnostics/index.js';
import { isPromLabelName } from '../metrics/names.js';
import { ALERT_SEVERITIES } from '../budgets/config.js';
import { parseDuration } from '../budgets/duration.js';
import type { AlertSeverity } from '../budgets/types.js';
import { toYaml, yamlString } from './yaml.js';

/** The receivers of the generated routing tree. */
export type ReceiverName = 'pager' | 'chat' | 'email' | 'webhook';
export const RECEIVER_NAMES: readonly ReceiverName[] = ['pager', 'chat', 'email', 'webhook'];

/**
 * Environment variables the placeholders name (with `envPrefix` in front). Secrets come only
 * from here (or from files with `secrets: 'file'`), never from options.
 */
export const ALERTMANAGER_ENV = Object.freeze({
  pagerdutyRoutingKey: 'PAGERDUTY_ROUTING_KEY',
  opsgenieApiKey: 'OPSGENIE_API_KEY',
  slackWebhookUrl: 'SLACK_WEBHOOK_URL',
  smtpUsername: 'SMTP_USERNAME',
  smtpPassword: 'SMTP_PASSWORD',
  webhookUrl: 'ALERT_WEBHOOK_URL',
});

/** Options of {@link generateAlertmanagerConfig}. Secrets are never options. */
export interface AlertmanagerConfigOptions {
  /** Which receivers each severity goes to. Default: critical → pager and chat, high → chat, medium → email, low → webhook. */
  routes?: Partial<Record<AlertSeverity, ReceiverName[]>>;
  /** Receiver of alerts without a known severity. Default `'webhook'`. */
  defaultReceiver?: ReceiverName;
  /** Pager: PagerDuty, OpsGenie or both. Default both. */
  pager?: Array<'pagerduty' | 'opsgenie'>;
  /** Slack channel of the chat receiver. Default `'#alerts'`. */
  slackChannel?: string;
  /** Email receiver: where to, from, through which SMTP server (`host:port`). */
  email?: { to?: string; from?: string; smarthost?: string; requireTls?: boolean };
  /**
   * `'env'` (default): every secret is a `${NAME}` placeholder ({@link ALERTMANAGER_ENV}), to be
   * filled at deploy time by `renderEnvPlaceholders` (`lookout generate alertmanager
   * --resolve-env`) or `envsubst`, since Alertmanager reads no environment. `'file'`: secrets are
   * read by Alertmanager from files under `secretsDir` (`routing_key_file`, `api_key_file`,
   * `api_url_file`, `auth_password_file`); the webhook URL, which Alertmanager 0.25 cannot read
   * from a file, stays a placeholder unless `webhookUrl` is given.
   */
  secrets?: 'env' | 'file';
  /** Prefix of the environment variable names, e.g. `'PROD_'`. Default none. */
  envPrefix?: string;
  /** Directory of the secret files with `secrets: 'file'`. Default `/etc/alertmanager/secrets`. */
  secretsDir?: string;
  /** A non-secret webhook URL (an internal ticketing hook). Default: the `ALERT_WEBHOOK_URL` placeholder. */
  webhookUrl?: string;
  /** Labels alerts are grouped by. Default `['alertname', 'budget']`. */
  groupBy?: string[];
  /** Notification timing. Defaults `30s`, `5m`, `4h`, resolve timeout `5m`. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  resolveTimeout?: string;
  /** API endpoints (self-hosted or test receivers). Default: Alertmanager's own. */
  pagerdutyUrl?: string;
  opsgenieApiUrl?: string;
  diagnostics?: Diagnostics;
}

const DEFAULT_ROUTES: Readonly<Record<AlertSeverity, readonly ReceiverName[]>> = {
  critical: ['pager', 'chat'],
  high: ['chat'],
  medium: ['email'],
  low: ['webhook'],
};

const receiver = z.enum(RECEIVER_NAMES as ['pager', 'chat', 'email', 'webhook']);
const duration = z.string().check(z.refine((s) => parseDuration(s) !== undefined, 'must be a duration such as "30s"'));
const url = httpUrlSchema;
const amOptionsSchema = z.strictObject({
  routes: z.optional(z.partialRecord(z.enum(ALERT_SEVERITIES as ['critical', 'high', 'medium', 'low']), z.array(receiver))),
  defaultReceiver: z.optional(receiver),
  pager: z.optional(z.array(z.enum(['pagerduty', 'opsgenie'])).check(z.minLength(1))),
  slackChannel: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
  email: z.optional(
    z.strictObject({
      to: z.optional(z.string().check(z.minLength(3))),
      from: z.optional(z.string().check(z.minLength(3))),
      smarthost: z.optional(z.string().check(z.regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port'))),
      requireTls: z.optional(z.boolean()),
    }),
  ),
  secrets: z.optional(z.enum(['env', 'file'])),
  envPrefix: z.optional(z.string().check(z.regex(/^[A-Z_][A-Z0-9_]*$/, 'must be upper-case letters, digits and _'))),
  secretsDir: z.optional(z.string().check(z.regex(/^\/[^\n"]*$/, 'must be an absolute path'))),
  webhookUrl: z.optional(url),
  groupBy: z.optional(z.array(z.string().check(z.refine((k) => k === '...' || isPromLabelName(k), 'must be a label name')))),
  groupWait: z.optional(duration),
  groupInterval: z.optional(duration),
  repeatInterval: z.optional(duration),
  resolveTimeout: z.optional(duration),
  pagerdutyUrl: z.optional(url),
  opsgenieApiUrl: z.optional(url),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => v !== null && typeof v === 'object', 'must be a Diagnostics')),
});

/**
 * An Alertmanager configuration: a routing tree by `severity` (critical pages through
 * PagerDuty/OpsGenie and also goes to chat, high goes to Slack, medium to email, low to a
 * webhook, each changeable with `routes`), receivers whose secrets are environment placeholders
 * (or secret files), and an inhibition so a critical alert silences the lesser ones of the same
 * alert and budget. Checked with `amtool check-config` once the placeholders are filled.
 * Never throws.
 */
export function generateAlertmanagerConfig(options: AlertmanagerConfigOptions = {}): string {
  const diag0 = options?.diagnostics;
  const o = resolveOptions(amOptionsSchema, options, { component: 'generateAlertmanagerConfig', diagnostics: diag0 }).options ?? {};
  const prefix = o.envPrefix ?? '';
  const fileMode = o.secrets === 'file';
  const dir = (o.secretsDir ?? '/etc/alertmanager/secrets').replace(/\/+$/, '');
  const env = (name: string): string => `\${${prefix}${name}}`;
  const secret = (key: string, envName: string, file: string): Record<string, string> => (fileMode ? { [`${key}_file`]: `${dir}/${file}` } : { [key]: env(envName) });

  const routes: Record<AlertSeverity, readonly ReceiverName[]> = { ...DEFAULT_ROUTES, ...(o.routes ?? {}) };
  const defaultReceiver = o.defaultReceiver ?? 'webhook';
  const used = new Set<ReceiverName>([defaultReceiver, ...Object.values(routes).flat()]);
  const email = o.email ?? {};
  const pager = o.pager ?? ['pagerduty', 'opsgenie'];

  const receivers: Array<Record<string, unknown>> = [];
  for (const name of RECEIVER_NAMES) {
    if (!used.has(name)) continue;
    if (name === 'pager') {
      receivers.push({
        name,
        ...(pager.includes('pagerduty')
          ? { pagerduty_configs: [{ ...secret('routing_key', ALERTMANAGER_ENV.pagerdutyRoutingKey, 'pagerduty-routing-key'), ...(o.pagerdutyUrl ? { url: o.pagerdutyUrl } : {}), severity: '{{ .CommonLabels.severity }}', send_resolved: true }] }
          : {}),
        ...(pager.includes('opsgenie')
          ? { opsgenie_configs: [{ ...secret('api_key', ALERTMANAGER_ENV.opsgenieApiKey, 'opsgenie-api-key'), ...(o.opsgenieApiUrl ? { api_url: o.opsgenieApiUrl } : {}), priority: '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P3{{ end }}', send_resolved: true }] }
          : {}),
      });
    } else if (name === 'chat') {
      receivers.push({
        name,
        slack_configs: [
          {
            ...secret('api_url', ALERTMANAGER_ENV.slackWebhookUrl, 'slack-webhook-url'),
            channel: o.slackChannel ?? '#alerts',
            send_resolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}',
          },
        ],
      });
    } else if (name === 'email') {
      receivers.push({
        name,
        email_configs: [
          {
            to: email.to ?? 'oncall@example.com',
            from: email.from ?? 'alertmanager@example.com',
            smarthost: email.smarthost ?? 'localhost:587',
            auth_username: env(ALERTMANAGER_ENV.smtpUsername),
            ...secret('auth_password', ALERTMANAGER_ENV.smtpPassword, 'smtp-password'),
            require_tls: email.requireTls ?? true,
            send_resolved: true,
          },
        ],
      });
    } else {
      receivers.push({ name, webhook_configs: [{ url: o.webhookUrl ?? env(ALERTMANAGER_ENV.webhookUrl), send_resolved: true }] });
    }
  }

  const childRoutes: Array<Record<string, unknown>> = [];
  for (const severity of ALERT_SEVERITIES) {
    const targets = routes[severity];
    targets.forEach((r, i) => {
      // Every receiver of a severity but the last lets the alert go on down the tree.
      childRoutes.push({ receiver: r, matchers: [`severity="${severity}"`], ...(i < targets.length - 1 ? { continue: true } : {}) });
    });
  }

  const config = {
    global: {
      resolve_timeout: o.resolveTimeout ?? '5m',
      ...(o.pagerdutyUrl ? { pagerduty_url: o.pagerdutyUrl } : {}),
      ...(o.opsgenieApiUrl ? { opsgenie_api_url: o.opsgenieApiUrl } : {}),
    },
    route: {
      receiver: defaultReceiver,
      group_by: o.groupBy ?? ['alertname', 'budget'],
      group_wait: o.groupWait ?? '30s',
      group_interval: o.groupInterval ?? '5m',
      repeat_interval: o.repeatInterval ?? '4h',
      routes: childRoutes,
    },
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"high|medium|low"'], equal: ['alertname', 'budget'] },
      { source_matchers: ['severity="high"'], target_matchers: ['severity=~"medium|low"'], equal: ['alertname', 'budget'] },
    ],
    receivers,
  };
  const head = fileMode
    ? `# Generated by Lookout. Secrets are read from files under ${dir}/.\n`
    : '# Generated by Lookout. ${NAME} placeholders hold the secrets: fill them at deploy time\n# (lookout generate alertmanager --resolve-env, or envsubst); Alertmanager reads no environment.\n';
  return head + toYaml(config);
}

/** What {@link renderEnvPlaceholders} returns. */
export interface RenderedPlaceholders {
  text: string;
  /** Names that had no value (their placeholders are left as they were). */
  missing: string[];
}

/**
 * Replaces every `${NAME}` outside comment lines of a generated YAML file with `env[NAME]`, escaped for the
 * double-quoted string it stands in. Placeholders without a value stay and are listed in
 * `missing`. Never throws.
 */
export function renderEnvPlaceholders(text: string, env: Readonly<Record<string, string | undefined>>): RenderedPlaceholders {
  const missing = new Set<string>();
  const fill = (line: string): string =>
    line.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
      const v = env !== null && typeof env === 'object' && Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
      if (typeof v !== 'string' || v === '') {
        missing.add(name);
        return whole;
      }
      return yamlString(v).slice(1, -1);
    });
  // Comment lines are left alone: they may talk about placeholders.
  const out = String(text)
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line : fill(line)))
    .join('\n');
  return { text: out, missing: [...missing] };
}
