import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import type { CaptureContext, PageErrorCapture, PageErrorCaptureOptions, Severity } from '@lookout/errors/page';
import type { SentryBrowserSinkOptions } from '@lookout/errors/sentry-browser';
import type { ConsentState } from '@lookout/telemetry';
import type { PageClient, PageClientOptions } from '@lookout/telemetry/page';
import type { WebVitalsCollector, WebVitalsOptions } from '@lookout/web-vitals';

/** Options of the web vitals part; `telemetry`, `diagnostics` and `registry` come from the monitoring options. */
export type MonitoringWebVitalsOptions = Omit<WebVitalsOptions, 'telemetry' | 'diagnostics' | 'registry' | 'strict'> & {
  /**
   * The collector factory: `createWebVitalsCollector` of `@lookout/web-vitals/attribution` for
   * attribution summaries. Default: the standard build's.
   */
  createCollector?: (options: WebVitalsOptions) => WebVitalsCollector;
};

/** Options of the error part (`@lookout/errors/page`); sinks, registry and diagnostics come from the monitoring options. */
export type MonitoringErrorOptions = Omit<PageErrorCaptureOptions, 'sinks' | 'registry' | 'diagnostics'>;

/** Options of the optional Sentry forwarding (`@sentry/browser` is loaded only when `dsn` is set). */
export type MonitoringSentryOptions = Omit<SentryBrowserSinkOptions, 'diagnostics' | 'client'> & { dsn: string };

/** Extra options of the event client (`@lookout/telemetry/page`: sampling, `beforeSend`, queue bounds, redaction …). */
export type MonitoringTelemetryOptions = Omit<PageClientOptions, 'endpoint' | 'headers' | 'app' | 'consent' | 'userId' | 'registry' | 'diagnostics' | 'persistence'>;

/** Input of `initMonitoring`. Only `serviceName` and `endpoint` matter for most pages. */
export interface MonitoringOptions {
  /** The app, as `service.name`. Default `unknown_service` (with a warning). */
  serviceName?: string;
  /** The app's version or release, as `service.version`. */
  serviceVersion?: string;
  /** Deployment environment (`production`, `staging`), as `deployment.environment.name`. */
  environment?: string;
  /** Where events go (OTLP/HTTP logs in JSON by default), e.g. `https://collector.example.com/v1/logs`. */
  endpoint?: string;
  /** Headers sent with every batch (auth). Never logged. A page-hide flush then uses `fetch` keepalive, never `sendBeacon`. */
  headers?: Record<string, string>;
  /** Consent at start. Default `granted`; with `pending` or `denied` nothing is sent until `optIn()`. */
  consent?: ConsentState;
  /** Initial user id (scrubbed like every field). */
  userId?: string;
  /** Keep what could not be sent in IndexedDB for the next page load. Default `false`. */
  persistence?: boolean;
  /** Web vitals: `false` turns them off. Default on, with the default budgets. */
  webVitals?: boolean | MonitoringWebVitalsOptions;
  /** Error capture (global `error` and `unhandledrejection`): `false` turns it off. Default on. */
  errors?: boolean | MonitoringErrorOptions;
  /** Also forward errors to Sentry. Costs nothing unless `dsn` is set. */
  sentry?: MonitoringSentryOptions;
  /** More event client options. */
  telemetry?: MonitoringTelemetryOptions;
  /** Registry for vitals histograms, error counts and Lookout's own metrics. Default: none, and no metrics (so the page does not bundle the registry). */
  registry?: MetricsRegistry;
  /** Where Lookout's own problems are reported. Default: the page-wide diagnostics (console, level `warn`). */
  diagnostics?: Diagnostics;
  /** Throw `LookoutConfigError` on invalid options instead of falling back to defaults. */
  strict?: boolean;
}

/** What `initMonitoring` returns. No method throws; promises never reject. */
export interface Monitoring {
  /** Records a usage event. Returns its id, or `undefined` when it was dropped (counted) or queued before init. */
  track(name: string, properties?: Record<string, unknown>): string | undefined;
  /** Records a `download` event `{ platform, method, version }`, e.g. `('linux', 'deb', '2.1.0')`. */
  trackDownload(platform: string, method: string, version: string): string | undefined;
  /** Captures an error (anything thrown) with optional context. Returns the record's id, or `undefined` when it was ignored, dropped by `beforeCapture`, or captured after shutdown or before init. */
  captureException(error: unknown, context?: CaptureContext): string | undefined;
  /** Captures a message at `severity` (default `low`). */
  captureMessage(message: string, severity?: Severity, context?: CaptureContext): string | undefined;
  /** Names the current route (SPA routers call this on every navigation). */
  setRoute(route: string): void;
  /** Sets, or with `undefined` clears, the user id of later events and errors. */
  identify(userId: string | undefined): void;
  /** Grants consent: later events are sent. */
  optIn(): void;
  /** Withdraws consent: drops what is queued, clears the store, sends nothing more. */
  optOut(): void;
  /** Current consent. */
  readonly consent: ConsentState;
  /** Sends what is queued; resolves `true` when nothing is left, by `timeoutMs` (default 5000). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Stops vitals, removes the error handlers, flushes and stops the event client by `timeoutMs` (default 5000). Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
  /** The event client (`@lookout/telemetry/page`). */
  readonly telemetry: PageClient;
  /** The error capture (`@lookout/errors/page`), unless errors are off. */
  readonly errors: PageErrorCapture | undefined;
  /** The web vitals collector, unless vitals are off. */
  readonly vitals: WebVitalsCollector | undefined;
}
