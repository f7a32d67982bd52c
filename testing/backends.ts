/**
 * Real backends for Lookout's integration tests, started on 127.0.0.1 with their own temp dirs.
 *
 * Every `start*()` helper spawns the real binary (see shared/BACKENDS.md), polls its readiness
 * endpoint, and resolves to a handle with `url`, `port`, `hostPort` and an idempotent `stop()`.
 * Binaries come from `bash scripts/install-backends.sh`; a missing one is an error, never a skip.
 *
 * Cleanup is layered so no backend outlives the test process:
 * - `stop()` has the watchdog (below) SIGTERM the backend and waits for it to exit, then
 *   SIGKILLs its process group after a grace period, and removes its temp dir;
 * - an `exit` hook kills whatever is still running and removes the temp dirs;
 * - each backend runs under a tiny `sh` watchdog that kills it when our end of its stdin pipe
 *   closes, which also covers a test worker killed by a signal (no `exit` hook runs then).
 *
 * Typical use, once per test file (Prometheus scrapes for the first time 5–6 s after start, so
 * pick the target ports up front and start Prometheus once):
 *
 * ```ts
 * const pgPort = await getFreePort();
 * const prom = await startPrometheus({
 *   scrapeTargets: [{ job: 'pushgateway', targets: [`127.0.0.1:${pgPort}`], honorLabels: true }],
 * });
 * const pg = await startPushgateway({ port: pgPort });
 * afterAll(() => Promise.all([prom.stop(), pg.stop()]));
 * ```
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** How to get the binaries; part of every "missing binary" error. */
export const INSTALL_HINT =
  'Install the test backends with `bash scripts/install-backends.sh` (as root; Debian 12). ' +
  'See shared/BACKENDS.md.';

/** Readiness wait for a freshly spawned backend. */
export const DEFAULT_START_TIMEOUT_MS = 15_000;
/** How long `stop()` waits after SIGTERM before it sends SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 5_000;
/** Default `waitFor()` deadline; covers Prometheus' first scrape 5–6 s after start. */
export const DEFAULT_WAIT_FOR_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 100;
const LOG_TAIL_LINES = 200;

/** Launch arguments for Debian's Chromium under playwright-core (shared/BACKENDS.md). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------------------------------------------------------------------------------------------
// Binaries
// ---------------------------------------------------------------------------------------------

/** Binaries the helpers know how to find. Other names are looked up on PATH only. */
export type BackendBinary =
  | 'prometheus'
  | 'promtool'
  | 'prometheus-pushgateway'
  | 'prometheus-alertmanager'
  | 'amtool'
  | 'victoria-metrics'
  | 'chromium';

