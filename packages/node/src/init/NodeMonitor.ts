import { join } from 'node:path';
import {
  OPENMETRICS_CONTENT_TYPE,
  PROFILE_DEFAULTS,
  PROMETHEUS_CONTENT_TYPE,
  createStandardMetrics,
  getDefaultRegistry,
  renderPrometheus,
  renderPrometheusSync,
  type DiagLevel,
  type Diagnostics,
  type MetricsRegistry,
  type StandardMetrics,
} from '@lookout/core';
import type { MetricsSdk } from '@lookout/core/sdk';
import { resolveNodeOptions, type ResolvedNodeOptions } from '../config.js';
import { installExitHandlers, type ExitHandlers } from '../exit/installExitHandlers.js';
import { createOtlpPusher, type OtlpPusher } from '../exporters/createOtlpPusher.js';
import { createRemoteWriter, encodeRemoteWrite, type RemoteWriter } from '../exporters/createRemoteWriter.js';
import { createSpoolingSender, type SpoolingSender } from '../exporters/createSpoolingSender.js';
import type { ScrapeAnswer, ScrapeServer } from '../exporters/startScrapeServer.js';
import type { ErrorTracker, SecurityLogger, TelemetryClient } from '../internal/featureTypes.js';
import { nowMs, processUptimeS } from '../internal/clock.js';
import { lazyRequire } from '../internal/lazy.js';
import { createLazyPart, type LazyPart } from '../parts/lazyPart.js';
import type { PartsHost, ViewerHandle } from '../parts/loadParts.js';
import { noopErrors, noopSecurity, noopTelemetry } from '../parts/noops.js';
import { createRuntimeMetrics, type RuntimeMetrics } from '../runtime/createRuntimeMetrics.js';
import { newPushStats, observeNodeDelivery, type PushStats } from '../selfMetrics/observeNodeDelivery.js';
import { createPayloadSpool, type PayloadSpool } from '../spool/createPayloadSpool.js';
import type { Monitoring, MonitoringFlushResult, ReconfigureOptions } from '../types.js';
import { LISTEN_DELAY_MS, startWorkerAggregator, startWorkerReporter, workerRole, type WorkerAggregator, type WorkerReporter, type WorkerRole } from '../workers/createWorkerAggregation.js';

/** Options of errors and security that are fixed at init (they set up sinks and handlers). */
const ERRORS_FIXED_OPTIONS = ['dsn', 'sentry', 'sinks', 'registry', 'diagnostics', 'namespace', 'strict'] as const;
const SECURITY_FIXED_OPTIONS = ['auditLog', 'siem', 'sinks', 'registry', 'diagnostics', 'strict'] as const;

/** Runtime and delivery metrics are registered this long after init (or sooner: ready(), Lookout's first collection). */
const DEFERRED_METRICS_DELAY_MS = 100;

/** Where the running handle is kept, shared by every copy of this package in the process. */
export const HANDLE_KEY = Symbol.for('@lookout/node:monitoring@1');
export type HandleSlot = Record<symbol, Monitoring | undefined>;

const TELEMETRY_METHODS = { record: ['track', 'trackCommand', 'trackFeature', 'trackAction', 'identify', 'optIn', 'optOut'], await: ['flush', 'shutdown'] } as const;
const ERRORS_METHODS = {
  record: ['captureError', 'captureMessage', 'addBreadcrumb', 'setUser', 'setSession', 'addSink', 'configure'],
  await: ['retry', 'withFallback', 'flush', 'shutdown'],
} as const;
const SECURITY_METHODS = { record: ['logSecurityEvent', 'block', 'unblock', 'configure'], await: ['flush', 'shutdown'] } as const;

/** The pushes that have an exit push. */
type ExitPush = 'pushgateway' | 'remoteWrite' | 'otlp';

type MetricsOptions = Exclude<ResolvedNodeOptions['metrics'], false>;

interface Exporters {
  scrape?: ScrapeServer;
  scrapeUrl?: string;
  pushgateway?: MetricsOptions['pushgateway'];
  pushgatewaySender?: SpoolingSender;
  remoteWriter?: RemoteWriter;
  sdk?: MetricsSdk;
  otlpPusher?: OtlpPusher;
  timers: NodeJS.Timeout[];
}

/**
 * One running `initMonitoring()`: the registry, exporters, parts, exit handling and the handle.
 *
 * A class rather than one function of closures so that start-up compiles only what it runs: V8
 * compiles a function (every closure written inside it included) on its first call, but each
 * method on its own, on the first call of that method. Flushing, shutdown, the exporters, the
 * exit spool and reconfigure() cost nothing until they are used; the part loaders are a module
 * of their own (../parts/loadParts.ts), read only when a part loads.
 */
