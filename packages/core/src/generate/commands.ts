import { PROFILES, type Profile } from '../config/profiles.js';
import { createDiagnostics, describeError, type Diagnostics } from '../diagnostics/index.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { defineBudget } from '../budgets/defineBudget.js';
import { parseDuration } from '../budgets/duration.js';
import { BUDGET_PRESET_NAMES, presetBudgets, type BudgetPresetName } from '../budgets/presets.js';
import { isBudget } from '../budgets/usableBudgets.js';
import type { Budget, BudgetOptions } from '../budgets/types.js';
import { generateAlertmanagerConfig, renderEnvPlaceholders, type AlertmanagerConfigOptions } from './alertmanager.js';
import { DASHBOARD_VIEWS, generateGrafanaDashboard, type DashboardView } from './grafana.js';
import { generatePrometheusRules } from './prometheusRules.js';
import { collectReportFromPrometheus, collectReportFromRegistry, type ReportFetch } from './report.js';
import { renderReportCsv, renderReportHtml, renderReportJson } from './renderReport.js';
import type { LabelMatcher } from './promql.js';

/** Exit codes of `lookout generate` and `lookout report`. */
export const COMMAND_EXIT = Object.freeze({
  OK: 0,
  /** `lookout report --fail-on`: a budget is at or past that state. */
  BUDGET_BREACHED: 1,
  /** Bad arguments, unreadable budgets file, missing environment variables, nothing reachable. */
  ERROR: 2,
});

/** What the commands write to and read from; the `lookout` CLI passes Node's. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Environment for `--resolve-env`. The CLI passes `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads `--budgets` files. Without it, `--budgets` is an error. */
  readFile?: (path: string) => Promise<string>;
  /** Writes `--out` / `--out-dir` files. Without it, those options are an error. */
  writeFile?: (path: string, text: string) => Promise<void>;
  /** Budgets the CLI loaded itself (e.g. from the app's config module); used when no `--budgets`/`--preset` is given. */
  budgets?: readonly Budget[];
  /** `fetch` for `lookout report --prometheus`. Default the global one. */
  fetch?: ReportFetch;
  /** Registry for `lookout report` without `--prometheus` (in-process use). */
  registry?: MetricsRegistry;
}

const BUDGET_OPTIONS_HELP = `Budgets (default: every preset for the profile):
  --budgets <file.json>   JSON: [{ "metric": "app_startup_duration_seconds", "target": 0.05, "warning": 0.1, "critical": 0.25, ... }]
  --preset <names|all>    presets: ${BUDGET_PRESET_NAMES.join(', ')} (comma-separated)
  --profile <name>        ${PROFILES.join(' | ')} (default production)
  --namespace <ns>        metric namespace of the presets (default app)`;

const GENERATE_USAGE = `usage: lookout generate <prometheus-rules | alertmanager | grafana> [options]

prometheus-rules  alerting rules YAML (check with: promtool check rules FILE)
  --job <name>          only series of this job (adds job="<name>" to every selector)
  --group-by <labels>   keep these labels apart, e.g. job,instance
  --for <duration>      override every budget's "for"
  --group-name <name>   rule group name (default lookout-budgets)
  --no-recording        leave out the lookout:budget_value recording rules
  --out <file>          write to a file instead of stdout

alertmanager      routing tree by severity (check with: amtool check-config FILE)
  --secrets <env|file>  \${NAME} placeholders (default) or *_file secret files
  --resolve-env         fill the placeholders from the environment (fails on missing ones)
  --env-prefix <P_>     prefix of the variable names
  --secrets-dir <dir>   directory of the secret files (default /etc/alertmanager/secrets)
  --webhook-url <url>   non-secret webhook URL for low severity
  --slack-channel <#c>  --email-to <addr>  --email-from <addr>  --smarthost <host:port>
  --group-wait <d>  --group-interval <d>  --repeat-interval <d>
  --out <file>

grafana           dashboards JSON (import in Grafana, or provision the files)
  --view <names>        ${DASHBOARD_VIEWS.join(', ')} (comma-separated; default all)
  --out-dir <dir>       one file per view: lookout-<view>.json
  --out <file>          one view to a file; without --out/--out-dir: JSON to stdout
                        (one dashboard, or an array of them)

${BUDGET_OPTIONS_HELP}
`;

