import type { DiagLevel, Diagnostics, Logger, MetricsRegistry, Profile, StandardMetrics } from '@lookout/core';
import type { ErrorTracker, ErrorTrackerOptions, SentryNodeSinkOptions } from './internal/featureTypes.js';
import type { SecurityLogger, SecurityLoggerOptions, AuditLogOptions, SiemSinkOptions } from './internal/featureTypes.js';
import type { NodeTelemetryClientOptions, TelemetryClient } from './internal/featureTypes.js';

/** The Prometheus scrape endpoint served by the process (or, in a cluster, by the primary). */
export interface PrometheusEndpointOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; `0` picks a free one. Default 9464. */
  port?: number;
  /** Path served. Default `/metrics`. */
  path?: string;
}

/** Push to a Prometheus Pushgateway (short-lived jobs). */
export interface PushgatewayOptions {
  /** Base URL, e.g. `http://127.0.0.1:9091`. */
  url: string;
  /** The `job` grouping label. Default: the service name. */
  job?: string;
  /** More grouping labels, e.g. `{ instance: 'ci-42' }`. */
  groupingLabels?: Record<string, string>;
  /** Extra headers (auth). Never logged. */
  headers?: Record<string, string>;
  /** Push every this many ms while running; `0` pushes only at exit (and on `flush()`). Default 0. */
  intervalMs?: number;
}

/** Push with the Prometheus remote-write protocol 1.0 (protobuf + snappy): Prometheus, Mimir, Thanos, VictoriaMetrics. */
export interface RemoteWriteOptions {
  /** Receiver URL, e.g. `http://127.0.0.1:9090/api/v1/write`. */
  url: string;
  /** Extra headers (auth, tenant). Never logged. */
  headers?: Record<string, string>;
  /** Labels added to every series, e.g. `{ instance: 'laptop-1' }`. `job` defaults to the service name. */
  externalLabels?: Record<string, string>;
  /** Push every this many ms while running; `0` pushes only at exit (and on `flush()`). Default 0. */
  intervalMs?: number;
  /** Per-request timeout in ms. Default 5000. */
  timeoutMs?: number;
}

/** Push OTLP/HTTP through `@lookout/core/sdk` (OpenTelemetry's exporters, loaded only when set). */
export interface OtlpMetricsOptions {
  /** Full metrics URL. Default: `OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT`, else `http://localhost:4318/v1/metrics`. */
  endpoint?: string;
  /** Default `http/protobuf`. */
  protocol?: 'http/protobuf' | 'http/json';
  /** Extra headers. Never logged. */
  headers?: Record<string, string>;
  /** Export interval in ms. Default from the profile (production: 60 s). */
  intervalMs?: number;
  /** Per-export timeout in ms. Default from the profile. */
  timeoutMs?: number;
}

/** Where metrics go. Several can be on at once. */
export interface MetricsOptions {
  /** Registry to use. Default: core's default registry (the one `instrument()` records into). */
  registry?: MetricsRegistry;
  /** Serve a scrape endpoint. Default off (`LOOKOUT_PROMETHEUS_PORT` turns it on). */
  prometheus?: PrometheusEndpointOptions | false;
  pushgateway?: PushgatewayOptions;
  remoteWrite?: RemoteWriteOptions;
  /** `true` for the `OTEL_*` settings, or explicit ones. */
  otlp?: boolean | OtlpMetricsOptions;
  /** Push through every configured push path when the process exits. Default true. */
  pushOnExit?: boolean;
}

/** Runtime health metrics under OpenTelemetry's semantic-convention names. */
export interface RuntimeMetricsOptions {
  /** Sampling resolution of the event-loop delay histogram, in ms. Default 10. */
  eventLoopResolutionMs?: number;
  /** Record `v8js.gc.duration` by GC kind. Default true. */
  gc?: boolean;
  /** More filesystems to report (`system.filesystem.usage`): name → a path on it. The spool and audit log are added. */
  diskPaths?: Record<string, string>;
}