/** Where scripts/install-backends.sh unpacks VictoriaMetrics (same order as the script). */
function backendsDirs(): string[] {
  const dirs: string[] = [];
  const fromEnv = process.env['LOOKOUT_BACKENDS_DIR'];
  if (fromEnv) dirs.push(fromEnv);
  dirs.push('/opt/lookout-backends');
  const cacheHome = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  dirs.push(join(cacheHome, 'lookout-backends'));
  return dirs;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function candidatePaths(name: string): string[] {
  switch (name) {
    case 'victoria-metrics':
      return [
        ...(process.env['LOOKOUT_VICTORIA_METRICS'] ? [process.env['LOOKOUT_VICTORIA_METRICS']] : []),
        ...backendsDirs().map((dir) => join(dir, 'victoria-metrics', 'usr', 'bin', 'victoria-metrics')),
      ];
    case 'chromium':
      return [
        ...(process.env['LOOKOUT_CHROMIUM'] ? [process.env['LOOKOUT_CHROMIUM']] : []),
        '/usr/bin/chromium',
      ];
    default:
      return [];
  }
}

/**
 * Returns the absolute path of a backend binary.
 *
 * `victoria-metrics` is looked up in `$LOOKOUT_VICTORIA_METRICS`, then in the cache dirs that
 * scripts/install-backends.sh fills, then on PATH (a PATH copy may be Debian 12's 1.79, which
 * has no OTLP, so the cache wins). `chromium` honours `$LOOKOUT_CHROMIUM`.
 *
 * @throws Error naming the binary and how to install it. Tests must fail, not skip, without it.
 */
export function requireBinary(name: BackendBinary | (string & {})): string {
  if (isAbsolute(name)) {
    if (isExecutable(name)) return name;
  } else {
    for (const candidate of candidatePaths(name)) {
      if (isExecutable(candidate)) return candidate;
    }
    const onPath = findOnPath(name);
    if (onPath) return onPath;
  }
  throw new Error(`Backend binary "${name}" was not found or is not executable. ${INSTALL_HINT}`);
}

/** Path of Debian's Chromium, for `chromium.launch({ executablePath, args: CHROMIUM_ARGS })`. */
export function findChromium(): string {
  return requireBinary('chromium');
}

// ---------------------------------------------------------------------------------------------
// Ports, temp dirs, polling
// ---------------------------------------------------------------------------------------------

/** Probes before giving up on a port that no test process has been given lately. */
const FREE_PORT_ATTEMPTS = 50;
/** How long a port handed out stays reserved for the test process that asked for it. */
const PORT_RESERVATION_MS = 10 * 60_000;

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; we close the
 * probe socket before returning). Pick ports up front when a config must name them.
 *
 * Never returns a port that any test process on this machine was given in the last ten minutes.
 * Linux can offer a probe port that was just closed to the very next probe, in this process or
 * in another test worker, so two backends would otherwise share a port. Reservations are files
 * created exclusively in one directory under the temp dir.
 */
export async function getFreePort(): Promise<number> {
  const dir = join(tmpdir(), 'lookout-test-ports');
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
    const port = await probeFreePort();
    if (reservePort(join(dir, String(port)))) return port;
  }
  throw new Error(`No free port on 127.0.0.1 that no test process was given lately (${FREE_PORT_ATTEMPTS} probes)`);
}

function reservePort(file: string): boolean {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Taken before: a reservation from a run long gone is free again.
  if (Date.now() - statSync(file).mtimeMs < PORT_RESERVATION_MS) return false;
  writeFileSync(file, String(process.pid));
  return true;
}

function probeFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err ? reject(err) : resolvePort(port)));
    });
  });
}

/**
 * Throws unless `port` on 127.0.0.1 can be bound right now. A start helper checks this first:
 * otherwise another server on the port could answer the readiness probe for a backend that
 * failed to bind.
 */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolveFree, reject) => {
    const server = createNetServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`Port 127.0.0.1:${port} is not free (${err.code ?? err.message})`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree()));
  });
}

const liveTempDirs = new Set<string>();

/*
 * The janitor: a detached `sh` that reads temp dir paths from its stdin, one a line, and removes
 * them all when the pipe closes, i.e. when this process ends however it ends. Test workers are
 * often torn down without running 'exit' listeners, so those alone would leak temp dirs.
 */
const JANITOR_SCRIPT = 'while IFS= read -r dir; do set -- "$@" "$dir"; done; rm -rf -- "$@"';
let janitor: ChildProcess | undefined;