const REPORT_USAGE = `usage: lookout report --prometheus <url> [options]

Writes a performance report: each budget against its target, trends, top errors, grade.
  --prometheus <url>      Prometheus server to query (HTTP API)
  --format <html|json|csv> default html (self-contained: inline SVG, no external assets)
  --out <file>            write to a file instead of stdout
  --range <duration>      range of the trends (default 24h)
  --step <duration>       step of the trends (default range/120)
  --job <name>            only series of this job
  --title <text>          report title
  --fail-on <warning|critical>  exit 1 when a budget is at or past that state

${BUDGET_OPTIONS_HELP}
`;

/** Parsed `--name value`, `--name=value` and bare flags. */
interface Parsed {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

const BARE_FLAGS = new Set(['--no-recording', '--resolve-env', '--help', '-h']);

function parseArgs(argv: readonly unknown[]): Parsed | string {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const args = argv.map((a) => String(a));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (BARE_FLAGS.has(a)) {
      flags.add(a);
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) return `${name} needs a value`;
      (values.get(name) ?? values.set(name, []).get(name)!).push(value);
    } else {
      positional.push(a);
    }
  }
  return { values, flags, positional };
}

function one(p: Parsed, name: string): string | undefined {
  const v = p.values.get(name);
  return v === undefined ? undefined : v[v.length - 1];
}

function list(p: Parsed, name: string): string[] | undefined {
  const v = p.values.get(name);
  return v === undefined ? undefined : v.flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');
}

/** Writes through `io`, never throwing. */
function writer(io: CommandIo): (stream: 'stdout' | 'stderr', text: string) => void {
  return (stream, text) => {
    try {
      io?.[stream]?.write(text);
    } catch {
      // Nowhere else to write.
    }
  };
}

/** Diagnostics that print to stderr as `lookout <command>: …`. */
function commandDiagnostics(command: string, err: (text: string) => void): Diagnostics {
  const line = (m: string): void => err(`lookout ${command}: ${m}\n`);
  return createDiagnostics({ level: 'warn', logger: { error: line, warn: line, info: line, debug: line }, maxPerMinute: 10_000 });
}

const KNOWN = new Set([
  '--budgets', '--preset', '--profile', '--namespace', '--job', '--group-by', '--for', '--group-name', '--out', '--out-dir', '--view',
  '--secrets', '--env-prefix', '--secrets-dir', '--webhook-url', '--slack-channel', '--email-to', '--email-from', '--smarthost',
  '--group-wait', '--group-interval', '--repeat-interval', '--prometheus', '--format', '--range', '--step', '--title', '--fail-on',
]);