/** cluster and worker_threads: workers send their metrics to the primary (main thread), which serves one scrape. */
export interface WorkersOptions {
  /** Aggregate workers' metrics into the primary's scrape. Default true. */
  aggregate?: boolean;
  /** Keep one series per worker (`worker` label) instead of combining them (counters summed, gauges as docs/node.md says). Default false. */
  labelByWorker?: boolean;
  /** How often a worker sends its metrics, in ms. Default 1000. */
  intervalMs?: number;
}

/** The on-disk spool: what could not be sent before exit is sent by the next run. */
export interface SpoolOptions {
  /** Folder. Default `<tmpdir>/lookout/<service name>`. */
  directory?: string;
  /** Most bytes kept. Default 10 MiB. */
  maxBytes?: number;
}

/** Exit handling. */
export interface ExitOptions {
  /** Longest an exit may be delayed to flush, in ms. Default 2000. */
  deadlineMs?: number;
  /** Flush on SIGINT and SIGTERM (the host's handlers and the default exit are kept). Default true. */
  signals?: boolean;
}

/** Errors: the tracker of `@lookout/errors`, with Sentry through `@lookout/errors/sentry-node` when `dsn` is set. */
export interface NodeErrorsOptions extends ErrorTrackerOptions {
  /** Sentry DSN. Default `LOOKOUT_SENTRY_DSN` or `SENTRY_DSN`. Never logged. */
  dsn?: string;
  /** More options of the Sentry sink. */
  sentry?: Omit<SentryNodeSinkOptions, 'dsn'>;
  /** Install `uncaughtException` / `unhandledRejection` handlers. Default true. */
  globalHandlers?: boolean;
}

/** Security events: the logger of `@lookout/security`, with an audit log and a SIEM sink when set. */
export interface NodeSecurityOptions extends SecurityLoggerOptions {
  /** A tamper-evident audit log (`@lookout/security/audit-log`). */
  auditLog?: AuditLogOptions;
  /** Forward events to a SIEM over HTTP. */
  siem?: SiemSinkOptions;
}

/** Input of `initMonitoring()`. Every field is optional; environment variables fill what is not given. */
export interface NodeMonitoringOptions {
  /** Turn everything off (`LOOKOUT_DISABLED=true` or `OTEL_SDK_DISABLED=true` too). Default true. */
  enabled?: boolean;
  /** `service.name`, the Pushgateway job and remote-write `job`. Default `OTEL_SERVICE_NAME`, else the script's name. */
  serviceName?: string;
  serviceVersion?: string;
  /** `deployment.environment.name`. Default `LOOKOUT_ENVIRONMENT`. */
  environment?: string;
  /** Picks export intervals and diagnostics defaults. Default `LOOKOUT_PROFILE`, else `production`. */
  profile?: Profile;
  /** Prefix of the standard metrics (`{ns}_startup_duration_seconds` …). Default `app`. */
  namespace?: string;
  /** Lookout's own messages. `level` defaults to `LOOKOUT_LOG_LEVEL`, else the profile's. */
  diagnostics?: { level?: DiagLevel; logger?: Logger; maxPerMinute?: number };
  metrics?: MetricsOptions | false;
  /** Runtime metrics (CPU, memory, event loop, GC, handles, disk): on by default; `false` turns them off, an object tunes them. */
  runtimeMetrics?: RuntimeMetricsOptions | boolean;
  workers?: WorkersOptions;
  /** Usage events: on when an endpoint is given (or `LOOKOUT_TELEMETRY_ENDPOINT`). */
  telemetry?: Omit<NodeTelemetryClientOptions, 'registry' | 'diagnostics' | 'exitHandling'> | false;
  /** Errors: on by default (counted in `{ns}_errors_total`); sent to Sentry when a DSN is set. */
  errors?: NodeErrorsOptions | false;
  /** Security events: on by default with the brute-force detector. */
  security?: NodeSecurityOptions | false;
  /**
   * Development: start the live viewer (`@lookout/viewer`, an optional peer loaded only then) on
   * 127.0.0.1 and show this process's metrics, errors, security events and, when no telemetry
   * endpoint is set, its usage events. `true`, or `{ port }` (default 9469; 0 picks one). Default off.
   */
  viewer?: boolean | { port?: number };
  spool?: SpoolOptions | false;
  exit?: ExitOptions;
  /** Environment to read `LOOKOUT_*` and `OTEL_*` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Throw `LookoutConfigError` on invalid options instead of using defaults. */
  strict?: boolean;
}