function registerWithJanitor(dir: string): void {
  if (!janitor) {
    janitor = spawn('sh', ['-c', JANITOR_SCRIPT, 'lookout-janitor'], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    janitor.on('error', () => {});
    janitor.stdin?.on('error', () => {});
    janitor.unref();
    (janitor.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  janitor.stdin?.write(`${dir}\n`);
}

/**
 * Creates a temp dir (`$TMPDIR/lookout-PREFIX-XXXXXX`) that is removed by the owning backend's
 * `stop()`, or else when the test process ends.
 */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lookout-${prefix}-`));
  liveTempDirs.add(dir);
  registerWithJanitor(dir);
  return dir;
}

function removeTempDir(dir: string): void {
  liveTempDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Thrown by a `pollUntil` probe to give up at once (e.g. the backend exited). */
export class StopPolling extends Error {}

/**
 * Polls `probe` until it returns a value other than `undefined`, or throws after `timeoutMs`.
 * Errors thrown by `probe` count as "not yet" (the last one is quoted in the timeout error),
 * except `StopPolling`, which is rethrown at once.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = POLL_INTERVAL_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof StopPolling) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Process management
// ---------------------------------------------------------------------------------------------

/*
 * The watchdog: `sh` starts the backend in the background and blocks reading its own stdin
 * (a pipe from this process, kept on fd 3 because asynchronous lists get /dev/null as stdin).
 * When we exit for any reason the pipe closes, `read` returns, and the backend gets SIGTERM.
 * When the backend exits by itself, `sh` exits with its status. It runs in its own process
 * group (`detached`) so `stop()` can signal both at once.
 */
const WATCHDOG_SCRIPT = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  '( read -r _ <&3; kill -TERM "$child" 2>/dev/null ) &',
  'watcher=$!',
  'wait "$child"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;
  readonly logLines: string[];
}

const liveProcesses = new Set<ManagedProcess>();
let exitHookInstalled = false;

function killGroup(proc: ManagedProcess, signal: NodeJS.Signals): void {
  const pid = proc.child.pid;
  if (pid === undefined || proc.exitCode !== undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous by necessity: 'exit' listeners cannot wait.
  process.once('exit', () => {
    for (const proc of liveProcesses) killGroup(proc, 'SIGKILL');
    for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function spawnManaged(name: string, bin: string, args: readonly string[]): ManagedProcess {
  installExitHook();
  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT, `lookout-${name}`, bin, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  const echo = process.env['LOOKOUT_BACKEND_LOGS'] === '1';
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      logLines.push(line);
      if (echo) process.stderr.write(`[${name}] ${line}\n`);
    }
    if (logLines.length > LOG_TAIL_LINES) logLines.splice(0, logLines.length - LOG_TAIL_LINES);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // The watchdog pipe: never written, closed by stop() or by our own exit.
  child.stdin.on('error', () => {});
  // Do not keep the test process alive just because a backend is running.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }

  const proc: ManagedProcess = {
    name,
    child,
    logLines,
    exitCode: undefined,
    exited: new Promise((resolveExit) => {
      child.once('error', (err) => {
        logLines.push(`spawn error: ${err.message}`);
        proc.exitCode = null;
        liveProcesses.delete(proc);
        resolveExit(null);
      });
      child.once('exit', (code, signal) => {
        if (signal) logLines.push(`exited on ${signal}`);
        proc.exitCode = code;
        liveProcesses.delete(proc);
        resolveExit(code);
      });
    }),
  };
  liveProcesses.add(proc);
  return proc;
}

async function stopManaged(proc: ManagedProcess, graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
  if (proc.exitCode !== undefined) return;
  // Closing the pipe makes the watchdog SIGTERM the backend and exit once it has exited, so
  // the port is free when this resolves. (Signalling the group would end `sh` first.)
  proc.child.stdin.end();
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([proc.exited, timer])) === 'timeout') {
    killGroup(proc, 'SIGKILL');
    await proc.exited;
  }
}

function logTail(proc: ManagedProcess, lines = 30): string {
  return proc.logLines.slice(-lines).join('\n');
}

/** Waits until `url` answers 2xx; fails fast (with the backend's log tail) if it exits. */
async function waitReady(proc: ManagedProcess, url: string, timeoutMs: number): Promise<void> {
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  try {
    await pollUntil(
      `${proc.name} at ${url}`,
      async () => {
        if (exited) throw new StopPolling(`${proc.name} exited with code ${String(proc.exitCode)}`);
        const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        return res.ok ? true : undefined;
      },
      timeoutMs,
      50,
    );
  } catch (err) {
    await stopManaged(proc);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${proc.name} did not become ready: ${message}\n--- ${proc.name} log ---\n${logTail(proc)}`);
  }
}