/** Budgets from `--budgets`, `--preset`, `io.budgets` or every preset. Returns an error text on failure. */
async function loadBudgets(p: Parsed, io: CommandIo, diag: Diagnostics): Promise<{ budgets: Budget[]; profile: Profile } | string> {
  const profileArg = one(p, '--profile');
  if (profileArg !== undefined && !PROFILES.includes(profileArg as Profile)) return `unknown profile "${profileArg}" (${PROFILES.join(', ')})`;
  const profile = (profileArg ?? 'production') as Profile;
  const namespace = one(p, '--namespace');
  if (namespace !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(namespace)) return `--namespace must be a Prometheus name prefix, got "${namespace}"`;
  const file = one(p, '--budgets');
  const presets = list(p, '--preset');
  const budgets: Budget[] = [];
  if (file !== undefined) {
    if (typeof io.readFile !== 'function') return '--budgets needs file access, which this caller does not give';
    let parsed: unknown;
    try {
      parsed = JSON.parse(await io.readFile(file));
    } catch (error) {
      return `cannot read budgets from ${file}: ${describeError(error)}`;
    }
    const entries = Array.isArray(parsed) ? parsed : parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { budgets?: unknown }).budgets) ? (parsed as { budgets: unknown[] }).budgets : undefined;
    if (entries === undefined) return `${file}: expected an array of budgets, or { "budgets": [...] }`;
    for (const [i, e] of entries.entries()) {
      if (e === null || typeof e !== 'object' || typeof (e as { metric?: unknown }).metric !== 'string') return `${file}: budget ${i} needs a "metric"`;
      const { metric, ...options } = e as { metric: string } & BudgetOptions;
      budgets.push(defineBudget(metric, { ...options, profile: options.profile ?? profile }, { diagnostics: diag }));
    }
  }
  if (presets !== undefined) {
    const names = presets.includes('all') ? [...BUDGET_PRESET_NAMES] : presets;
    const unknown = names.filter((n) => !BUDGET_PRESET_NAMES.includes(n as BudgetPresetName));
    if (unknown.length > 0) return `unknown preset(s) ${unknown.join(', ')} (${BUDGET_PRESET_NAMES.join(', ')}, all)`;
    budgets.push(...presetBudgets({ profile, namespace, only: names as BudgetPresetName[], diagnostics: diag }));
  }
  if (file === undefined && presets === undefined) {
    if (Array.isArray(io.budgets) && io.budgets.length > 0) budgets.push(...io.budgets.filter(isBudget));
    else budgets.push(...presetBudgets({ profile, namespace, diagnostics: diag }));
  }
  return { budgets, profile };
}

function jobMatchers(p: Parsed): LabelMatcher[] {
  const job = one(p, '--job');
  return job === undefined ? [] : [{ name: 'job', value: job }];
}

async function emit(io: CommandIo, p: Parsed, text: string, write: ReturnType<typeof writer>): Promise<string | undefined> {
  const out = one(p, '--out');
  if (out === undefined) {
    write('stdout', text);
    return undefined;
  }
  if (typeof io.writeFile !== 'function') return '--out needs file access, which this caller does not give';
  await io.writeFile(out, text);
  return undefined;
}

/**
 * `lookout generate prometheus-rules | alertmanager | grafana [options]`, for the `lookout` CLI
 * of `@lookout/node` to call with the arguments after `generate`. Writes the generated file to
 * stdout (or `--out`), problems to stderr, and resolves to an exit code ({@link COMMAND_EXIT}).
 * Never rejects.
 */
