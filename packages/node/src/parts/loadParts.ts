// The loaders of telemetry, errors, security and the viewer: a module of their own, imported with
// the first part that loads, so that a process that loads none (the usual short CLI) never
// parses them. Each runs after an import of its package anyway. Nothing here is shared with the
// start-up code (not even the no-op parts): a shared module would become a file of its own that
// every start-up loads.
import { join } from 'node:path';
import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import type { ResolvedNodeOptions } from '../config.js';
import type { ErrorTracker, SecurityLogger, TelemetryClient } from '../internal/featureTypes.js';
import type { PayloadSpool } from '../spool/createPayloadSpool.js';
import { createSentryFileSpool } from '../spool/createSentryFileSpool.js';

/** The running viewer (development). */
export type ViewerHandle = Awaited<ReturnType<(typeof import('@lookout/viewer'))['startViewer']>>;

/** What the loaders read from the running `initMonitoring()`; the functions read its state as it is then. */
export interface PartsHost {
  readonly o: ResolvedNodeOptions;
  readonly diag: Diagnostics;
  readonly registry: MetricsRegistry;
  readonly deadlineMs: number;
  viewer(): Promise<ViewerHandle | undefined> | undefined;
  spoolDirectory(): string | undefined;
  spoolFor(name: string): PayloadSpool | undefined;
  /** The errors options now (reconfigure() changes them until the tracker starts loading). */
  errorsOptions(): ResolvedNodeOptions['errors'];
  /** Keeps what removes the tracker's global handlers. */
  onErrorHandlers(remove: () => void): void;
}

/** Starts the viewer; undefined (one warning) when @lookout/viewer is not installed or its port cannot be used. */
export function startViewer(host: PartsHost, options: { port?: number }): Promise<ViewerHandle | undefined> {
  return import('@lookout/viewer')
    .then(async (m) => {
      const v = m.startViewer({ registry: host.registry, diagnostics: host.diag, port: options.port ?? 9469 });
      if (!(await v.ready)) return undefined;
      process.stderr.write(`Lookout viewer: ${v.url}\n`);
      return v;
    })
    .catch((error: unknown) => {
      host.diag.warn('viewer.unavailable', `viewer: true needs @lookout/viewer (npm i -D @lookout/viewer): ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    });
}

/** A telemetry client with these options over Lookout's (spool, registry, exit handling). */
export function makeTelemetry(host: PartsHost, t: Record<string, unknown>): Promise<TelemetryClient> {
  const { o } = host;
  return import('@lookout/telemetry/node').then((m) => {
    const dir = host.spoolDirectory();
    return m.createNodeTelemetryClient({
      app: { name: o.serviceName, ...(o.serviceVersion === undefined ? {} : { version: o.serviceVersion }) },
      ...(dir === undefined ? {} : { spool: { directory: join(dir, 'events') } }),
      ...t,
      registry: host.registry,
      diagnostics: host.diag,
      exitHandling: true,
      exitDeadlineMs: host.deadlineMs,
    } as Parameters<typeof m.createNodeTelemetryClient>[0]);
  });
}

/** The telemetry client: to its endpoint, else to the viewer when there is one, else none (undefined). */
export async function loadTelemetry(host: PartsHost): Promise<TelemetryClient | undefined> {
  if (host.o.telemetry !== false) return makeTelemetry(host, host.o.telemetry);
  const v = await host.viewer();
  return v === undefined ? undefined : makeTelemetry(host, { endpoint: v.endpoints.otlpLogs, format: 'otlp-json' });
}

export async function loadErrors(host: PartsHost): Promise<ErrorTracker> {
  const { o, diag, registry } = host;
  const mod = await import('@lookout/errors');
  const errorsOptions = host.errorsOptions();
  if (errorsOptions === false) return mod.createErrorTracker({ enabled: false, diagnostics: diag });
  const { dsn, sentry, globalHandlers, ...tracker } = errorsOptions;
  const sinks = [...(tracker.sinks ?? [])];
  if (typeof dsn === 'string' && dsn !== '') {
    const { createSentryNodeSink } = await import('@lookout/errors/sentry-node');
    const files = host.spoolFor('errors');
    const spool = files === undefined ? undefined : createSentryFileSpool(files);
    sinks.push(
      createSentryNodeSink({
        dsn,
        ...(o.environment === undefined ? {} : { environment: o.environment }),
        ...(o.serviceVersion === undefined ? {} : { release: `${o.serviceName}@${o.serviceVersion}` }),
        exitFlushTimeoutMs: host.deadlineMs,
        diagnostics: diag,
        ...sentry,
        transport: sentry?.transport === false ? false : { registry, diagnostics: diag, ...(spool === undefined ? {} : { spool }), ...sentry?.transport },
      }),
    );
  }
  const viewer = await host.viewer();
  if (viewer !== undefined) sinks.push(viewer.errorSink() as (typeof sinks)[number]);
  const t = mod.createErrorTracker({ namespace: o.namespace, ...tracker, registry, diagnostics: diag, sinks });
  if (globalHandlers !== false) host.onErrorHandlers(t.installGlobalHandlers());
  return t;
}

/** The security logger (security is on: the caller answers with a no-op logger when it is off). */
export async function loadSecurity(host: PartsHost, securityOptions: Exclude<ResolvedNodeOptions['security'], false>): Promise<SecurityLogger> {
  const { diag, registry } = host;
  const mod = await import('@lookout/security');
  const { auditLog, siem, ...logger } = securityOptions;
  const sinks = [...(logger.sinks ?? [])];
  if (auditLog !== undefined) {
    const { createAuditLog } = await import('@lookout/security/audit-log');
    sinks.push(createAuditLog({ diagnostics: diag, ...auditLog }).sink);
  }
  if (siem !== undefined) sinks.push(mod.createSiemSink({ registry, diagnostics: diag, ...siem }));
  const viewer = await host.viewer();
  if (viewer !== undefined) sinks.push(viewer.securitySink() as (typeof sinks)[number]);
  return mod.createSecurityLogger({ ...logger, sinks, registry, diagnostics: diag });
}
