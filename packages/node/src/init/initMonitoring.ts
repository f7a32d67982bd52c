import { basename, extname, join } from 'node:path';
import {
  LookoutConfigError,
  OPENMETRICS_CONTENT_TYPE,
  PROFILE_DEFAULTS,
  PROMETHEUS_CONTENT_TYPE,
  configureDiagnostics,
  createDiagnostics,
  createStandardMetrics,
  getDefaultRegistry,
  getDiagnostics,
  renderPrometheus,
  renderPrometheusSync,
  type DiagLevel,
  type Diagnostics,
  type DiagnosticsOptions,
  type MetricsRegistry,
  type StandardMetrics,
} from '@lookout/core';
import type { MetricsSdk } from '@lookout/core/sdk';
import { resolveNodeOptions, type ResolvedNodeOptions } from '../config.js';
import { mergeOptions, readEnvOptions } from '../env/readEnv.js';
import { installExitHandlers } from '../exit/installExitHandlers.js';
import { createOtlpPusher, type OtlpPusher } from '../exporters/createOtlpPusher.js';
import { createRemoteWriter, encodeRemoteWrite, type RemoteWriter } from '../exporters/createRemoteWriter.js';
import { createSpoolingSender, type SpoolingSender } from '../exporters/createSpoolingSender.js';
import type { ScrapeServer } from '../exporters/startScrapeServer.js';
import type { ErrorTracker, SecurityLogger, TelemetryClient } from '../internal/featureTypes.js';
import { nowMs, processUptimeS } from '../internal/clock.js';
import { lazyRequire } from '../internal/lazy.js';
import { createLazyPart, type LazyPart } from '../parts/lazyPart.js';
import { noopErrors, noopSecurity, noopTelemetry } from '../parts/noops.js';
import { createRuntimeMetrics, type RuntimeMetrics } from '../runtime/createRuntimeMetrics.js';
import { newPushStats, observeNodeDelivery, type NodeDeliverySources, type PushStats } from '../selfMetrics/observeNodeDelivery.js';
import { createPayloadSpool, type PayloadSpool } from '../spool/createPayloadSpool.js';
import { createSentryFileSpool } from '../spool/createSentryFileSpool.js';
import type { Monitoring, MonitoringFlushResult, NodeMonitoringOptions, ReconfigureOptions } from '../types.js';
import { startWorkerAggregator, startWorkerReporter, workerRole, type WorkerAggregator, type WorkerReporter } from '../workers/createWorkerAggregation.js';

/** Options of errors and security that are fixed at init (they set up sinks and handlers). */
const ERRORS_FIXED_OPTIONS = ['dsn', 'sentry', 'sinks', 'registry', 'diagnostics', 'namespace', 'strict'] as const;
const SECURITY_FIXED_OPTIONS = ['auditLog', 'siem', 'sinks', 'registry', 'diagnostics', 'strict'] as const;

/** Runtime metrics are registered this long after init (or sooner: ready(), Lookout's first collection). */
const RUNTIME_METRICS_DELAY_MS = 100;

const HANDLE_KEY = Symbol.for('@lookout/node:monitoring@1');
type HandleSlot = Record<symbol, Monitoring | undefined>;

const TELEMETRY_METHODS = { record: ['track', 'trackCommand', 'trackFeature', 'trackAction', 'identify', 'optIn', 'optOut'], await: ['flush', 'shutdown'] } as const;
const ERRORS_METHODS = {
  record: ['captureError', 'captureMessage', 'addBreadcrumb', 'setUser', 'setSession', 'addSink', 'configure'],
  await: ['retry', 'withFallback', 'flush', 'shutdown'],
} as const;
const SECURITY_METHODS = { record: ['logSecurityEvent', 'block', 'unblock', 'configure'], await: ['flush', 'shutdown'] } as const;

/**
 * Sets up Lookout for a Node server or CLI with one call and returns its handle. Reads `OTEL_*`
 * and `LOOKOUT_*` (explicit options win), enables the registry, registers runtime metrics,
 * starts the configured exporters, loads telemetry, errors and security in the background
 * (calls made meanwhile are buffered), and installs exit handling: pending data is sent on
 * natural exit, SIGINT and SIGTERM within `exit.deadlineMs`, and what cannot be sent is spooled
 * for the next run. Lookout never keeps the process alive.
 *
 * A second call warns and returns the same handle. Never throws, except `LookoutConfigError`
 * with `strict: true` and invalid options.
 */
export function initMonitoring(options?: NodeMonitoringOptions): Monitoring {
  const slot = globalThis as unknown as HandleSlot;
  const existing = slot[HANDLE_KEY];
  if (existing !== undefined) {
    existing.diagnostics.warn('init.twice', 'initMonitoring() was called again; the first handle is returned and these options are ignored', 'init.twice');
    return existing;
  }
  try {
    const handle = start(options);
    slot[HANDLE_KEY] = handle;
    return handle;
  } catch (error) {
    if (error instanceof LookoutConfigError) throw error;
    getDiagnostics().internalError(error, 'initMonitoring');
    return disabledHandle(getDiagnostics());
  }
}

/** The handle of the running `initMonitoring()`, if any. */
export function getMonitoring(): Monitoring | undefined {
  return (globalThis as unknown as HandleSlot)[HANDLE_KEY];
}

/** Test helper: forget the running handle (after `shutdown()`) so `initMonitoring()` starts afresh. */
export function resetMonitoringForTests(): void {
  (globalThis as unknown as HandleSlot)[HANDLE_KEY] = undefined;
}