export async function runGenerateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const write = writer(io);
  const fail = (message: string, usage = false): number => {
    write('stderr', `lookout generate: ${message}\n${usage ? GENERATE_USAGE : ''}`);
    return COMMAND_EXIT.ERROR;
  };
  try {
    const p = parseArgs(Array.isArray(argv) ? argv : []);
    if (typeof p === 'string') return fail(p, true);
    if (p.flags.has('--help') || p.flags.has('-h')) {
      write('stdout', GENERATE_USAGE);
      return COMMAND_EXIT.OK;
    }
    const [target, ...extra] = p.positional;
    if (target === undefined) return fail('which file? prometheus-rules, alertmanager or grafana', true);
    if (extra.length > 0) return fail(`unexpected argument ${extra[0]}`, true);
    const unknown = [...p.values.keys()].find((k) => !KNOWN.has(k));
    if (unknown !== undefined) return fail(`unknown option ${unknown}`, true);
    const diag = commandDiagnostics('generate', (t) => write('stderr', t));

    if (target === 'alertmanager') {
      const secrets = one(p, '--secrets');
      if (secrets !== undefined && secrets !== 'env' && secrets !== 'file') return fail('--secrets is env or file');
      const options: AlertmanagerConfigOptions = { diagnostics: diag };
      if (secrets !== undefined) options.secrets = secrets;
      const set = <K extends keyof AlertmanagerConfigOptions>(key: K, flag: string): void => {
        const v = one(p, flag);
        if (v !== undefined) options[key] = v as AlertmanagerConfigOptions[K];
      };
      set('envPrefix', '--env-prefix');
      set('secretsDir', '--secrets-dir');
      set('webhookUrl', '--webhook-url');
      set('slackChannel', '--slack-channel');
      set('groupWait', '--group-wait');
      set('groupInterval', '--group-interval');
      set('repeatInterval', '--repeat-interval');
      const to = one(p, '--email-to');
      const from = one(p, '--email-from');
      const smarthost = one(p, '--smarthost');
      if (to !== undefined || from !== undefined || smarthost !== undefined) options.email = { ...(to ? { to } : {}), ...(from ? { from } : {}), ...(smarthost ? { smarthost } : {}) };
      let text = generateAlertmanagerConfig(options);
      if (p.flags.has('--resolve-env')) {
        const r = renderEnvPlaceholders(text, io.env ?? {});
        if (r.missing.length > 0) return fail(`--resolve-env: these environment variables are not set: ${r.missing.join(', ')}`);
        text = r.text;
      }
      const e = await emit(io, p, text, write);
      return e === undefined ? COMMAND_EXIT.OK : fail(e);
    }

    if (target !== 'prometheus-rules' && target !== 'grafana') return fail(`unknown target "${target}"`, true);
    const loaded = await loadBudgets(p, io, diag);
    if (typeof loaded === 'string') return fail(loaded);
    const enabled = loaded.budgets.filter((b) => b.enabled);
    if (enabled.length === 0) return fail('no usable budget');

    if (target === 'prometheus-rules') {
      const forArg = one(p, '--for');
      if (forArg !== undefined && parseDuration(forArg) === undefined) return fail(`--for must be a duration such as 5m, got "${forArg}"`);
      const text = generatePrometheusRules(enabled, {
        matchers: jobMatchers(p),
        ...(list(p, '--group-by') ? { groupBy: list(p, '--group-by') } : {}),
        ...(forArg !== undefined ? { for: forArg } : {}),
        ...(one(p, '--group-name') !== undefined ? { groupName: one(p, '--group-name') } : {}),
        recordingRules: !p.flags.has('--no-recording'),
        diagnostics: diag,
      });
      const e = await emit(io, p, text, write);
      return e === undefined ? COMMAND_EXIT.OK : fail(e);
    }

    const views = list(p, '--view') ?? [...DASHBOARD_VIEWS];
    const bad = views.find((v) => !DASHBOARD_VIEWS.includes(v as DashboardView));
    if (bad !== undefined) return fail(`unknown view "${bad}" (${DASHBOARD_VIEWS.join(', ')})`);
    const namespace = one(p, '--namespace');
    const dashboards = views.map((v) => generateGrafanaDashboard(v as DashboardView, enabled, { diagnostics: diag, ...(namespace ? { namespace } : {}) }));
    const outDir = one(p, '--out-dir');
    if (outDir !== undefined) {
      if (typeof io.writeFile !== 'function') return fail('--out-dir needs file access, which this caller does not give');
      for (const d of dashboards) await io.writeFile(`${outDir.replace(/\/+$/, '')}/${d.uid}.json`, `${JSON.stringify(d, null, 2)}\n`);
      return COMMAND_EXIT.OK;
    }
    const e = await emit(io, p, `${JSON.stringify(dashboards.length === 1 ? dashboards[0] : dashboards, null, 2)}\n`, write);
    return e === undefined ? COMMAND_EXIT.OK : fail(e);
  } catch (error) {
    return fail(describeError(error));
  }
}