/** What every started backend has. */
export interface BackendHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** `127.0.0.1:PORT`, the form Prometheus scrape targets and Alertmanager addresses use. */
  readonly hostPort: string;
  /** The backend's temp dir (config, storage); removed by `stop()`. */
  readonly dir: string;
  /** OS process id of the watchdog `sh` (its process group holds the backend). */
  readonly pid: number;
  /** The last lines the backend wrote to stdout/stderr. */
  logs(): string;
  /** Kills the backend and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface StartSpec {
  name: string;
  binary: BackendBinary;
  port: number;
  dir: string;
  args: string[];
  readyPath: string;
  startTimeoutMs?: number | undefined;
}

async function startBackend(spec: StartSpec): Promise<BackendHandle> {
  const url = `http://127.0.0.1:${spec.port}`;
  let proc: ManagedProcess;
  try {
    const bin = requireBinary(spec.binary);
    await assertPortFree(spec.port);
    proc = spawnManaged(spec.name, bin, spec.args);
    await waitReady(proc, `${url}${spec.readyPath}`, spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  } catch (err) {
    removeTempDir(spec.dir);
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopManaged(proc).finally(() => removeTempDir(spec.dir));
    return stopping;
  };
  return {
    url,
    port: spec.port,
    hostPort: `127.0.0.1:${spec.port}`,
    dir: spec.dir,
    pid: proc.child.pid ?? -1,
    logs: () => proc.logLines.join('\n'),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

async function expectOk(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) {
    const text = await res.text();
    throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 500)}`);
  }
  return res;
}

// ---------------------------------------------------------------------------------------------
// Prometheus query API (Prometheus and VictoriaMetrics share it)
// ---------------------------------------------------------------------------------------------

/** One series from an instant query (vector/scalar), or from a range query (with `values`). */
export interface PromSample {
  /** Labels, including `__name__`. Empty for a scalar. */
  readonly metric: Record<string, string>;
  /** The (last) value; `+Inf`, `-Inf` and `NaN` are parsed. */
  readonly value: number;
  /** Seconds since the epoch of `value`. */
  readonly timestamp: number;
  /** Every `[timestamp, value]` pair of a matrix result. */
  readonly values?: ReadonlyArray<readonly [number, number]>;
}

type RawPoint = [number, string];
interface RawQueryResponse {
  status: 'success' | 'error';
  error?: string;
  data: {
    resultType: 'vector' | 'matrix' | 'scalar' | 'string';
    result: unknown;
  };
}

/** Parses Prometheus' sample value strings, including `+Inf`, `-Inf` and `NaN`. */
export function parsePromValue(raw: string): number {
  switch (raw) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return Number(raw);
  }
}

function parseQueryResponse(body: RawQueryResponse): PromSample[] {
  if (body.status !== 'success') throw new Error(`query failed: ${body.error ?? 'unknown error'}`);
  const { resultType, result } = body.data;
  switch (resultType) {
    case 'vector':
      return (result as Array<{ metric: Record<string, string>; value: RawPoint }>).map((s) => ({
        metric: s.metric,
        value: parsePromValue(s.value[1]),
        timestamp: s.value[0],
      }));
    case 'matrix':
      return (result as Array<{ metric: Record<string, string>; values: RawPoint[] }>).map((s) => {
        const values = s.values.map(([t, v]) => [t, parsePromValue(v)] as const);
        const last = values[values.length - 1] ?? ([NaN, NaN] as const);
        return { metric: s.metric, value: last[1], timestamp: last[0], values };
      });
    case 'scalar': {
      const [t, v] = result as RawPoint;
      return [{ metric: {}, value: parsePromValue(v), timestamp: t }];
    }
    default:
      throw new Error(`unsupported resultType ${resultType}`);
  }
}