/** The script's name, as a fallback service name (`node dist/cli.js` → `cli`). */
function scriptName(): string {
  const script = process.argv[1];
  if (typeof script !== 'string' || script === '') return 'node';
  const name = basename(script, extname(script));
  return name === 'index' || name === 'main' ? basename(join(script, '..', '..')) || name : name;
}

function envOf(options: unknown): Record<string, string | undefined> {
  const env = options !== null && typeof options === 'object' ? (options as { env?: unknown }).env : undefined;
  return env !== null && typeof env === 'object' ? (env as Record<string, string | undefined>) : process.env;
}

/** Diagnostics whose level can change at run time: every part holds this object. */
function createSwitchableDiagnostics(initial: DiagnosticsOptions): { diagnostics: Diagnostics; setLevel(level: DiagLevel): void } {
  let options = initial;
  let inner = createDiagnostics(options);
  const diagnostics: Diagnostics = {
    warn: (c, m, k) => inner.warn(c, m, k),
    error: (c, m, k) => inner.error(c, m, k),
    info: (c, m, k) => inner.info(c, m, k),
    debug: (c, m) => inner.debug(c, m),
    internalError: (e, w) => inner.internalError(e, w),
    get counts() {
      return inner.counts;
    },
    enabled: (level) => inner.enabled(level),
  };
  return {
    diagnostics,
    setLevel(level) {
      options = { ...options, level };
      inner = createDiagnostics(options);
    },
  };
}

/** The pushes that have an exit push. */
type ExitPush = 'pushgateway' | 'remoteWrite' | 'otlp';

interface Exporters {
  scrape?: ScrapeServer;
  scrapeUrl?: string;
  pushgateway?: NonNullable<Exclude<ResolvedNodeOptions['metrics'], false>['pushgateway']>;
  pushgatewaySender?: SpoolingSender;
  remoteWriter?: RemoteWriter;
  sdk?: MetricsSdk;
  otlpPusher?: OtlpPusher;
  timers: NodeJS.Timeout[];
}

/** The host's logger, when the options carry a usable one, so even option problems go to it. */
function hostLogger(input: unknown): DiagnosticsOptions['logger'] {
  try {
    const logger = (input as { diagnostics?: { logger?: Record<string, unknown> } } | undefined)?.diagnostics?.logger;
    return logger !== undefined && ['error', 'warn', 'info', 'debug'].every((m) => typeof logger[m] === 'function') ? (logger as unknown as DiagnosticsOptions['logger']) : undefined;
  } catch {
    return undefined;
  }
}