export class NodeMonitor {
  readonly handle: Monitoring;
  private readonly _o: ResolvedNodeOptions;
  private readonly _diag: Diagnostics;
  private readonly _setLevel: (level: DiagLevel) => void;
  private readonly _registry: MetricsRegistry;
  private readonly _deadlineMs: number;
  private readonly _role: WorkerRole;
  private readonly _startedMs: number;
  private _standard: StandardMetrics | undefined;
  private _spoolDir: string | undefined;

  // Runtime metrics (about twenty observable instruments) and Lookout's own delivery metrics
  // (three) are read at collection time: they are registered a moment after start, at ready(), or
  // at Lookout's first collection (scrape, push, exit), whichever comes first, so a short CLI does
  // not pay for their definitions before its first record, and no collection misses them.
  private _runtime: RuntimeMetrics | undefined;
  private _runtimeConfig: Exclude<ResolvedNodeOptions['runtimeMetrics'], false> | undefined;
  /** Runtime metrics are wanted (on at init, or turned on by reconfigure()). */
  private _runtimeOn: boolean;
  private _stopDeliveryMetrics: (() => void) | undefined;
  private _deferredTimer: NodeJS.Timeout | undefined;
  private _deferredStarted = false;
  private _stopped = false;

  // cluster / worker_threads: workers report to the primary, which serves and pushes for all.
  private _reporter: WorkerReporter | undefined;
  private _aggregator: WorkerAggregator | undefined;

  /** What delivery did, kept across the exporters and spools reconfigure() replaces, for Lookout's own metrics. */
  private readonly _pushStats = new Map<string, PushStats>();
  /** By name (a folder of the spool directory), each opened once. */
  private readonly _spools = new Map<string, PayloadSpool>();
  private _exporters: Exporters = { timers: [] };
  private _sdkLoading = false;
  private _pgSpool: PayloadSpool | undefined;
  private _rwSpool: PayloadSpool | undefined;
  private _otlpSpool: PayloadSpool | undefined;
  private _otlpExitSpool: PayloadSpool | undefined;
  /** Incremented by each stopExporters(): work that started before it sees it is stale. */
  private _exportersGeneration = 0;

  private readonly _viewerReady: Promise<ViewerHandle | undefined> | undefined;
  private _host: PartsHost | undefined;
  private readonly _telemetry: LazyPart<TelemetryClient>;
  /** Counts telemetry reconfigurations: a client built for an older one is stopped, never swapped in. */
  private _telemetryGeneration = 0;
  private _errorsOptions: ResolvedNodeOptions['errors'];
  private _removeErrorHandlers: (() => void) | undefined;
  private readonly _errors: LazyPart<ErrorTracker>;
  private _securityOptions: ResolvedNodeOptions['security'];
  private readonly _security: LazyPart<SecurityLogger>;

  private _startupRecorded = false;
  private _shutdown: Promise<MonitoringFlushResult> | undefined;
  private _exitFlushDone = false;
  /** The pushes whose exit push (beforeExit flush or shutdown) has an outcome: at `exit` only the others are spooled. */
  private readonly _exitPushed = new Set<ExitPush>();
  private readonly _exitHandlers: ExitHandlers;