/**
 * `lookout report [options]`, for the `lookout` CLI of `@lookout/node`: collects the budgets
 * from a Prometheus server (`--prometheus`) or from `io.registry`, and writes the report as HTML
 * (default), JSON or CSV to stdout or `--out`. Resolves to an exit code ({@link COMMAND_EXIT});
 * with `--fail-on warning|critical`, 1 when a budget is at or past that state. Never rejects.
 */
export async function runReportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const write = writer(io);
  const fail = (message: string, usage = false): number => {
    write('stderr', `lookout report: ${message}\n${usage ? REPORT_USAGE : ''}`);
    return COMMAND_EXIT.ERROR;
  };
  try {
    const p = parseArgs(Array.isArray(argv) ? argv : []);
    if (typeof p === 'string') return fail(p, true);
    if (p.flags.has('--help') || p.flags.has('-h')) {
      write('stdout', REPORT_USAGE);
      return COMMAND_EXIT.OK;
    }
    if (p.positional.length > 0) return fail(`unexpected argument ${p.positional[0]}`, true);
    const unknown = [...p.values.keys()].find((k) => !KNOWN.has(k));
    if (unknown !== undefined) return fail(`unknown option ${unknown}`, true);
    const format = one(p, '--format') ?? 'html';
    if (format !== 'html' && format !== 'json' && format !== 'csv') return fail('--format is html, json or csv');
    const failOn = one(p, '--fail-on');
    if (failOn !== undefined && failOn !== 'warning' && failOn !== 'critical') return fail('--fail-on is warning or critical');
    const durationOf = (flag: string): number | undefined | string => {
      const v = one(p, flag);
      if (v === undefined) return undefined;
      const ms = parseDuration(v);
      return ms === undefined || ms < 1000 ? `${flag} must be a duration of at least 1s, such as 24h` : ms;
    };
    const rangeMs = durationOf('--range');
    const stepMs = durationOf('--step');
    if (typeof rangeMs === 'string') return fail(rangeMs);
    if (typeof stepMs === 'string') return fail(stepMs);
    const diag = commandDiagnostics('report', (t) => write('stderr', t));
    const loaded = await loadBudgets(p, io, diag);
    if (typeof loaded === 'string') return fail(loaded);
    const url = one(p, '--prometheus');
    const title = one(p, '--title');
    let data;
    if (url !== undefined) {
      data = await collectReportFromPrometheus(loaded.budgets, {
        url,
        matchers: jobMatchers(p),
        ...(rangeMs !== undefined ? { rangeMs } : {}),
        ...(stepMs !== undefined ? { stepMs } : {}),
        ...(title !== undefined ? { title } : {}),
        ...(one(p, '--namespace') !== undefined ? { namespace: one(p, '--namespace') } : {}),
        ...(io.fetch ? { fetch: io.fetch } : {}),
        diagnostics: diag,
      });
      if (data.budgets.length > 0 && data.warnings.length >= data.budgets.length && data.budgets.every((b) => b.value === null)) {
        for (const w of data.warnings) write('stderr', `lookout report: ${w}\n`);
        return fail(`could not query ${url}`);
      }
    } else if (io.registry !== undefined) {
      data = await collectReportFromRegistry(loaded.budgets, { registry: io.registry, ...(title !== undefined ? { title } : {}), diagnostics: diag });
    } else {
      return fail('--prometheus <url> is required', true);
    }
    for (const w of data.warnings) write('stderr', `lookout report: warning: ${w}\n`);
    const text = format === 'json' ? renderReportJson(data) : format === 'csv' ? renderReportCsv(data) : renderReportHtml(data);
    const e = await emit(io, p, text, write);
    if (e !== undefined) return fail(e);
    if (failOn !== undefined && data.budgets.some((b) => b.state === 'critical' || (failOn === 'warning' && b.state === 'warning'))) return COMMAND_EXIT.BUDGET_BREACHED;
    return COMMAND_EXIT.OK;
  } catch (error) {
    return fail(describeError(error));
  }
}
