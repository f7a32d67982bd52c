import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiagnostics, type Logger } from '@lookout/core';
import { resolveNodeOptions, type ResolvedNodeOptions } from '../config.js';
import { mergeOptions, readEnvOptions } from '../env/readEnv.js';
import { REMOTE_WRITE_HEADERS } from '../exporters/createRemoteWriter.js';
import { safeOrigin } from '../exporters/createSpoolingSender.js';
import { snappyEncode } from '../exporters/snappy.js';
import { maskConfig } from './mask.js';

/** Exit codes of the `lookout` command. */
export const CLI_EXIT = Object.freeze({
  /** Done; for `doctor`: every check passed. */
  OK: 0,
  /** `doctor`: at least one check failed. (`audit verify` has its own codes, see its help.) */
  CHECK_FAILED: 1,
  /** Bad arguments or unreadable input. */
  USAGE: 2,
});

/** Where the command writes and what it reads. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/** How long `doctor` waits for each backend. */
export const DOCTOR_TIMEOUT_MS = 3000;

const HELP = `usage: lookout <command> [options]

Commands:
  doctor [--config <file.json>] [--json]
      Prints the configuration Lookout resolves from the environment (LOOKOUT_*, OTEL_*) and the
      optional JSON file of initMonitoring() options, secrets masked, then checks that each
      configured backend answers (scrape port, Pushgateway, remote write, OTLP, telemetry,
      Sentry) and that the spool and audit-log folders are writable.
      Exit codes: 0 all checks passed, 1 a check failed, 2 bad arguments.
  audit verify <path> [--key-file <file> | --key-env <NAME>] [--prefix <p>] [--json]
      Verifies a tamper-evident audit log (@lookout/security/audit-log).
      Exit codes: 0 intact, 1 tampered, 2 error, 3 torn last line.
  generate prometheus-rules | alertmanager | grafana [options]
      Alerting rules, Alertmanager routing or Grafana dashboards from budget definitions
      (@lookout/core/generate; \`lookout generate --help\` lists the options).
  report [options]
      A self-contained HTML, JSON or CSV report of budgets against their targets, from a
      Prometheus server or a budgets file (\`lookout report --help\`).
  dev [--port <n>] [--duration <s>]
      Starts the live local viewer (@lookout/viewer) on 127.0.0.1 and prints its URL (with its
      token) and the endpoints other local processes and pages can send to. Runs until Ctrl-C.

Options:
  -h, --help     this help (also: lookout <command> --help)
  -v, --version  the version of @lookout/node
`;

const VERSION = '0.1.0';

/** One check's outcome. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * The `lookout` command: `doctor`, `audit verify`, `--help`, `--version`. Resolves to the exit
 * code; never rejects; writes only to `io`.
 */
export async function runLookoutCli(argv: readonly string[], io: CliIo): Promise<number> {
  const out = (text: string): void => void safeWrite(io.stdout, text);
  const err = (text: string): void => void safeWrite(io.stderr, text);
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      (command === undefined ? err : out)(HELP);
      return command === undefined ? CLI_EXIT.USAGE : CLI_EXIT.OK;
    }
    if (command === '-v' || command === '--version') {
      out(`${VERSION}\n`);
      return CLI_EXIT.OK;
    }
    if (command === 'doctor') return await doctor(rest, io, out, err);
    if (command === 'audit') {
      if (rest[0] !== 'verify') {
        err(`lookout audit: unknown subcommand ${rest[0] === undefined ? '(none)' : `"${rest[0]}"`}; did you mean "lookout audit verify <path>"?\n`);
        return CLI_EXIT.USAGE;
      }
      const { runAuditVerifyCommand } = await import('@lookout/security/audit-log');
      return await runAuditVerifyCommand(rest.slice(1), { stdout: io.stdout, stderr: io.stderr, env: io.env });
    }
    if (command === 'generate' || command === 'report') {
      const generate = await import('@lookout/core/generate');
      const { readFile, writeFile } = await import('node:fs/promises');
      const commandIo = {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        readFile: (path: string) => readFile(path, 'utf8'),
        writeFile: (path: string, text: string) => writeFile(path, text),
      };
      return await (command === 'generate' ? generate.runGenerateCommand(rest, commandIo) : generate.runReportCommand(rest, commandIo));
    }
    if (command === 'dev') return await dev(rest, out, err);
    err(`lookout: unknown command "${String(command).slice(0, 40)}"\n\n${HELP}`);
    return CLI_EXIT.USAGE;
  } catch (error) {
    err(`lookout: ${(error as Error)?.message ?? String(error)}\n`);
    return CLI_EXIT.USAGE;
  }
}