  constructor(o: ResolvedNodeOptions, diag: Diagnostics, setLevel: (level: DiagLevel) => void) {
    this._startedMs = nowMs();
    this._o = o;
    this._diag = diag;
    this._setLevel = setLevel;
    this._registry = (o.metrics !== false ? (o.metrics.registry as MetricsRegistry | undefined) : undefined) ?? getDefaultRegistry();
    if (o.metrics !== false) this._registry.enable();
    this._deadlineMs = o.exit.deadlineMs;

    this._runtimeConfig = o.metrics !== false && o.runtimeMetrics !== false ? o.runtimeMetrics : undefined;
    this._runtimeOn = this._runtimeConfig !== undefined;
    if (o.metrics !== false) {
      this._deferredTimer = setTimeout(() => this._startDeferred(), DEFERRED_METRICS_DELAY_MS);
      this._deferredTimer.unref();
    }

    // cluster / worker_threads: a worker reports from now on; the primary's aggregator is made with
    // the deferred metrics and listens from LISTEN_DELAY_MS after init (or its first merge), as before.
    this._role = workerRole();
    if (o.metrics !== false && o.workers.aggregate && this._role !== 'primary') {
      this._reporter = startWorkerReporter(this._role, () => this._renderForPrimary(), o.workers.intervalMs, diag);
    }

    // Nothing to serve or push (the usual CLI): the exporters' code is not even compiled.
    if (o.metrics !== false && (o.metrics.prometheus !== false || o.metrics.pushgateway !== undefined || o.metrics.remoteWrite !== undefined || o.metrics.otlp !== undefined)) {
      this._startExporters(o.metrics);
    }

    // The viewer (development) is loaded only when asked for: production installs never load @lookout/viewer.
    const viewer = o.viewer;
    this._viewerReady = viewer === false ? undefined : this._loadPart((m, host) => m.startViewer(host, viewer));

    // Parts: telemetry, errors and security load in the background (or at first use); calls made meanwhile are buffered.
    this._telemetry = createLazyPart(
      'telemetry',
      async () => (await this._loadPart((m, host) => m.loadTelemetry(host))) ?? noopTelemetry(),
      noopTelemetry,
      TELEMETRY_METHODS,
      diag,
      o.telemetry === false && this._viewerReady === undefined ? 'off' : 'eager',
      (late) => void late.shutdown(this._deadlineMs),
    );
    const errors = (this._errorsOptions = o.errors);
    this._errors = createLazyPart(
      'errors',
      () => this._loadPart((m, host) => m.loadErrors(host)),
      noopErrors,
      ERRORS_METHODS,
      diag,
      errors === false ? 'off' : errors.dsn !== undefined || errors.sinks !== undefined ? 'eager' : 'on-use',
    );
    const security = (this._securityOptions = o.security);
    this._security = createLazyPart(
      'security',
      () => {
        const options = this._securityOptions;
        return options === false ? Promise.resolve(noopSecurity()) : this._loadPart((m, host) => m.loadSecurity(host, options));
      },
      noopSecurity,
      SECURITY_METHODS,
      diag,
      security === false ? 'off' : security.auditLog !== undefined || security.siem !== undefined || security.sinks !== undefined ? 'eager' : 'on-use',
    );
    // A worker's first report (at start) came before the parts existed: their delivery metrics follow now.
    if (this._deferredStarted) this._startDelivery();

    this._exitHandlers = installExitHandlers(
      {
        hasPending: () => this._hasPendingAtExit(),
        flush: (deadline) => this._flushAtExit(deadline),
        shutdown: (deadline) => this._shutdownOnce(deadline),
        abort: () => this._abortPushes(),
        exitSync: () => this._exitNow(),
      },
      this._deadlineMs,
      o.exit.signals,
    );
    this.handle = this._makeHandle();
  }

  // ---------------------------------------------------------------- handle

  private _makeHandle(): Monitoring {
    const m = this;
    return {
      metrics: m._registry,
      get standard() {
        return m._standardMetrics();
      },
      diagnostics: m._diag,
      get telemetry() {
        return m._telemetry.current() ?? m._telemetry.facade;
      },
      get errors() {
        return m._errors.current() ?? m._errors.facade;
      },
      get security() {
        return m._security.current() ?? m._security.facade;
      },
      get scrapeUrl() {
        return m._exporters.scrapeUrl;
      },
      ready: () => m._ready(),
      flush: (deadline) => m._flush(validDeadline(deadline, m._deadlineMs)),
      shutdown: (deadline) => m._shutdownOnce(validDeadline(deadline, m._deadlineMs)),
      reconfigure: (changes) => m._reconfigure(changes),
    };
  }

  /** The standard metrics, defined on first use (`handle.standard`, ready()): a CLI that never reads them does not pay for their definitions. */
  private _standardMetrics(): StandardMetrics {
    return (this._standard ??= createStandardMetrics({ namespace: this._o.namespace, registry: this._registry }));
  }

  /** Worked out when the spool is first needed: node:os (for tmpdir) stays off the startup path. */
  private _spoolDirectory(): string | undefined {
    const o = this._o;
    if (o.spool === false) return undefined;
    return (this._spoolDir ??= o.spool.directory ?? join(lazyRequire<typeof import('node:os')>('node:os').tmpdir(), 'lookout', o.serviceName.replace(/[^\w.-]/g, '_')));
  }

  private _spoolFor(name: string): PayloadSpool | undefined {
    const dir = this._spoolDirectory();
    if (dir === undefined || this._o.spool === false) return undefined;
    let spool = this._spools.get(name);
    if (spool === undefined) this._spools.set(name, (spool = createPayloadSpool(join(dir, name), this._o.spool.maxBytes, this._diag)));
    return spool;
  }

  private _statsFor(exporter: string): PushStats {
    let stats = this._pushStats.get(exporter);
    if (stats === undefined) this._pushStats.set(exporter, (stats = newPushStats()));
    return stats;
  }

  // ---------------------------------------------------------------- runtime and delivery metrics

  /** Registers the instruments that wait for the first collection, and makes the primary's aggregator (once; later calls are cheap). */
  private _startDeferred(): void {
    if (!this._deferredStarted) {
      this._deferredStarted = true;
      clearTimeout(this._deferredTimer);
      this._deferredTimer = undefined;
      this._startDelivery();
      const o = this._o;
      if (o.metrics !== false && o.workers.aggregate && this._role === 'primary' && !this._stopped) {
        this._aggregator = startWorkerAggregator({ ...o.workers, listenDelayMs: LISTEN_DELAY_MS - (nowMs() - this._startedMs) });
      }
    }
    this._startRuntime();
  }