/** What `reconfigure()` may change at run time. */
export interface ReconfigureOptions {
  diagnostics?: { level?: DiagLevel };
  /** New telemetry options (e.g. `sampling`): the client is replaced; the old one sends what it holds first. */
  telemetry?: NodeMonitoringOptions['telemetry'];
  /** New exporters: each given key replaces that exporter (`false`/`undefined` inside turns it off). */
  metrics?: Pick<MetricsOptions, 'prometheus' | 'pushgateway' | 'remoteWrite' | 'otlp' | 'pushOnExit'>;
  /** Turn runtime metrics off (their families report no series) or back on. */
  runtimeMetrics?: boolean;
  /**
   * Error tracking options that can change at run time (`rateLimit`, `spike`, `classify`,
   * `beforeCapture`, `tags`, `maxBreadcrumbs`, `enabled`, `globalHandlers`), applied by the
   * tracker's `configure()`: groups, rate-limit windows, breadcrumbs, user and session are kept.
   * Everything else (`dsn`, `sentry`, `sinks` …) is fixed at init and refused with a diagnostic.
   */
  errors?: Omit<NodeErrorsOptions, 'dsn' | 'sentry' | 'sinks'>;
  /**
   * Security options that can change at run time (detector thresholds, `rateLimit`,
   * `alertCooldownMs`, `onAlert`, `enabled`), applied by the logger's `configure()`: blocked keys,
   * failure windows and alert cooldowns are kept. Everything else (`auditLog`, `siem`, `sinks`,
   * redaction …) is fixed at init and refused with a diagnostic.
   */
  security?: Omit<NodeSecurityOptions, 'auditLog' | 'siem' | 'sinks'>;
}

/** Outcome of `flush()` and `shutdown()`. */
export interface MonitoringFlushResult {
  /** `true` when everything was delivered. */
  complete: boolean;
  /** Per part: `true` delivered, `false` not (spooled when a spool is set). */
  parts: Record<string, boolean>;
}

/** The handle `initMonitoring()` returns. No method throws; promises never reject. */
export interface Monitoring {
  /** The registry everything records into. */
  readonly metrics: MetricsRegistry;
  /** Standard metrics: startup, stage durations, memory, sessions, errors. */
  readonly standard: StandardMetrics;
  /** Usage events (a no-op client when telemetry is off). Calls before the client has loaded are buffered. */
  readonly telemetry: TelemetryClient;
  /** Errors (a no-op tracker when off). Captures before it has loaded are buffered and return `undefined`. */
  readonly errors: ErrorTracker;
  /** Security events (a no-op logger when off). Calls before it has loaded are buffered. */
  readonly security: SecurityLogger;
  /** Where Lookout reports about itself. */
  readonly diagnostics: Diagnostics;
  /** The scrape endpoint's URL, once listening. */
  readonly scrapeUrl: string | undefined;
  /**
   * Marks the application ready: records process start → now in `{ns}_startup_duration_seconds`
   * (the first call only), then resolves once every enabled part has loaded.
   */
  ready(): Promise<void>;
  /** Sends everything pending (events, errors, security events, metric pushes) by `deadlineMs` (default: the exit deadline). */
  flush(deadlineMs?: number): Promise<MonitoringFlushResult>;
  /** Flushes, spools what is left, stops timers and servers, removes exit hooks. Idempotent. */
  shutdown(deadlineMs?: number): Promise<MonitoringFlushResult>;
  /** Changes levels, sampling and exporters without a restart. */
  reconfigure(options: ReconfigureOptions): void;
}