/** Query functions bound to one server's Prometheus-compatible HTTP API. */
export interface PromQueryApi {
  /** Instant query (`/api/v1/query`). Throws on a PromQL error. */
  query(promql: string, opts?: { time?: number }): Promise<PromSample[]>;
  /** Range query (`/api/v1/query_range`); times in seconds since the epoch. */
  queryRange(promql: string, opts: { start: number; end: number; stepS: number }): Promise<PromSample[]>;
  /**
   * Polls an instant query until `predicate` holds (default: any result), then returns the
   * samples. The timeout error quotes the last result, plus backend diagnostics if any.
   */
  waitFor(
    promql: string,
    predicate?: (samples: PromSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PromSample[]>;
}

function makeQueryApi(
  baseUrl: string,
  opts: { beforeQuery?: () => Promise<void>; diagnose?: () => Promise<string> } = {},
): PromQueryApi {
  const query = async (promql: string, q: { time?: number } = {}) => {
    await opts.beforeQuery?.();
    const params = new URLSearchParams({ query: promql });
    if (q.time !== undefined) params.set('time', String(q.time));
    return parseQueryResponse(await getJson<RawQueryResponse>(`${baseUrl}/api/v1/query?${params}`));
  };
  return {
    query,
    async queryRange(promql, q) {
      await opts.beforeQuery?.();
      const params = new URLSearchParams({
        query: promql,
        start: String(q.start),
        end: String(q.end),
        step: `${q.stepS}s`,
      });
      return parseQueryResponse(await getJson<RawQueryResponse>(`${baseUrl}/api/v1/query_range?${params}`));
    },
    async waitFor(promql, predicate = (s) => s.length > 0, timeoutMs = DEFAULT_WAIT_FOR_TIMEOUT_MS) {
      let last: PromSample[] | undefined;
      try {
        return await pollUntil(
          `query ${JSON.stringify(promql)}`,
          async () => {
            last = await query(promql);
            return predicate(last) ? last : undefined;
          },
          timeoutMs,
          200,
        );
      } catch (err) {
        const diagnostics = opts.diagnose ? await opts.diagnose().catch((e: unknown) => String(e)) : '';
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(
          `${message}\nlast result: ${JSON.stringify(last)}${diagnostics ? `\n${diagnostics}` : ''}`,
        );
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Prometheus
// ---------------------------------------------------------------------------------------------

/** One scrape job. */
export interface ScrapeTarget {
  job: string;
  /** `['127.0.0.1:PORT']`; a target may come up after Prometheus does. */
  targets: string[];
  /** Keep the scraped `job`/`instance` labels (needed for a Pushgateway). Default false. */
  honorLabels?: boolean;
  /** Default `/metrics`. */
  metricsPath?: string;
  /** Extra labels put on every series of this job. */
  labels?: Record<string, string>;
}

export interface PrometheusOptions {
  scrapeTargets?: ScrapeTarget[];
  /** Scrape interval in seconds (the scrape timeout follows it). Default 1. */
  scrapeIntervalS?: number;
  /** Rule evaluation interval in seconds. Default 1. */
  evaluationIntervalS?: number;
  /** Absolute paths of rule files; edit them and call `reload()` to apply changes. */
  ruleFiles?: string[];
  /** Alertmanagers to send alerts to, as `127.0.0.1:PORT`. */
  alertmanagers?: string[];
  /** Fixed port; default a free one. */
  port?: number;
  startTimeoutMs?: number;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

export interface PrometheusTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
}

export interface PrometheusHandle extends BackendHandle, PromQueryApi {
  /** Path of the generated prometheus.yml. */
  readonly configFile: string;
  /** `POST` protobuf+snappy WriteRequests here (the remote-write receiver is on). */
  readonly remoteWriteUrl: string;
  /** Active alerts from `/api/v1/alerts`. */
  alerts(): Promise<PrometheusAlert[]>;
  /** Active targets from `/api/v1/targets`. */
  targets(): Promise<PrometheusTarget[]>;
  /**
   * Rewrites prometheus.yml (when `changes` are given) and `POST /-/reload`s, which also
   * re-reads the rule files. Changing `port` is not supported.
   */
  reload(changes?: Omit<PrometheusOptions, 'port' | 'startTimeoutMs'>): Promise<void>;
}

function prometheusConfig(opts: PrometheusOptions): string {
  const interval = opts.scrapeIntervalS ?? 1;
  const config = {
    global: {
      scrape_interval: `${interval}s`,
      // Must not exceed the interval, and Prometheus' default (10s) would.
      scrape_timeout: `${interval}s`,
      evaluation_interval: `${opts.evaluationIntervalS ?? 1}s`,
    },
    rule_files: (opts.ruleFiles ?? []).map((f) => resolve(f)),
    ...(opts.alertmanagers?.length
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: opts.alertmanagers }] }] } }
      : {}),
    scrape_configs: (opts.scrapeTargets ?? []).map((t) => ({
      job_name: t.job,
      honor_labels: t.honorLabels ?? false,
      metrics_path: t.metricsPath ?? '/metrics',
      static_configs: [{ targets: t.targets, ...(t.labels ? { labels: t.labels } : {}) }],
    })),
  };
  // JSON is valid YAML, so no YAML library is needed.
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Starts Prometheus 2.42 on 127.0.0.1 with the remote-write receiver and the lifecycle API on.
 * Its first scrape comes 5–6 s after start (target discovery), so start it once per test file
 * with every target port chosen up front (`getFreePort()`); a target that comes up later on a
 * configured port is queryable about one interval after it appears.
 */
export async function startPrometheus(opts: PrometheusOptions = {}): Promise<PrometheusHandle> {
  const port = opts.port ?? (await getFreePort());
  const dir = makeTempDir('prometheus');
  const configFile = join(dir, 'prometheus.yml');
  let current: PrometheusOptions = { ...opts };
  writeFileSync(configFile, prometheusConfig(current));
  const base = await startBackend({
    name: 'prometheus',
    binary: 'prometheus',
    port,
    dir,
    readyPath: '/-/ready',
    startTimeoutMs: opts.startTimeoutMs,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
    ],
  });
  const targets = async () =>
    (await getJson<{ data: { activeTargets: PrometheusTarget[] } }>(`${base.url}/api/v1/targets`)).data
      .activeTargets;
  const queryApi = makeQueryApi(base.url, {
    diagnose: async () =>
      `targets: ${JSON.stringify(
        (await targets()).map((t) => ({ url: t.scrapeUrl, health: t.health, lastError: t.lastError })),
      )}`,
  });
  return {
    ...base,
    ...queryApi,
    configFile,
    remoteWriteUrl: `${base.url}/api/v1/write`,
    targets,
    async alerts() {
      return (await getJson<{ data: { alerts: PrometheusAlert[] } }>(`${base.url}/api/v1/alerts`)).data.alerts;
    },
    async reload(changes) {
      if (changes) {
        current = { ...current, ...changes };
        writeFileSync(configFile, prometheusConfig(current));
      }
      await expectOk(`${base.url}/-/reload`, { method: 'POST' });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pushgateway
// ---------------------------------------------------------------------------------------------

export interface PushOptions {
  /** Grouping label `instance`. */
  instance?: string;
  /** More grouping labels, appended to the URL path. */
  grouping?: Record<string, string>;
  /** `PUT` replaces the group (default), `POST` replaces only same-named metrics. */
  method?: 'PUT' | 'POST';
}

export interface PushgatewayHandle extends BackendHandle {
  /** Pushes Prometheus text exposition to `/metrics/job/JOB[/instance/I]...`. */
  push(job: string, exposition: string, opts?: PushOptions): Promise<void>;
  /** Deletes a group. */
  deleteGroup(job: string, opts?: Omit<PushOptions, 'method'>): Promise<void>;
  /** The Pushgateway's own `/metrics` text (what Prometheus scrapes). */
  metrics(): Promise<string>;
}

function groupPath(job: string, opts: Omit<PushOptions, 'method'> = {}): string {
  const labels: Array<[string, string]> = [['job', job]];
  if (opts.instance !== undefined) labels.push(['instance', opts.instance]);
  for (const [k, v] of Object.entries(opts.grouping ?? {})) labels.push([k, v]);
  return labels.map(([k, v]) => `${encodeURIComponent(k)}/${encodeURIComponent(v)}`).join('/');
}

/** Starts Pushgateway 1.5 in memory (no persistence file). Scrape it with `honorLabels: true`. */
export async function startPushgateway(
  opts: { port?: number; startTimeoutMs?: number } = {},
): Promise<PushgatewayHandle> {
  const port = opts.port ?? (await getFreePort());
  const dir = makeTempDir('pushgateway');
  const base = await startBackend({
    name: 'pushgateway',
    binary: 'prometheus-pushgateway',
    port,
    dir,
    readyPath: '/-/ready',
    startTimeoutMs: opts.startTimeoutMs,
    args: [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='],
  });
  return {
    ...base,
    async push(job, exposition, pushOpts = {}) {
      await expectOk(`${base.url}/metrics/${groupPath(job, pushOpts)}`, {
        method: pushOpts.method ?? 'PUT',
        headers: { 'content-type': 'text/plain; version=0.0.4' },
        body: exposition,
      });
    },
    async deleteGroup(job, groupOpts) {
      await expectOk(`${base.url}/metrics/${groupPath(job, groupOpts)}`, { method: 'DELETE' });
    },
    async metrics() {
      return (await expectOk(`${base.url}/metrics`, { method: 'GET' })).text();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Alertmanager
// ---------------------------------------------------------------------------------------------

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
  receivers: Array<{ name: string }>;
}

export interface AlertmanagerHandle extends BackendHandle {
  readonly configFile: string;
  /** Alerts from `GET /api/v2/alerts`. */
  alerts(): Promise<AlertmanagerAlert[]>;
  /** Posts alerts directly (`POST /api/v2/alerts`), bypassing Prometheus. */
  postAlerts(
    alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string> }>,
  ): Promise<void>;
}

/**
 * Starts Alertmanager 0.25 with `configYaml` and clustering off (`--cluster.listen-address=`;
 * without it Alertmanager also binds 0.0.0.0:9094). Validate configs with `amtoolCheckConfig`.
 */
export async function startAlertmanager(opts: {
  configYaml: string;
  port?: number;
  startTimeoutMs?: number;
}): Promise<AlertmanagerHandle> {
  const port = opts.port ?? (await getFreePort());
  const dir = makeTempDir('alertmanager');
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, opts.configYaml);
  const base = await startBackend({
    name: 'alertmanager',
    binary: 'prometheus-alertmanager',
    port,
    dir,
    readyPath: '/-/ready',
    startTimeoutMs: opts.startTimeoutMs,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
  });
  return {
    ...base,
    configFile,
    async alerts() {
      return getJson<AlertmanagerAlert[]>(`${base.url}/api/v2/alerts`);
    },
    async postAlerts(alerts) {
      await expectOk(`${base.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// VictoriaMetrics (OTLP metrics backend)
// ---------------------------------------------------------------------------------------------

export interface VictoriaMetricsHandle extends BackendHandle, PromQueryApi {
  /** OTLP/HTTP **protobuf** metrics endpoint (`application/x-protobuf`; JSON gets 400). */
  readonly otlpMetricsUrl: string;
  /** Makes everything ingested so far queryable at once (`/internal/force_flush`). */
  forceFlush(): Promise<void>;
  /** Series names known to the server (`/api/v1/label/__name__/values`), after a flush. */
  metricNames(): Promise<string[]>;
}

/**
 * Starts VictoriaMetrics (≥ 1.112, unpacked by scripts/install-backends.sh) with OTLP names
 * converted Prometheus-style (`-opentelemetry.usePrometheusNaming`: a monotonic sum `x` with
 * unit `s` becomes `x_seconds_total`). `query()` and `waitFor()` force a flush first, and the
 * rollup cache is off, so a freshly pushed value is visible to the next query.
 */
export async function startVictoriaMetrics(
  opts: { port?: number; startTimeoutMs?: number; extraArgs?: string[] } = {},
): Promise<VictoriaMetricsHandle> {
  const port = opts.port ?? (await getFreePort());
  const dir = makeTempDir('victoria-metrics');
  const base = await startBackend({
    name: 'victoria-metrics',
    binary: 'victoria-metrics',
    port,
    dir,
    readyPath: '/health',
    startTimeoutMs: opts.startTimeoutMs,
    args: [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${join(dir, 'data')}`,
      '-search.latencyOffset=0s',
      '-search.disableCache',
      '-opentelemetry.usePrometheusNaming',
      ...(opts.extraArgs ?? []),
    ],
  });
  const forceFlush = async () => {
    await (await expectOk(`${base.url}/internal/force_flush`, { method: 'GET' })).arrayBuffer();
  };
  return {
    ...base,
    ...makeQueryApi(base.url, { beforeQuery: forceFlush }),
    otlpMetricsUrl: `${base.url}/opentelemetry/v1/metrics`,
    forceFlush,
    async metricNames() {
      await forceFlush();
      return (await getJson<{ data: string[] }>(`${base.url}/api/v1/label/__name__/values`)).data;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A capturing HTTP receiver (webhooks, beacons, OTLP/JSON, Sentry envelopes)
// ---------------------------------------------------------------------------------------------

export interface ReceivedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Raw body bytes (not decompressed). */
  body: Buffer;
  /** `body` as UTF-8. */
  text(): string;
  /** `body` parsed as JSON. */
  json<T = unknown>(): T;
}

export interface HttpReceiverHandle {
  readonly url: string;
  readonly port: number;
  readonly hostPort: string;
  /** Everything received so far, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Resolves with the first request (past or future) matching `predicate`. */
  waitFor(predicate?: (req: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  /** Forgets the requests received so far. */
  clear(): void;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts an in-process HTTP server on 127.0.0.1 that records every request and answers
 * `status` (default 200) with CORS headers, for tests where a backend calls us (Alertmanager
 * webhooks, browser beacons). Runs in this process: an instrumented http server sees it.
 */
export async function startHttpReceiver(
  opts: { port?: number; status?: number; responseBody?: string } = {},
): Promise<HttpReceiverHandle> {
  const requests: ReceivedRequest[] = [];
  const listeners = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body,
        text: () => body.toString('utf8'),
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
      });
      for (const notify of listeners) notify();
      res.writeHead(req.method === 'OPTIONS' ? 204 : (opts.status ?? 200), {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
      });
      res.end(opts.responseBody ?? '');
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => r());
  });
  server.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    return stopping;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hostPort: `127.0.0.1:${port}`,
    requests,
    clear: () => {
      requests.length = 0;
    },
    waitFor(predicate = () => true, timeoutMs = DEFAULT_WAIT_FOR_TIMEOUT_MS) {
      return new Promise((resolveReq, reject) => {
        const check = () => {
          const found = requests.find(predicate);
          if (!found) return;
          cleanup();
          resolveReq(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for a request (${requests.length} received)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

// ---------------------------------------------------------------------------------------------
// promtool / amtool
// ---------------------------------------------------------------------------------------------

/** Outcome of a promtool/amtool check. */
export interface CheckResult {
  /** True when the tool exited 0. */
  ok: boolean;
  /** One finding per line (from stderr and stdout, minus "Checking FILE" / "SUCCESS" chatter). */
  problems: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

function runCheck(binary: BackendBinary, args: string[], input?: string): CheckResult {
  const bin = requireBinary(binary);
  const res = spawnSync(bin, args, {
    input: input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (res.error) throw res.error;
  const noise = /^(Checking |\s*SUCCESS|\s*FAILED:?\s*$|amtool: error: failed to validate|Found:|\s*- \d+ (receivers|templates)|\s*\d+ (rules|receivers) found)/;
  const problems = `${res.stderr}\n${res.stdout}`
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !noise.test(l));
  return { ok: res.status === 0, problems: res.status === 0 ? [] : problems, exitCode: res.status, stdout: res.stdout, stderr: res.stderr };
}

/**
 * Lints a Prometheus text exposition with `promtool check metrics`. promtool prints findings on
 * stderr and exits 3 (lint problems such as a counter without `_total`, non-base units,
 * camelCase, a missing HELP) or 1 (unparseable text); `ok` is true only for exit 0.
 */
export function promtoolCheckMetrics(exposition: string): CheckResult {
  return runCheck('promtool', ['check', 'metrics'], exposition);
}

/** Validates a Prometheus rule file with `promtool check rules FILE`. */
export function promtoolCheckRules(file: string): CheckResult {
  return runCheck('promtool', ['check', 'rules', file]);
}

/** Validates an Alertmanager config with `amtool check-config FILE`. */
export function amtoolCheckConfig(file: string): CheckResult {
  return runCheck('amtool', ['check-config', file]);
}