  private _startRuntime(): void {
    if (this._runtime !== undefined || !this._runtimeOn || this._runtimeConfig === undefined || this._stopped) return;
    const runtime = (this._runtime = createRuntimeMetrics(this._registry, this._runtimeConfig, this._diag));
    const dir = this._spoolDirectory();
    if (dir !== undefined) runtime.addDiskPath('spool', dir);
    const auditDir = this._o.security === false ? undefined : (this._o.security.auditLog as { dir?: unknown } | undefined)?.dir;
    if (typeof auditDir === 'string') runtime.addDiskPath('audit_log', auditDir);
  }

  /** Lookout's own delivery, as metrics: pushes and spools by outcome, calls a loading part could not keep. */
  private _startDelivery(): void {
    // The parts do not exist yet while the constructor runs: the constructor registers these after them.
    if (this._stopDeliveryMetrics !== undefined || this._security === undefined || this._o.metrics === false || this._stopped) return;
    this._stopDeliveryMetrics = observeNodeDelivery(this._registry, {
      pushes: this._pushStats,
      spools: this._spools,
      parts: { telemetry: this._telemetry, errors: this._errors, security: this._security },
    });
  }

  // ---------------------------------------------------------------- collection and exporters

  private _renderForPrimary(): Promise<string> {
    this._startDeferred();
    return renderPrometheus(this._registry);
  }

  private async _collectText(): Promise<string> {
    this._startDeferred();
    const own = await renderPrometheus(this._registry);
    return this._aggregator === undefined ? own : this._aggregator.merge(own);
  }