/** `lookout dev`: the live viewer, until Ctrl-C (or `--duration` seconds, for scripts and tests). */
async function dev(args: readonly string[], out: (t: string) => void, err: (t: string) => void): Promise<number> {
  let port = 9469;
  let durationS = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = Number(args[i + 1]);
    if ((a === '--port' || a === '--duration') && Number.isInteger(value) && value >= 0) {
      if (a === '--port') port = value;
      else durationS = value;
      i++;
    } else if (a === '-h' || a === '--help') {
      out(HELP);
      return CLI_EXIT.OK;
    } else {
      err(`lookout dev: unknown or invalid option ${a.slice(0, 40)}\n`);
      return CLI_EXIT.USAGE;
    }
  }
  let viewerModule: typeof import('@lookout/viewer');
  try {
    viewerModule = await import('@lookout/viewer');
  } catch {
    err('lookout dev: @lookout/viewer is not installed (npm i -D @lookout/viewer)\n');
    return CLI_EXIT.CHECK_FAILED;
  }
  const viewer = viewerModule.startViewer({ port });
  if (!(await viewer.ready)) {
    err(`lookout dev: cannot listen on 127.0.0.1:${port}; try --port 0\n`);
    return CLI_EXIT.CHECK_FAILED;
  }
  out(`Lookout viewer: ${viewer.url}\n`);
  out(`  OTLP/HTTP logs:    ${viewer.endpoints.otlpLogs}\n`);
  out(`  OTLP/HTTP metrics: ${viewer.endpoints.otlpMetrics}\n`);
  out(`  beacons:           ${viewer.endpoints.ingest}\n`);
  out(`  Sentry DSN:        ${viewer.endpoints.sentryDsn}\n`);
  out(durationS > 0 ? `Stopping after ${durationS} s.\n` : 'Running until Ctrl-C.\n');
  await new Promise<void>((resolve) => {
    // The viewer's server is unref'ed (it never keeps a host alive); here running is the command's job.
    const keepAlive = setInterval(() => {}, 60_000);
    const stop = (): void => {
      clearInterval(keepAlive);
      if (timer !== undefined) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    const timer = durationS > 0 ? setTimeout(stop, durationS * 1000) : undefined;
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await viewer.close();
  return CLI_EXIT.OK;
}

async function doctor(args: readonly string[], io: CliIo, out: (t: string) => void, err: (t: string) => void): Promise<number> {
  let json = false;
  let configFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--config') {
      configFile = args[++i];
      if (configFile === undefined) {
        err('lookout doctor: --config needs a file\n');
        return CLI_EXIT.USAGE;
      }
    } else if (a === '-h' || a === '--help') {
      out(HELP);
      return CLI_EXIT.OK;
    } else {
      err(`lookout doctor: unknown option ${a.slice(0, 40)}\n`);
      return CLI_EXIT.USAGE;
    }
  }
  let fileOptions: unknown;
  if (configFile !== undefined) {
    try {
      fileOptions = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (error) {
      err(`lookout doctor: cannot read ${configFile}: ${(error as Error).message}\n`);
      return CLI_EXIT.USAGE;
    }
  }
  // Configuration problems are collected and printed with the report, not logged.
  const problems: string[] = [];
  const collect = (message: string): void => void problems.push(message.replace(/^\[lookout\] /, ''));
  const logger: Logger = { error: collect, warn: collect, info: () => {}, debug: () => {} };
  const diag = createDiagnostics({ logger, level: 'warn', maxPerMinute: 1000 });
  const fromEnv = readEnvOptions(io.env, diag);
  const resolved = resolveNodeOptions(mergeOptions(fromEnv, fileOptions), diag, 'lookout-doctor').options;
  const checks = await runChecks(resolved);
  const ok = checks.every((c) => c.ok);
  if (json) {
    out(`${JSON.stringify({ ok, config: maskConfig(resolved), problems, checks }, null, 2)}\n`);
  } else {
    out('Lookout configuration (secrets masked):\n');
    out(`${JSON.stringify(maskConfig(resolved), null, 2)}\n\n`);
    if (problems.length > 0) out(`Configuration problems:\n${problems.map((p) => `  ! ${p}`).join('\n')}\n\n`);
    out('Checks:\n');
    if (checks.length === 0) out('  (no backend configured: metrics stay in the process until a scrape endpoint or push is set)\n');
    for (const c of checks) out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
    out(ok ? '\nAll checks passed.\n' : '\nSome checks failed.\n');
  }
  return ok ? CLI_EXIT.OK : CLI_EXIT.CHECK_FAILED;
}

/** Checks every backend and folder the resolved options name, in parallel. */
export async function runChecks(o: ResolvedNodeOptions): Promise<DoctorCheck[]> {
  const jobs: Promise<DoctorCheck>[] = [];
  const m = o.metrics;
  if (m !== false) {
    if (m.prometheus !== false) jobs.push(checkPortFree(m.prometheus.host, m.prometheus.port));
    if (m.pushgateway !== undefined) jobs.push(checkHttp('Pushgateway', `${m.pushgateway.url.replace(/\/+$/, '')}/-/ready`, { method: 'GET', headers: m.pushgateway.headers }));
    if (m.remoteWrite !== undefined) {
      // An empty WriteRequest: a receiver answers 2xx without storing anything.
      jobs.push(checkHttp('remote write', m.remoteWrite.url, { method: 'POST', headers: { ...REMOTE_WRITE_HEADERS, ...m.remoteWrite.headers }, body: snappyEncode(new Uint8Array(0)) }, true));
    }
    if (m.otlp !== undefined) {
      const url = m.otlp.endpoint ?? otlpFromEnv(o.env) ?? 'http://localhost:4318/v1/metrics';
      jobs.push(checkHttp('OTLP metrics', url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', ...m.otlp.headers }, body: new Uint8Array(0) }, true));
    }
  }
  if (o.telemetry !== false && typeof o.telemetry.endpoint === 'string') {
    jobs.push(checkHttp('telemetry', o.telemetry.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', ...(o.telemetry.headers as Record<string, string> | undefined) }, body: new Uint8Array(0) }));
  }
  if (o.errors !== false && typeof o.errors.dsn === 'string') jobs.push(checkSentry(o.errors.dsn));
  if (o.spool !== false) jobs.push(checkWritable('spool folder', o.spool.directory ?? join(tmpdir(), 'lookout', o.serviceName.replace(/[^\w.-]/g, '_'))));
  const auditDir = o.security === false ? undefined : (o.security.auditLog as { dir?: unknown } | undefined)?.dir;
  if (typeof auditDir === 'string') jobs.push(checkWritable('audit log folder', auditDir));
  return Promise.all(jobs);
}

function otlpFromEnv(env: ResolvedNodeOptions['env']): string | undefined {
  const e = env ?? process.env;
  const specific = e.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
  if (specific !== undefined && specific !== '') return specific;
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base !== undefined && base !== '' ? `${base.replace(/\/+$/, '')}/v1/metrics` : undefined;
}

async function checkHttp(name: string, url: string, init: { method: string; headers?: Record<string, string>; body?: Uint8Array }, needs2xx = false): Promise<DoctorCheck> {
  const where = safeOrigin(url);
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(DOCTOR_TIMEOUT_MS) });
    await res.arrayBuffer().catch(() => undefined);
    const ok = needs2xx ? res.ok : res.status < 500 && res.status !== 404;
    return { name, ok, detail: `${where} answered ${res.status}${ok ? '' : needs2xx ? ' (expected 2xx)' : ''}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.name ?? 'error';
    return { name, ok: false, detail: `${where} does not answer (${cause === 'TimeoutError' ? `no answer within ${DOCTOR_TIMEOUT_MS} ms` : cause})` };
  }
}

async function checkSentry(dsn: string): Promise<DoctorCheck> {
  try {
    const u = new URL(dsn);
    const project = u.pathname.split('/').filter(Boolean).pop() ?? '';
    const path = u.pathname.replace(/\/[^/]*$/, '');
    const check = await checkHttp('Sentry', `${u.protocol}//${u.host}${path}/api/${project}/envelope/`, { method: 'POST', headers: { 'content-type': 'application/x-sentry-envelope' }, body: new Uint8Array(0) });
    return { ...check, detail: `${check.detail} (DSN key masked)` };
  } catch {
    return { name: 'Sentry', ok: false, detail: 'the DSN is not a URL' };
  }
}

function checkPortFree(host: string, port: number): Promise<DoctorCheck> {
  return new Promise((resolve) => {
    if (port === 0) return resolve({ name: 'scrape endpoint', ok: true, detail: `${host}: a free port is chosen at start` });
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ name: 'scrape endpoint', ok: false, detail: `${host}:${port} cannot be used (${error.code ?? error.message}); another process may be serving there` }),
    );
    server.listen(port, host, () => server.close(() => resolve({ name: 'scrape endpoint', ok: true, detail: `${host}:${port} is free to serve /metrics` })));
  });
}

async function checkWritable(name: string, dir: string): Promise<DoctorCheck> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const probe = join(dir, `.lookout-doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return { name, ok: true, detail: `${dir} is writable` };
  } catch (error) {
    return { name, ok: false, detail: `${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}

function safeWrite(stream: { write(text: string): unknown }, text: string): void {
  try {
    stream.write(text);
  } catch {
    // Nowhere else to write.
  }
}