function start(input: NodeMonitoringOptions | undefined): Monitoring {
  const logger = hostLogger(input);
  const bootDiag = logger === undefined ? getDiagnostics() : createDiagnostics({ logger });
  const fromEnv = readEnvOptions(envOf(input), bootDiag);
  const o = resolveNodeOptions(mergeOptions(fromEnv, input), bootDiag, scriptName()).options;
  const level = o.diagnostics.level ?? PROFILE_DEFAULTS[o.profile].diagnosticsLevel;
  const diagOptions: DiagnosticsOptions = { level, ...(o.diagnostics.logger === undefined ? {} : { logger: o.diagnostics.logger }), ...(o.diagnostics.maxPerMinute === undefined ? {} : { maxPerMinute: o.diagnostics.maxPerMinute }) };
  // When the host chose a logger or level, core's own messages follow it too.
  if (o.diagnostics.logger !== undefined || o.diagnostics.level !== undefined) configureDiagnostics(diagOptions);
  const switchable = createSwitchableDiagnostics(diagOptions);
  const diag = switchable.diagnostics;
  if (!o.enabled) {
    diag.info('init.disabled', 'Lookout is turned off (enabled: false, LOOKOUT_DISABLED or OTEL_SDK_DISABLED)');
    return disabledHandle(diag);
  }

  const registry: MetricsRegistry = (o.metrics !== false ? (o.metrics.registry as MetricsRegistry | undefined) : undefined) ?? getDefaultRegistry();
  if (o.metrics !== false) registry.enable();
  // The standard metrics are defined on first use (`handle.standard`, ready()): a CLI that never
  // reads them does not pay for five instrument definitions at startup.
  let standardMetrics: StandardMetrics | undefined;
  const standard = (): StandardMetrics => (standardMetrics ??= createStandardMetrics({ namespace: o.namespace, registry }));
  // Worked out when the spool is first needed: node:os (for tmpdir) stays off the startup path.
  let spoolDirMemo: string | undefined;
  const spoolDir = (): string | undefined =>
    o.spool === false
      ? undefined
      : (spoolDirMemo ??= o.spool.directory ?? join(lazyRequire<typeof import('node:os')>('node:os').tmpdir(), 'lookout', o.serviceName.replace(/[^\w.-]/g, '_')));
  const deadlineMs = o.exit.deadlineMs;

  // Runtime metrics (about twenty observable instruments) and Lookout's own delivery metrics
  // (three) are read at collection time: they are registered a moment after start, at ready(), or
  // at Lookout's first collection (scrape, push, exit), whichever comes first, so a short CLI does
  // not pay for their definitions before its first record, and no collection misses them.
  let runtime: RuntimeMetrics | undefined;
  let runtimeConfig = o.metrics !== false && o.runtimeMetrics !== false ? o.runtimeMetrics : undefined;
  /** Runtime metrics are wanted (on at init, or turned on by reconfigure()). */
  let runtimeOn = runtimeConfig !== undefined;
  const startRuntime = (): void => {
    if (runtime !== undefined || !runtimeOn || runtimeConfig === undefined || stopped) return;
    runtime = createRuntimeMetrics(registry, runtimeConfig, diag);
    const dir = spoolDir();
    if (dir !== undefined) runtime.addDiskPath('spool', dir);
    const auditDir = o.security === false ? undefined : (o.security.auditLog as { dir?: unknown } | undefined)?.dir;
    if (typeof auditDir === 'string') runtime.addDiskPath('audit_log', auditDir);
  };
  const stopRuntime = (): void => {
    runtimeOn = false;
    runtime?.setEnabled(false);
  };
  /** What the delivery metrics read; set once the parts exist (a worker's first report can come sooner). */
  let deliverySources: NodeDeliverySources | undefined;
  let stopDeliveryMetrics: (() => void) | undefined;
  const startDelivery = (): void => {
    if (stopDeliveryMetrics !== undefined || deliverySources === undefined || o.metrics === false || stopped) return;
    stopDeliveryMetrics = observeNodeDelivery(registry, deliverySources);
  };
  let deferredTimer: NodeJS.Timeout | undefined;
  let deferredStarted = false;
  /** Registers the instruments that wait for the first collection (once; later calls are cheap). */
  const startDeferred = (): void => {
    if (!deferredStarted) {
      deferredStarted = true;
      clearTimeout(deferredTimer);
      deferredTimer = undefined;
      startDelivery();
    }
    startRuntime();
  };
  let stopped = false;
  if (o.metrics !== false) {
    deferredTimer = setTimeout(startDeferred, RUNTIME_METRICS_DELAY_MS);
    deferredTimer.unref();
  }

  // cluster / worker_threads: workers report to the primary, which serves and pushes for all.
  const role = workerRole();
  let reporter: WorkerReporter | undefined;
  let aggregator: WorkerAggregator | undefined;
  if (o.metrics !== false && o.workers.aggregate) {
    if (role === 'primary') aggregator = startWorkerAggregator(o.workers);
    else
      reporter = startWorkerReporter(
        role,
        () => {
          startDeferred();
          return renderPrometheus(registry);
        },
        o.workers.intervalMs,
        diag,
      );
  }
  const collectText = async (): Promise<string> => {
    startDeferred();
    const own = await renderPrometheus(registry);
    return aggregator === undefined ? own : aggregator.merge(own);
  };
  // What delivery did, kept across the exporters and spools reconfigure() replaces, for Lookout's own metrics.
  const pushStats = new Map<string, PushStats>();
  const statsFor = (exporter: string): PushStats => {
    let stats = pushStats.get(exporter);
    if (stats === undefined) pushStats.set(exporter, (stats = newPushStats()));
    return stats;
  };
  /** By name (a folder of the spool directory), each opened once. */
  const spools = new Map<string, PayloadSpool>();
  const spoolFor = (name: string): PayloadSpool | undefined => {
    const dir = spoolDir();
    if (dir === undefined || o.spool === false) return undefined;
    let spool = spools.get(name);
    if (spool === undefined) spools.set(name, (spool = createPayloadSpool(join(dir, name), o.spool.maxBytes, diag)));
    return spool;
  };

  // ---------------------------------------------------------------- exporters
  const exporters: Exporters = { timers: [] };
  let rwSpool: PayloadSpool | undefined;
  const startExporters = (m: Exclude<ResolvedNodeOptions['metrics'], false>): void => {
    if (role !== 'primary' && o.workers.aggregate) return;
    if (m.prometheus !== false) {
      exporters.scrape = lazyScrapeServer(
        m.prometheus,
        async (accept) => {
          startDeferred();
          const openMetrics = aggregator === undefined || aggregator.workers().length === 0 ? (accept ?? '').includes('application/openmetrics-text') : false;
          const body = openMetrics ? await renderPrometheus(registry, { openMetrics: true }) : await collectText();
          return { status: 200, contentType: openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE, body };
        },
        diag,
      );
      void exporters.scrape.ready.then((url) => {
        exporters.scrapeUrl = url;
        if (url !== undefined) diag.info('prometheus.serving', `serving metrics at ${url}`);
      });
    }
    exporters.pushgateway = m.pushgateway;
    if (m.pushgateway !== undefined) {
      const g = m.pushgateway;
      pgSpool ??= spoolFor('pushgateway');
      const sender = createSpoolingSender({
        name: 'Pushgateway',
        url: pushgatewayGroupUrl(g.url, g.job, g.groupingLabels),
        method: 'PUT',
        headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, ...g.headers },
        timeoutMs: deadlineMs > 0 ? deadlineMs : 1,
        spool: pgSpool,
        diagnostics: diag,
        stats: statsFor('pushgateway'),
      });
      exporters.pushgatewaySender = sender;
      // What an earlier run left (a push that failed, or metrics spooled at process.exit()) goes
      // first, in the background: it never holds the process, and is aborted at exit (it stays spooled).
      if (pgSpool !== undefined && pgSpool.list().length > 0) setImmediate(() => void sender.resendSpooled({ background: true })).unref();
      if (g.intervalMs > 0) exporters.timers.push(every(g.intervalMs, () => pushGateway()));
    }
    if (m.remoteWrite !== undefined) {
      rwSpool ??= spoolFor('remote-write');
      exporters.remoteWriter = createRemoteWriter({ ...m.remoteWrite, spool: rwSpool, diagnostics: diag, stats: statsFor('remote_write') });
      const writer = exporters.remoteWriter;
      // What earlier runs could not send goes first, in the background (as for the Pushgateway).
      if (rwSpool !== undefined && rwSpool.list().length > 0) setImmediate(() => void writer.resendSpooled({ background: true })).unref();
      if (m.remoteWrite.intervalMs > 0) exporters.timers.push(every(m.remoteWrite.intervalMs, () => pushRemoteWrite()));
    }
    if (m.otlp !== undefined) {
      const otlp = m.otlp;
      exporters.sdk = undefined;
      otlpSpool ??= spoolFor(otlp.protocol === 'http/json' ? 'otlp-json' : 'otlp');
      // Snapshots taken at process.exit() are protocol-neutral: the next run encodes them as it is configured.
      otlpExitSpool ??= spoolFor('otlp-exit');
      const pusher = createOtlpPusher({
        registry,
        otlp,
        resource: {
          'service.name': o.serviceName,
          ...(o.serviceVersion === undefined ? {} : { 'service.version': o.serviceVersion }),
          ...(o.environment === undefined ? {} : { 'deployment.environment.name': o.environment }),
        },
        env: o.env ?? process.env,
        timeoutMs: deadlineMs > 0 ? deadlineMs : 1,
        spool: otlpSpool,
        exitSpool: otlpExitSpool,
        diagnostics: diag,
        stats: statsFor('otlp'),
      });
      exporters.otlpPusher = pusher;
      // What earlier runs left (exit snapshots first, then payloads that failed) goes first, in the background.
      if ((otlpExitSpool?.list().length ?? 0) > 0 || (otlpSpool?.list().length ?? 0) > 0) setImmediate(() => void pusher.resendSpooled({ background: true })).unref();
      const generation = exportersGeneration;
      void import('@lookout/core/sdk').then(
        (sdkModule) => {
          // Stopped (reconfigure, shutdown) while loading: an SDK started now would export to the
          // old endpoint and never be shut down.
          if (generation !== exportersGeneration) return;
          exporters.sdk = sdkModule.startMetricsSdk({
            registry,
            serviceName: o.serviceName,
            ...(o.serviceVersion === undefined ? {} : { serviceVersion: o.serviceVersion }),
            ...(o.environment === undefined ? {} : { environment: o.environment }),
            profile: o.profile,
            otlp,
            ...(o.env === undefined ? {} : { env: o.env }),
          });
        },
        (error: unknown) => diag.error('otlp.load', `the OTLP exporter could not be loaded: ${(error as Error).message}`, 'otlp.load'),
      );
      sdkLoading = true;
    }
  };
  let sdkLoading = false;
  let pgSpool: PayloadSpool | undefined;
  let otlpSpool: PayloadSpool | undefined;
  let otlpExitSpool: PayloadSpool | undefined;
  /** Incremented by each stopExporters(): work that started before it sees it is stale. */
  let exportersGeneration = 0;
  const stopExporters = async (deadline: number): Promise<void> => {
    exportersGeneration++;
    for (const t of exporters.timers) clearInterval(t);
    exporters.timers = [];
    await Promise.all([exporters.scrape?.close(), exporters.sdk?.shutdown(deadline)]);
    exporters.scrape = undefined;
    exporters.scrapeUrl = undefined;
    exporters.sdk = undefined;
    exporters.remoteWriter = undefined;
    exporters.pushgateway = undefined;
    exporters.pushgatewaySender = undefined;
    exporters.otlpPusher = undefined;
    sdkLoading = false;
  };

  const pushGateway = async (): Promise<boolean> => {
    const sender = exporters.pushgatewaySender;
    if (sender === undefined) return true;
    await sender.resendSpooled();
    return (await sender.send(Buffer.from(await collectText(), 'utf8'))) === 'sent';
  };
  /** At exit: the whole registry once through OTLP, spooled when it cannot be delivered. */
  const pushOtlp = async (): Promise<boolean> => {
    const pusher = exporters.otlpPusher;
    if (pusher === undefined) return true;
    startDeferred();
    await pusher.resendSpooled();
    return (await pusher.push()) === 'sent';
  };
  const pushRemoteWrite = async (): Promise<boolean> => {
    const writer = exporters.remoteWriter;
    if (writer === undefined) return true;
    await writer.resendSpooled();
    return (await writer.push(await collectText())) === 'sent';
  };
  /**
   * The exit deadline passed (or the process is ending): requests in flight are aborted and
   * spooled, and every push from now on is spooled without a request.
   */
  const abortPushes = (): void => {
    exporters.remoteWriter?.abort();
    exporters.pushgatewaySender?.abort();
    exporters.otlpPusher?.abort();
  };
  const pushConfigured = (): boolean => exporters.pushgateway !== undefined || exporters.remoteWriter !== undefined || sdkLoading;

  // Nothing to serve or push (the usual CLI): the exporters' code is not even compiled.
  if (o.metrics !== false && (o.metrics.prometheus !== false || o.metrics.pushgateway !== undefined || o.metrics.remoteWrite !== undefined || o.metrics.otlp !== undefined)) {
    startExporters(o.metrics);
  }

  // ---------------------------------------------------------------- viewer (development)
  // Loaded only when asked for: production installs never load @lookout/viewer.
  type ViewerHandle = Awaited<ReturnType<typeof import('@lookout/viewer')['startViewer']>>;
  const viewerReady: Promise<ViewerHandle | undefined> | undefined =
    o.viewer === false
      ? undefined
      : import('@lookout/viewer')
          .then(async (m) => {
            const v = m.startViewer({ registry, diagnostics: diag, port: (o.viewer as { port?: number }).port ?? 9469 });
            if (!(await v.ready)) return undefined;
            process.stderr.write(`Lookout viewer: ${v.url}\n`);
            return v;
          })
          .catch((error: unknown) => {
            diag.warn('viewer.unavailable', `viewer: true needs @lookout/viewer (npm i -D @lookout/viewer): ${(error as Error)?.message ?? String(error)}`);
            return undefined;
          });

  // ---------------------------------------------------------------- parts
  const app = { name: o.serviceName, ...(o.serviceVersion === undefined ? {} : { version: o.serviceVersion }) };
  const makeTelemetry = (t: Record<string, unknown>): Promise<TelemetryClient> =>
    import('@lookout/telemetry/node').then((m) =>
      m.createNodeTelemetryClient({
        app,
        ...(spoolDir() === undefined ? {} : { spool: { directory: join(spoolDir()!, 'events') } }),
        ...t,
        registry,
        diagnostics: diag,
        exitHandling: true,
        exitDeadlineMs: deadlineMs,
      } as Parameters<typeof m.createNodeTelemetryClient>[0]),
    );
  const telemetry: LazyPart<TelemetryClient> = createLazyPart(
    'telemetry',
    async () => {
      if (o.telemetry !== false) return makeTelemetry(o.telemetry);
      // Without an endpoint, events go to the viewer when there is one.
      const v = await viewerReady;
      return v === undefined ? noopTelemetry() : makeTelemetry({ endpoint: v.endpoints.otlpLogs, format: 'otlp-json' });
    },
    noopTelemetry(),
    TELEMETRY_METHODS,
    diag,
    o.telemetry === false && viewerReady === undefined ? 'off' : 'eager',
    (late) => void late.shutdown(deadlineMs),
  );
  /** Counts telemetry reconfigurations: a client built for an older one is stopped, never swapped in. */
  let telemetryGeneration = 0;

  let errorsOptions = o.errors;
  let removeErrorHandlers: (() => void) | undefined;
  const errors: LazyPart<ErrorTracker> = createLazyPart(
    'errors',
    async () => {
      const mod = await import('@lookout/errors');
      if (errorsOptions === false) return mod.createErrorTracker({ enabled: false, diagnostics: diag });
      const { dsn, sentry, globalHandlers, ...tracker } = errorsOptions;
      const sinks = [...(tracker.sinks ?? [])];
      if (typeof dsn === 'string' && dsn !== '') {
        const { createSentryNodeSink } = await import('@lookout/errors/sentry-node');
        const files = spoolFor('errors');
        const spool = files === undefined ? undefined : createSentryFileSpool(files);
        sinks.push(
          createSentryNodeSink({
            dsn,
            ...(o.environment === undefined ? {} : { environment: o.environment }),
            ...(o.serviceVersion === undefined ? {} : { release: `${o.serviceName}@${o.serviceVersion}` }),
            exitFlushTimeoutMs: deadlineMs,
            diagnostics: diag,
            ...sentry,
            transport: sentry?.transport === false ? false : { registry, diagnostics: diag, ...(spool === undefined ? {} : { spool }), ...sentry?.transport },
          }),
        );
      }
      const viewer = await viewerReady;
      if (viewer !== undefined) sinks.push(viewer.errorSink() as (typeof sinks)[number]);
      const t = mod.createErrorTracker({ namespace: o.namespace, ...tracker, registry, diagnostics: diag, sinks });
      if (globalHandlers !== false) removeErrorHandlers = t.installGlobalHandlers();
      return t;
    },
    noopErrors(),
    ERRORS_METHODS,
    diag,
    errorsOptions === false ? 'off' : errorsOptions.dsn !== undefined || errorsOptions.sinks !== undefined ? 'eager' : 'on-use',
  );

  let securityOptions = o.security;
  const security: LazyPart<SecurityLogger> = createLazyPart(
    'security',
    async () => {
      if (securityOptions === false) return noopSecurity();
      const mod = await import('@lookout/security');
      const { auditLog, siem, ...logger } = securityOptions;
      const sinks = [...(logger.sinks ?? [])];
      if (auditLog !== undefined) {
        const { createAuditLog } = await import('@lookout/security/audit-log');
        sinks.push(createAuditLog({ diagnostics: diag, ...auditLog }).sink);
      }
      if (siem !== undefined) sinks.push(mod.createSiemSink({ registry, diagnostics: diag, ...siem }));
      const viewer = await viewerReady;
      if (viewer !== undefined) sinks.push(viewer.securitySink() as (typeof sinks)[number]);
      return mod.createSecurityLogger({ ...logger, sinks, registry, diagnostics: diag });
    },
    noopSecurity(),
    SECURITY_METHODS,
    diag,
    securityOptions === false ? 'off' : securityOptions.auditLog !== undefined || securityOptions.siem !== undefined || securityOptions.sinks !== undefined ? 'eager' : 'on-use',
  );

  // ---------------------------------------------------------------- lifecycle
  let startupRecorded = false;
  let shutdownPromise: Promise<MonitoringFlushResult> | undefined;
  let exitFlushDone = false;
  /** The pushes whose exit push (beforeExit flush or shutdown) has an outcome: at `exit` only the others are spooled. */
  const exitPushed = new Set<ExitPush>();

  const flush = async (deadline = deadlineMs): Promise<MonitoringFlushResult> => {
    const parts: Record<string, boolean> = {};
    const jobs: [string, Promise<boolean>][] = [];
    if (reporter !== undefined) jobs.push(['workers', reporter.report().then(() => true)]);
    if (exporters.remoteWriter !== undefined) jobs.push(['remoteWrite', pushRemoteWrite()]);
    if (exporters.pushgateway !== undefined) jobs.push(['pushgateway', pushGateway()]);
    if (sdkLoading) jobs.push(['otlp', Promise.resolve().then(async () => (exporters.sdk === undefined ? false : exporters.sdk.forceFlush(deadline)))]);
    if (telemetry.started) jobs.push(['telemetry', telemetry.facade.flush(deadline).then((r) => r.complete)]);
    if (errors.started) jobs.push(['errors', errors.facade.flush(deadline)]);
    if (security.started) jobs.push(['security', security.facade.flush(deadline).then(() => true)]);
    await Promise.all(
      jobs.map(async ([name, job]) => {
        parts[name] = await withDeadline(job, deadline);
      }),
    );
    return { complete: Object.values(parts).every(Boolean), parts };
  };

  // Lookout's own delivery, as metrics: pushes and spools by outcome, calls a loading part could not keep.
  deliverySources = { pushes: pushStats, spools, parts: { telemetry, errors, security } };
  if (deferredStarted) startDelivery();

  const shutdown = (deadline = deadlineMs): Promise<MonitoringFlushResult> =>
    (shutdownPromise ??= (async () => {
      // The exit hook stays until the shutdown is over: a host that calls process.exit() meanwhile
      // (its own SIGTERM handler) gets what is in flight or not yet sent spooled.
      exitHandlers.removeTriggers();
      const started = nowMs();
      const left = (): number => Math.max(0, deadline - (nowMs() - started));
      // A worker has nothing to push itself, but its last report to the primary is its final push.
      const pushing = (pushConfigured() && (o.metrics === false || o.metrics.pushOnExit)) || reporter !== undefined;
      const pushed = pushing ? await flushPushes(deadline) : {};
      // Pushes still running past the deadline are spooled now, not left to die with the process.
      abortPushes();
      const parts: Record<string, boolean> = { ...pushed };
      const stops: [string, Promise<boolean>][] = [];
      if (telemetry.started) stops.push(['telemetry', telemetry.facade.shutdown(left()).then((r) => r.complete)]);
      if (errors.started) stops.push(['errors', errors.facade.shutdown(left())]);
      if (security.started) stops.push(['security', security.facade.shutdown(left()).then(() => true)]);
      await Promise.all(stops.map(async ([name, job]) => (parts[name] = await withDeadline(job, left()))));
      abortPushes();
      await withDeadline(stopExporters(left()).then(() => true), left());
      if (viewerReady !== undefined) await withDeadline(viewerReady.then(async (v) => (await v?.close(), true)), left());
      stopped = true;
      clearTimeout(deferredTimer);
      runtime?.stop();
      stopDeliveryMetrics?.();
      reporter?.stop();
      aggregator?.stop();
      exitHandlers.remove();
      if ((globalThis as unknown as HandleSlot)[HANDLE_KEY] === handle) (globalThis as unknown as HandleSlot)[HANDLE_KEY] = undefined;
      return { complete: Object.values(parts).every(Boolean), parts };
    })());

  const flushPushes = async (deadline: number): Promise<Record<string, boolean>> => {
    const parts: Record<string, boolean> = {};
    const jobs: [string, Promise<boolean>][] = [];
    if (reporter !== undefined) jobs.push(['workers', reporter.report().then(() => true)]);
    const atExit = (name: ExitPush, job: Promise<boolean>): Promise<boolean> => job.finally(() => exitPushed.add(name));
    if (exporters.remoteWriter !== undefined) jobs.push(['remoteWrite', atExit('remoteWrite', pushRemoteWrite())]);
    if (exporters.pushgateway !== undefined) jobs.push(['pushgateway', atExit('pushgateway', pushGateway())]);
    if (exporters.otlpPusher !== undefined) jobs.push(['otlp', atExit('otlp', pushOtlp())]);
    await Promise.all(jobs.map(async ([name, job]) => (parts[name] = await withDeadline(job, deadline))));
    return parts;
  };
  const waitForSdk = async (deadline: number): Promise<MetricsSdk | undefined> => {
    const until = nowMs() + deadline;
    while (exporters.sdk === undefined && nowMs() < until) await sleep(5);
    if (exporters.sdk !== undefined) await withDeadline(exporters.sdk.ready, Math.max(0, until - nowMs()));
    return exporters.sdk;
  };

  // process.exit() without shutdown(), or before the exit push of a flush or shutdown had an
  // outcome: nothing can be awaited. The registry is read synchronously and written to the spool
  // of each configured push whose exit push has no outcome yet (write + rename, bounded by
  // spool.maxBytes); the next run sends it first. A payload abort() spooled may be followed by
  // this newer one: both are cumulative, so the receiver ends with the newest values. Remote write is encoded now, the Pushgateway
  // takes the text as is, and OTLP keeps a snapshot of the registry (JSON) that the next run
  // encodes with OpenTelemetry's serializers: loading them now would need an await.
  const spoolAtExit = (): void => {
    exitFlushDone = true;
    if (o.metrics === false || !o.metrics.pushOnExit || (role !== 'primary' && o.workers.aggregate)) return;
    if (exporters.pushgatewaySender === undefined && exporters.remoteWriter === undefined && exporters.otlpPusher === undefined) return;
    startDeferred();
    const pg = exporters.pushgatewaySender !== undefined && !exitPushed.has('pushgateway');
    const rw = exporters.remoteWriter !== undefined && !exitPushed.has('remoteWrite');
    if (pg || rw) {
      const own = renderPrometheusSync(registry);
      const text = aggregator === undefined ? own : aggregator.merge(own);
      if (pg) pgSpool?.save(Buffer.from(text, 'utf8'));
      if (rw && o.metrics.remoteWrite !== undefined) rwSpool?.save(encodeRemoteWrite(text, o.metrics.remoteWrite.externalLabels, Date.now()));
    }
    if (exporters.otlpPusher === undefined || exitPushed.has('otlp')) return;
    if (otlpExitSpool === undefined) diag.debug('otlp.exit', 'process.exit(): spool: false, so this run\'s OTLP metrics are not kept');
    else exporters.otlpPusher.spoolAtExit();
  };

  const exitHandlers = installExitHandlers(
    {
      hasPending: () => !exitFlushDone && ((pushConfigured() && o.metrics !== false && o.metrics.pushOnExit) || security.started || reporter !== undefined),
      flush: async (deadline) => {
        exitFlushDone = true;
        const results: Promise<unknown>[] = [];
        if (o.metrics !== false && o.metrics.pushOnExit) results.push(flushPushes(deadline));
        if (reporter !== undefined) results.push(reporter.report());
        if (security.started) results.push(withDeadline(security.facade.flush(deadline).then(() => true), deadline));
        await Promise.all(results);
      },
      shutdown: (deadline) => shutdown(deadline),
      abort: abortPushes,
      exitSync: () => {
        abortPushes();
        spoolAtExit();
      },
    },
    deadlineMs,
    o.exit.signals,
  );

  // errors and security: what may change at run time goes to the part's configure(), which keeps
  // its state (error groups, breadcrumbs, blocked keys, detector windows, cooldowns) and sinks.
  /** The changes that may apply at run time, or undefined (one diagnostic) when none can. */
  const runtimeChanges = (current: object | false, input: unknown, fixed: readonly string[], part: string): Record<string, unknown> | undefined => {
    if (current === false) {
      diag.warn('reconfigure.invalid', `reconfigure(): ${part} was turned off at init; ignored`, `reconfigure.${part}`);
      return undefined;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      diag.warn('reconfigure.invalid', `reconfigure(): ${part} takes an object; ignored`, `reconfigure.${part}`);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (fixed.includes(key)) diag.warn('reconfigure.invalid', `reconfigure(): ${part}.${key} is fixed at init; ignored`, `reconfigure.${part}.${key}`);
      else out[key] = value;
    }
    return out;
  };
  /** Init options with `changes` merged in, an object option field by field (as configure() does). */
  const mergeChanges = <T extends object>(current: T, changes: Record<string, unknown>): T => {
    const out: Record<string, unknown> = { ...(current as Record<string, unknown>) };
    for (const [key, value] of Object.entries(changes)) {
      const was = out[key];
      const plain = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);
      out[key] = plain(was) && plain(value) ? { ...was, ...value } : value;
    }
    return out as T;
  };
  const reconfigureErrors = (input: unknown): void => {
    const changes = runtimeChanges(errorsOptions, input, ERRORS_FIXED_OPTIONS, 'errors');
    if (changes === undefined || errorsOptions === false) return;
    // Not loading yet: the load uses the new options. Loading or loaded: configure() (buffered until loaded).
    if (!errors.started) {
      errorsOptions = mergeChanges(errorsOptions, changes);
      return;
    }
    const { globalHandlers, ...tracker } = changes;
    errors.facade.configure(tracker);
    if (globalHandlers === undefined) return;
    if (typeof globalHandlers !== 'boolean') {
      diag.warn('reconfigure.invalid', 'reconfigure(): errors.globalHandlers takes true or false; ignored', 'reconfigure.errors.globalHandlers');
      return;
    }
    void errors.ready.then(() => {
      const t = errors.current();
      if (!globalHandlers) {
        removeErrorHandlers?.();
        removeErrorHandlers = undefined;
      } else if (t !== undefined && removeErrorHandlers === undefined) removeErrorHandlers = t.installGlobalHandlers();
    });
  };
  const reconfigureSecurity = (input: unknown): void => {
    const changes = runtimeChanges(securityOptions, input, SECURITY_FIXED_OPTIONS, 'security');
    if (changes === undefined || securityOptions === false) return;
    if (!security.started) securityOptions = mergeChanges(securityOptions, changes);
    else security.facade.configure(changes);
  };

  const handle: Monitoring = {
    metrics: registry,
    get standard() {
      return standard();
    },
    diagnostics: diag,
    get telemetry() {
      return telemetry.current() ?? telemetry.facade;
    },
    get errors() {
      return errors.current() ?? errors.facade;
    },
    get security() {
      return security.current() ?? security.facade;
    },
    get scrapeUrl() {
      return exporters.scrapeUrl;
    },
    async ready() {
      if (!startupRecorded) {
        startupRecorded = true;
        // From the process's start (process.uptime(), the origin performance.now() counts from too).
        standard().startupDuration.record(processUptimeS());
      }
      const waits: Promise<unknown>[] = [];
      waits.push(telemetry.ready, errors.ready, security.ready);
      if (exporters.scrape !== undefined) waits.push(exporters.scrape.ready.then((url) => (exporters.scrapeUrl = url)));
      startDeferred();
      if (sdkLoading) waits.push(waitForSdk(PROFILE_DEFAULTS[o.profile].exportTimeoutMs));
      await Promise.all(waits);
    },
    flush: (deadline) => flush(validDeadline(deadline, deadlineMs)),
    shutdown: (deadline) => shutdown(validDeadline(deadline, deadlineMs)),
    reconfigure(changes: ReconfigureOptions) {
      try {
        if (changes === null || typeof changes !== 'object') {
          diag.warn('reconfigure.invalid', 'reconfigure() takes an object; ignored', 'reconfigure.invalid');
          return;
        }
        const level = changes.diagnostics?.level;
        if (level !== undefined) {
          if (['none', 'error', 'warn', 'info', 'debug'].includes(level)) switchable.setLevel(level);
          else diag.warn('reconfigure.invalid', `reconfigure(): diagnostics.level "${String(level).slice(0, 16)}" is not a level; ignored`, 'reconfigure.level');
        }
        if (changes.telemetry !== undefined) {
          const next = changes.telemetry;
          const generation = ++telemetryGeneration;
          if (next === false) {
            const old = telemetry.swap(noopTelemetry());
            void old?.shutdown(deadlineMs);
          } else if (next !== null && typeof next === 'object') {
            const sessionId = telemetry.current()?.sessionId;
            void makeTelemetry({ ...(o.telemetry === false ? {} : o.telemetry), ...next, ...(sessionId ? { sessionId } : {}) }).then(
              // A later reconfigure (or shutdown) came first: this client is stopped, not used.
              (client) => void (generation === telemetryGeneration && shutdownPromise === undefined ? telemetry.swap(client) : client)?.shutdown(deadlineMs),
              (error: unknown) => diag.internalError(error, 'reconfigure telemetry'),
            );
          }
        }
        if (changes.runtimeMetrics !== undefined) {
          if (changes.runtimeMetrics === true) {
            runtimeConfig ??= resolveNodeOptions({}, diag, o.serviceName).options.runtimeMetrics || undefined;
            runtimeOn = true;
            if (runtime !== undefined) runtime.setEnabled(true);
            else if (o.metrics !== false) startRuntime();
          } else if (changes.runtimeMetrics === false) stopRuntime();
          else diag.warn('reconfigure.invalid', 'reconfigure(): runtimeMetrics takes true or false; ignored', 'reconfigure.runtime');
        }
        if (changes.errors !== undefined) reconfigureErrors(changes.errors);
        if (changes.security !== undefined) reconfigureSecurity(changes.security);
        if (changes.metrics !== undefined && o.metrics !== false) {
          const current = o.metrics;
          const next = resolveNodeOptions({ metrics: { ...stripResolved(current), ...changes.metrics } }, diag, o.serviceName).options.metrics;
          if (next !== false) {
            void stopExporters(deadlineMs).then(() => {
              o.metrics = next;
              startExporters(next);
            });
          }
        }
      } catch (error) {
        diag.internalError(error, 'reconfigure');
      }
    },
  };
  return handle;
}