  private _startExporters(m: MetricsOptions): void {
    const o = this._o;
    const diag = this._diag;
    const exporters = this._exporters;
    if (this._role !== 'primary' && o.workers.aggregate) return;
    if (m.prometheus !== false) {
      exporters.scrape = lazyScrapeServer(m.prometheus, (accept) => this._scrape(accept), diag);
      void exporters.scrape.ready.then((url) => {
        exporters.scrapeUrl = url;
        if (url !== undefined) diag.info('prometheus.serving', `serving metrics at ${url}`);
      });
    }
    exporters.pushgateway = m.pushgateway;
    if (m.pushgateway !== undefined) {
      const g = m.pushgateway;
      const spool = (this._pgSpool ??= this._spoolFor('pushgateway'));
      const sender = createSpoolingSender({
        name: 'Pushgateway',
        url: pushgatewayGroupUrl(g.url, g.job, g.groupingLabels),
        method: 'PUT',
        headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, ...g.headers },
        timeoutMs: this._deadlineMs > 0 ? this._deadlineMs : 1,
        spool,
        diagnostics: diag,
        stats: this._statsFor('pushgateway'),
      });
      exporters.pushgatewaySender = sender;
      // What an earlier run left (a push that failed, or metrics spooled at process.exit()) goes
      // first, in the background: it never holds the process, and is aborted at exit (it stays spooled).
      if (spool !== undefined && spool.list().length > 0) setImmediate(() => void sender.resendSpooled({ background: true })).unref();
      if (g.intervalMs > 0) exporters.timers.push(every(g.intervalMs, () => this._pushGateway()));
    }
    if (m.remoteWrite !== undefined) {
      const spool = (this._rwSpool ??= this._spoolFor('remote-write'));
      const writer = createRemoteWriter({ ...m.remoteWrite, spool, diagnostics: diag, stats: this._statsFor('remote_write') });
      exporters.remoteWriter = writer;
      // What earlier runs could not send goes first, in the background (as for the Pushgateway).
      if (spool !== undefined && spool.list().length > 0) setImmediate(() => void writer.resendSpooled({ background: true })).unref();
      if (m.remoteWrite.intervalMs > 0) exporters.timers.push(every(m.remoteWrite.intervalMs, () => this._pushRemoteWrite()));
    }
    if (m.otlp !== undefined) this._startOtlp(m.otlp);
  }

  private async _scrape(accept: string | undefined): Promise<ScrapeAnswer> {
    this._startDeferred();
    const aggregator = this._aggregator;
    const openMetrics = aggregator === undefined || aggregator.workers().length === 0 ? (accept ?? '').includes('application/openmetrics-text') : false;
    const body = openMetrics ? await renderPrometheus(this._registry, { openMetrics: true }) : await this._collectText();
    return { status: 200, contentType: openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE, body };
  }

  private _startOtlp(otlp: NonNullable<MetricsOptions['otlp']>): void {
    const o = this._o;
    const diag = this._diag;
    const exporters = this._exporters;
    exporters.sdk = undefined;
    const spool = (this._otlpSpool ??= this._spoolFor(otlp.protocol === 'http/json' ? 'otlp-json' : 'otlp'));
    // Snapshots taken at process.exit() are protocol-neutral: the next run encodes them as it is configured.
    const exitSpool = (this._otlpExitSpool ??= this._spoolFor('otlp-exit'));
    const pusher = createOtlpPusher({
      registry: this._registry,
      otlp,
      resource: {
        'service.name': o.serviceName,
        ...(o.serviceVersion === undefined ? {} : { 'service.version': o.serviceVersion }),
        ...(o.environment === undefined ? {} : { 'deployment.environment.name': o.environment }),
      },
      env: o.env ?? process.env,
      timeoutMs: this._deadlineMs > 0 ? this._deadlineMs : 1,
      spool,
      exitSpool,
      diagnostics: diag,
      stats: this._statsFor('otlp'),
    });
    exporters.otlpPusher = pusher;
    // What earlier runs left (exit snapshots first, then payloads that failed) goes first, in the background.
    if ((exitSpool?.list().length ?? 0) > 0 || (spool?.list().length ?? 0) > 0) setImmediate(() => void pusher.resendSpooled({ background: true })).unref();
    const generation = this._exportersGeneration;
    void import('@lookout/core/sdk').then(
      (sdkModule) => {
        // Stopped (reconfigure, shutdown) while loading: an SDK started now would export to the
        // old endpoint and never be shut down.
        if (generation !== this._exportersGeneration) return;
        exporters.sdk = sdkModule.startMetricsSdk({
          registry: this._registry,
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
    this._sdkLoading = true;
  }

  private async _stopExporters(deadline: number): Promise<void> {
    const exporters = this._exporters;
    this._exportersGeneration++;
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
    this._sdkLoading = false;
  }

  private async _pushGateway(): Promise<boolean> {
    const sender = this._exporters.pushgatewaySender;
    if (sender === undefined) return true;
    await sender.resendSpooled();
    return (await sender.send(Buffer.from(await this._collectText(), 'utf8'))) === 'sent';
  }

  /** At exit: the whole registry once through OTLP, spooled when it cannot be delivered. */
  private async _pushOtlp(): Promise<boolean> {
    const pusher = this._exporters.otlpPusher;
    if (pusher === undefined) return true;
    this._startDeferred();
    await pusher.resendSpooled();
    return (await pusher.push()) === 'sent';
  }

  private async _pushRemoteWrite(): Promise<boolean> {
    const writer = this._exporters.remoteWriter;
    if (writer === undefined) return true;
    await writer.resendSpooled();
    return (await writer.push(await this._collectText())) === 'sent';
  }

  /**
   * The exit deadline passed (or the process is ending): requests in flight are aborted and
   * spooled, and every push from now on is spooled without a request.
   */
  private _abortPushes(): void {
    this._exporters.remoteWriter?.abort();
    this._exporters.pushgatewaySender?.abort();
    this._exporters.otlpPusher?.abort();
  }

  private _pushConfigured(): boolean {
    return this._exporters.pushgateway !== undefined || this._exporters.remoteWriter !== undefined || this._sdkLoading;
  }

  // ---------------------------------------------------------------- viewer and parts

  /** What the part loaders (a module of their own, imported with the first part that loads) read from this monitor. */
  private _partsHost(): PartsHost {
    return (this._host ??= {
      o: this._o,
      diag: this._diag,
      registry: this._registry,
      deadlineMs: this._deadlineMs,
      viewer: () => this._viewerReady,
      spoolDirectory: () => this._spoolDirectory(),
      spoolFor: (name) => this._spoolFor(name),
      errorsOptions: () => this._errorsOptions,
      onErrorHandlers: (remove) => {
        this._removeErrorHandlers = remove;
      },
    });
  }

  private async _loadPart<T>(load: (loaders: typeof import('../parts/loadParts.js'), host: PartsHost) => Promise<T>): Promise<T> {
    return load(await import('../parts/loadParts.js'), this._partsHost());
  }

  // ---------------------------------------------------------------- lifecycle

  private async _ready(): Promise<void> {
    if (!this._startupRecorded) {
      this._startupRecorded = true;
      // From the process's start (process.uptime(), the origin performance.now() counts from too).
      this._standardMetrics().startupDuration.record(processUptimeS());
    }
    const exporters = this._exporters;
    const waits: Promise<unknown>[] = [];
    waits.push(this._telemetry.ready, this._errors.ready, this._security.ready);
    if (exporters.scrape !== undefined) waits.push(exporters.scrape.ready.then((url) => (exporters.scrapeUrl = url)));
    this._startDeferred();
    if (this._sdkLoading) waits.push(this._waitForSdk(PROFILE_DEFAULTS[this._o.profile].exportTimeoutMs));
    await Promise.all(waits);
  }

  private async _flush(deadline: number): Promise<MonitoringFlushResult> {
    const exporters = this._exporters;
    const parts: Record<string, boolean> = {};
    const jobs: [string, Promise<boolean>][] = [];
    if (this._reporter !== undefined) jobs.push(['workers', this._reporter.report().then(() => true)]);
    if (exporters.remoteWriter !== undefined) jobs.push(['remoteWrite', this._pushRemoteWrite()]);
    if (exporters.pushgateway !== undefined) jobs.push(['pushgateway', this._pushGateway()]);
    if (this._sdkLoading) jobs.push(['otlp', Promise.resolve().then(async () => (exporters.sdk === undefined ? false : exporters.sdk.forceFlush(deadline)))]);
    if (this._telemetry.started) jobs.push(['telemetry', this._telemetry.facade.flush(deadline).then((r) => r.complete)]);
    if (this._errors.started) jobs.push(['errors', this._errors.facade.flush(deadline)]);
    if (this._security.started) jobs.push(['security', this._security.facade.flush(deadline).then(() => true)]);
    await Promise.all(
      jobs.map(async ([name, job]) => {
        parts[name] = await withDeadline(job, deadline);
      }),
    );
    return { complete: Object.values(parts).every(Boolean), parts };
  }

  /** Flushes, spools what is left and stops everything, within `deadline` ms. Idempotent. */
  private _shutdownOnce(deadline: number): Promise<MonitoringFlushResult> {
    return (this._shutdown ??= this._stop(deadline));
  }

  private async _stop(deadline: number): Promise<MonitoringFlushResult> {
    const o = this._o;
    // The exit hook stays until the shutdown is over: a host that calls process.exit() meanwhile
    // (its own SIGTERM handler) gets what is in flight or not yet sent spooled.
    this._exitHandlers.removeTriggers();
    const started = nowMs();
    const left = (): number => Math.max(0, deadline - (nowMs() - started));
    // A worker has nothing to push itself, but its last report to the primary is its final push.
    const pushing = (this._pushConfigured() && (o.metrics === false || o.metrics.pushOnExit)) || this._reporter !== undefined;
    const pushed = pushing ? await this._flushPushes(deadline) : {};
    // Pushes still running past the deadline are spooled now, not left to die with the process.
    this._abortPushes();
    const parts: Record<string, boolean> = { ...pushed };
    const stops: [string, Promise<boolean>][] = [];
    if (this._telemetry.started) stops.push(['telemetry', this._telemetry.facade.shutdown(left()).then((r) => r.complete)]);
    if (this._errors.started) stops.push(['errors', this._errors.facade.shutdown(left())]);
    if (this._security.started) stops.push(['security', this._security.facade.shutdown(left()).then(() => true)]);
    await Promise.all(stops.map(async ([name, job]) => (parts[name] = await withDeadline(job, left()))));
    this._abortPushes();
    await withDeadline(this._stopExporters(left()).then(() => true), left());
    const viewer = this._viewerReady;
    if (viewer !== undefined) await withDeadline(viewer.then(async (v) => (await v?.close(), true)), left());
    this._stopped = true;
    clearTimeout(this._deferredTimer);
    this._runtime?.stop();
    this._stopDeliveryMetrics?.();
    this._reporter?.stop();
    this._aggregator?.stop();
    this._exitHandlers.remove();
    const slot = globalThis as unknown as HandleSlot;
    if (slot[HANDLE_KEY] === this.handle) slot[HANDLE_KEY] = undefined;
    return { complete: Object.values(parts).every(Boolean), parts };
  }

  private async _flushPushes(deadline: number): Promise<Record<string, boolean>> {
    const exporters = this._exporters;
    const parts: Record<string, boolean> = {};
    const jobs: [string, Promise<boolean>][] = [];
    if (this._reporter !== undefined) jobs.push(['workers', this._reporter.report().then(() => true)]);
    const atExit = (name: ExitPush, job: Promise<boolean>): Promise<boolean> => job.finally(() => this._exitPushed.add(name));
    if (exporters.remoteWriter !== undefined) jobs.push(['remoteWrite', atExit('remoteWrite', this._pushRemoteWrite())]);
    if (exporters.pushgateway !== undefined) jobs.push(['pushgateway', atExit('pushgateway', this._pushGateway())]);
    if (exporters.otlpPusher !== undefined) jobs.push(['otlp', atExit('otlp', this._pushOtlp())]);
    await Promise.all(jobs.map(async ([name, job]) => (parts[name] = await withDeadline(job, deadline))));
    return parts;
  }

  private async _waitForSdk(deadline: number): Promise<MetricsSdk | undefined> {
    const until = nowMs() + deadline;
    while (this._exporters.sdk === undefined && nowMs() < until) await sleep(5);
    const sdk = this._exporters.sdk;
    if (sdk !== undefined) await withDeadline(sdk.ready, Math.max(0, until - nowMs()));
    return sdk;
  }

  private _hasPendingAtExit(): boolean {
    const o = this._o;
    return !this._exitFlushDone && ((this._pushConfigured() && o.metrics !== false && o.metrics.pushOnExit) || this._security.started || this._reporter !== undefined);
  }

  private async _flushAtExit(deadline: number): Promise<void> {
    const o = this._o;
    this._exitFlushDone = true;
    const results: Promise<unknown>[] = [];
    if (o.metrics !== false && o.metrics.pushOnExit) results.push(this._flushPushes(deadline));
    if (this._reporter !== undefined) results.push(this._reporter.report());
    if (this._security.started) results.push(withDeadline(this._security.facade.flush(deadline).then(() => true), deadline));
    await Promise.all(results);
  }

  // process.exit() without shutdown(), or before the exit push of a flush or shutdown had an
  // outcome: nothing can be awaited. The registry is read synchronously and written to the spool
  // of each configured push whose exit push has no outcome yet (write + rename, bounded by
  // spool.maxBytes); the next run sends it first. A payload abort() spooled may be followed by
  // this newer one: both are cumulative, so the receiver ends with the newest values. Remote write is encoded now, the Pushgateway
  // takes the text as is, and OTLP keeps a snapshot of the registry (JSON) that the next run
  // encodes with OpenTelemetry's serializers: loading them now would need an await.
  private _exitNow(): void {
    this._exitFlushDone = true;
    const exporters = this._exporters;
    // Nothing pushes (the usual CLI): nothing to abort or spool, and the code below is not even compiled.
    if (exporters.pushgatewaySender === undefined && exporters.remoteWriter === undefined && exporters.otlpPusher === undefined) return;
    this._abortPushes();
    this._spoolAtExit();
  }

  private _spoolAtExit(): void {
    const o = this._o;
    const exporters = this._exporters;
    if (o.metrics === false || !o.metrics.pushOnExit || (this._role !== 'primary' && o.workers.aggregate)) return;
    if (exporters.pushgatewaySender === undefined && exporters.remoteWriter === undefined && exporters.otlpPusher === undefined) return;
    this._startDeferred();
    const pg = exporters.pushgatewaySender !== undefined && !this._exitPushed.has('pushgateway');
    const rw = exporters.remoteWriter !== undefined && !this._exitPushed.has('remoteWrite');
    if (pg || rw) {
      const own = renderPrometheusSync(this._registry);
      const text = this._aggregator === undefined ? own : this._aggregator.merge(own);
      if (pg) this._pgSpool?.save(Buffer.from(text, 'utf8'));
      if (rw && o.metrics.remoteWrite !== undefined) this._rwSpool?.save(encodeRemoteWrite(text, o.metrics.remoteWrite.externalLabels, Date.now()));
    }
    if (exporters.otlpPusher === undefined || this._exitPushed.has('otlp')) return;
    if (this._otlpExitSpool === undefined) this._diag.debug('otlp.exit', 'process.exit(): spool: false, so this run\'s OTLP metrics are not kept');
    else exporters.otlpPusher.spoolAtExit();
  }

  // ---------------------------------------------------------------- reconfigure

  private _reconfigure(changes: ReconfigureOptions): void {
    const o = this._o;
    const diag = this._diag;
    try {
      if (changes === null || typeof changes !== 'object') {
        diag.warn('reconfigure.invalid', 'reconfigure() takes an object; ignored', 'reconfigure.invalid');
        return;
      }
      const level = changes.diagnostics?.level;
      if (level !== undefined) {
        if (['none', 'error', 'warn', 'info', 'debug'].includes(level)) this._setLevel(level);
        else diag.warn('reconfigure.invalid', `reconfigure(): diagnostics.level "${String(level).slice(0, 16)}" is not a level; ignored`, 'reconfigure.level');
      }
      if (changes.telemetry !== undefined) this._reconfigureTelemetry(changes.telemetry);
      if (changes.runtimeMetrics !== undefined) {
        if (changes.runtimeMetrics === true) {
          this._runtimeConfig ??= resolveNodeOptions({}, diag, o.serviceName).options.runtimeMetrics || undefined;
          this._runtimeOn = true;
          if (this._runtime !== undefined) this._runtime.setEnabled(true);
          else if (o.metrics !== false) this._startRuntime();
        } else if (changes.runtimeMetrics === false) {
          this._runtimeOn = false;
          this._runtime?.setEnabled(false);
        } else diag.warn('reconfigure.invalid', 'reconfigure(): runtimeMetrics takes true or false; ignored', 'reconfigure.runtime');
      }
      if (changes.errors !== undefined) this._reconfigureErrors(changes.errors);
      if (changes.security !== undefined) this._reconfigureSecurity(changes.security);
      if (changes.metrics !== undefined && o.metrics !== false) {
        const next = resolveNodeOptions({ metrics: { ...stripResolved(o.metrics), ...changes.metrics } }, diag, o.serviceName).options.metrics;
        if (next !== false) {
          void this._stopExporters(this._deadlineMs).then(() => {
            o.metrics = next;
            this._startExporters(next);
          });
        }
      }
    } catch (error) {
      diag.internalError(error, 'reconfigure');
    }
  }

  private _reconfigureTelemetry(next: NonNullable<ReconfigureOptions['telemetry']>): void {
    const telemetry = this._telemetry;
    const generation = ++this._telemetryGeneration;
    if (next === false) {
      const old = telemetry.swap(noopTelemetry());
      void old?.shutdown(this._deadlineMs);
    } else if (next !== null && typeof next === 'object') {
      const sessionId = telemetry.current()?.sessionId;
      const o = this._o;
      // The replacement starts with the consent the host has given the current client (optIn()
      // after init), not the init options' again; `consent` passed to reconfigure() wins.
      const carry = next.consent === undefined;
      const consent = carry ? liveConsent(telemetry.current()) : undefined;
      const options = { ...(o.telemetry === false ? {} : o.telemetry), ...next, ...(sessionId ? { sessionId } : {}), ...(consent ? { consent } : {}) };
      void this._loadPart((m, host) => m.makeTelemetry(host, options)).then(
        (client) => {
          // A later reconfigure (or shutdown) came first: this client is stopped, not used.
          if (generation !== this._telemetryGeneration || this._shutdown !== undefined) return void client.shutdown(this._deadlineMs);
          // Consent may have changed while the client loaded.
          if (carry) adoptConsent(client, liveConsent(telemetry.current()));
          void telemetry.swap(client)?.shutdown(this._deadlineMs);
        },
        (error: unknown) => this._diag.internalError(error, 'reconfigure telemetry'),
      );
    }
  }

  // errors and security: what may change at run time goes to the part's configure(), which keeps
  // its state (error groups, breadcrumbs, blocked keys, detector windows, cooldowns) and sinks.
  private _reconfigureErrors(input: unknown): void {
    const errorsOptions = this._errorsOptions;
    const changes = runtimeChanges(errorsOptions, input, ERRORS_FIXED_OPTIONS, 'errors', this._diag);
    if (changes === undefined || errorsOptions === false) return;
    const errors = this._errors;
    // Not loading yet: the load uses the new options. Loading or loaded: configure() (buffered until loaded).
    if (!errors.started) {
      this._errorsOptions = mergeChanges(errorsOptions, changes);
      return;
    }
    const { globalHandlers, ...tracker } = changes;
    errors.facade.configure(tracker);
    if (globalHandlers === undefined) return;
    if (typeof globalHandlers !== 'boolean') {
      this._diag.warn('reconfigure.invalid', 'reconfigure(): errors.globalHandlers takes true or false; ignored', 'reconfigure.errors.globalHandlers');
      return;
    }
    void errors.ready.then(() => {
      const t = errors.current();
      if (!globalHandlers) {
        this._removeErrorHandlers?.();
        this._removeErrorHandlers = undefined;
      } else if (t !== undefined && this._removeErrorHandlers === undefined) this._removeErrorHandlers = t.installGlobalHandlers();
    });
  }

  private _reconfigureSecurity(input: unknown): void {
    const securityOptions = this._securityOptions;
    const changes = runtimeChanges(securityOptions, input, SECURITY_FIXED_OPTIONS, 'security', this._diag);
    if (changes === undefined || securityOptions === false) return;
    if (!this._security.started) this._securityOptions = mergeChanges(securityOptions, changes);
    else this._security.facade.configure(changes);
  }
}

/** The changes that may apply at run time, or undefined (one diagnostic) when none can. */
function runtimeChanges(current: object | false, input: unknown, fixed: readonly string[], part: string, diag: Diagnostics): Record<string, unknown> | undefined {
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
}

/** Init options with `changes` merged in, an object option field by field (as configure() does). */
function mergeChanges<T extends object>(current: T, changes: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(changes)) {
    const was = out[key];
    const plain = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);
    out[key] = plain(was) && plain(value) ? { ...was, ...value } : value;
  }
  return out as T;
}

/** A resolved metrics section back in input form, so `reconfigure()` can merge changes into it. */
function stripResolved(m: MetricsOptions): Record<string, unknown> {
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

/** The consent of a loaded telemetry client; `undefined` for none or the stand-in of telemetry off (its session id is empty). */
function liveConsent(client: TelemetryClient | undefined): TelemetryClient['consent'] | undefined {
  return client === undefined || client.sessionId === '' ? undefined : client.consent;
}

/** Brings `client` to `consent` (no-op when `undefined` or already there). */
function adoptConsent(client: TelemetryClient, consent: TelemetryClient['consent'] | undefined): void {
  if (consent === undefined || client.consent === consent) return;
  if (consent === 'granted') client.optIn();
  else if (consent === 'denied') client.optOut();
}