/** A resolved metrics section back in input form, so `reconfigure()` can merge changes into it. */
function stripResolved(m: Exclude<ResolvedNodeOptions['metrics'], false>): Record<string, unknown> {
  const out: Record<string, unknown> = { pushOnExit: m.pushOnExit };
  if (m.registry !== undefined) out.registry = m.registry;
  if (m.prometheus !== false) out.prometheus = m.prometheus;
  if (m.pushgateway !== undefined) out.pushgateway = m.pushgateway;
  if (m.remoteWrite !== undefined) out.remoteWrite = m.remoteWrite;
  if (m.otlp !== undefined) out.otlp = m.otlp;
  return out;
}

function validDeadline(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(value, 60_000) : fallback;
}

function every(ms: number, fn: () => Promise<unknown>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void fn().finally(() => (running = false));
  }, ms);
  timer.unref();
  return timer;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** `job`'s result, or `false` once `ms` have passed (the timer never holds the process). */
function withDeadline(job: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    job.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/** The handle when Lookout is off: the default registry (recording nothing), no-op parts. */
function disabledHandle(diag: Diagnostics): Monitoring {
  const registry = getDefaultRegistry();
  const done = (): Promise<MonitoringFlushResult> => Promise.resolve({ complete: true, parts: {} });
  return {
    metrics: registry,
    standard: createStandardMetrics({ registry }),
    telemetry: noopTelemetry(),
    errors: noopErrors(),
    security: noopSecurity(),
    diagnostics: diag,
    scrapeUrl: undefined,
    ready: () => Promise.resolve(),
    flush: done,
    shutdown: done,
    reconfigure: () => {},
  };
}

/** `startScrapeServer`, with node:http loaded only when a scrape endpoint is configured. */
function lazyScrapeServer(...args: Parameters<typeof import('../exporters/startScrapeServer.js').startScrapeServer>): ScrapeServer {
  const server = import('../exporters/startScrapeServer.js').then((m) => m.startScrapeServer(...args));
  return {
    ready: server.then((s) => s.ready),
    close: () => server.then((s) => s.close()),
  };
}

/** The Pushgateway URL of a group: `/metrics/job/J/label/value…`; values that are empty or hold `/` use the base64 form. */
export function pushgatewayGroupUrl(base: string, job: string, labels: Record<string, string>): string {
  const segment = (name: string, value: string): string =>
    value === '' || value.includes('/') ? `/${name}@base64/${Buffer.from(value, 'utf8').toString('base64url') || '='}` : `/${name}/${encodeURIComponent(value)}`;
  let url = `${base.replace(/\/+$/, '')}/metrics${segment('job', job)}`;
  for (const [k, v] of Object.entries(labels)) url += segment(k, v);
  return url;
}
