import type { MeterProvider, MetricReader, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resolveOptions } from '../config/resolveOptions.js';
import { DEFAULT_PROFILE, PROFILE_DEFAULTS } from '../config/profiles.js';
import { GLOBAL_TIMERS } from '../delivery/timers.js';
import { getDiagnostics } from '../diagnostics/index.js';
import { parseUrl } from '../internal/url.js';
import { getDefaultRegistry } from '../metrics/defaultRegistry.js';
import { LOOKOUT_PROVIDER_MARK } from '../metrics/internal/otelGlobal.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { parseOtelEnv } from './env.js';
import { metricsSdkOptionsSchema, type MetricsSdkOptions } from './options.js';
import { createOtelMetricProducer } from './producer.js';
import { createMetricsResource } from './resource.js';

export const DEFAULT_OTLP_METRICS_ENDPOINT = 'http://localhost:4318/v1/metrics';

/** A running metrics SDK. Every method is safe to call any number of times and never rejects. */
export interface MetricsSdk {
  readonly registry: MetricsRegistry;
  /** Resolves true once exporters are loaded and running, false if setup failed (see diagnostics). */
  readonly ready: Promise<boolean>;
  /** Exports everything now; resolves false if `deadlineMs` passes first. */
  forceFlush(deadlineMs?: number): Promise<boolean>;
  /** Flushes and stops; later calls return the same promise. */
  shutdown(deadlineMs?: number): Promise<boolean>;
  /** What the in-memory exporter holds (option `memory: true`). */
  memoryMetrics(): Promise<ResourceMetrics[]>;
  /** The OpenTelemetry MeterProvider, once ready. */
  meterProvider(): MeterProvider | undefined;
}

const DEFAULT_DEADLINE_MS = 5_000;

/**
 * Sets up OpenTelemetry's metrics SDK for a Lookout registry: a resource with `service.name`,
 * `service.version` and `deployment.environment.name` (plus OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES, which code overrides) over the SDK's default resource
 * (`telemetry.sdk.*`, `service.name` `unknown_service:<process.argv0>`), and readers that push through OTLP/HTTP (protobuf or JSON), the
 * console, or memory. The SDK and exporters are loaded lazily, so nothing is paid for what is
 * not configured. Options are explicit > OTEL_* environment > profile defaults.
 * With `OTEL_SDK_DISABLED=true` nothing is set up, `ready` resolves false and the registry's mode
 * is left as it was (a registry reporting through the host's MeterProvider keeps doing so).
 */
export function startMetricsSdk(options: MetricsSdkOptions = {}): MetricsSdk {
  const diag = getDiagnostics();
  const o = resolveOptions(metricsSdkOptionsSchema, options, { component: 'startMetricsSdk', diagnostics: diag }).options ?? {};
  const registry = (o.registry as MetricsRegistry | undefined) ?? getDefaultRegistry();
  const env = parseOtelEnv(o.env ?? undefined, diag);
  // A disabled SDK leaves the registry as it was: in `delegate` mode the host's MeterProvider
  // keeps getting the records, and nothing starts aggregating here for no reader. Otherwise
  // aggregate from now on, so records made while the exporters load are kept.
  if (!env.sdkDisabled) registry.enable();
  const profile = PROFILE_DEFAULTS[o.profile ?? DEFAULT_PROFILE];
  let provider: MeterProvider | undefined;
  let memory: { getMetrics(): ResourceMetrics[] } | undefined;
  let shutdownPromise: Promise<boolean> | undefined;

  const ready = (async (): Promise<boolean> => {
    if (env.sdkDisabled) {
      diag.info('sdk.disabled', 'OTEL_SDK_DISABLED=true: no metrics are exported');
      return false;
    }
    try {
      const [sdk, resources] = await Promise.all([import('@opentelemetry/sdk-metrics'), import('@opentelemetry/resources')]);
      const resource = createMetricsResource(resources, o, env);
      const producer = createOtelMetricProducer(registry, resource);
      const otlp = o.otlp === true ? {} : o.otlp === false ? undefined : o.otlp;
      const wantOtlp = otlp !== undefined || (o.otlp === undefined && env.exporters?.includes('otlp') === true);
      const intervalMs = (otlp?.intervalMs ?? env.exportIntervalMs ?? profile.exportIntervalMs);
      const timeoutMs = Math.min(otlp?.timeoutMs ?? env.exportTimeoutMs ?? profile.exportTimeoutMs, intervalMs);
      const readers: MetricReader[] = [];
      const reader = (exporter: PushMetricExporter): MetricReader =>
        new sdk.PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: timeoutMs, metricProducers: [producer] });
      if (wantOtlp) {
        const protocol = otlp?.protocol ?? env.otlpProtocol ?? 'http/protobuf';
        const url = otlp?.endpoint ?? env.otlpEndpoint ?? DEFAULT_OTLP_METRICS_ENDPOINT;
        const exporterConfig = {
          url,
          headers: { ...env.otlpHeaders, ...otlp?.headers },
          timeoutMillis: otlp?.timeoutMs ?? env.otlpTimeoutMs ?? timeoutMs,
          temporalityPreference: sdk.AggregationTemporality.CUMULATIVE,
        };
        const mod =
          protocol === 'http/json' ? await import('@opentelemetry/exporter-metrics-otlp-http') : await import('@opentelemetry/exporter-metrics-otlp-proto');
        readers.push(reader(new mod.OTLPMetricExporter(exporterConfig)));
        diag.info('sdk.otlp', `pushing metrics with OTLP ${protocol} to ${parseUrl(url)?.origin ?? 'the configured endpoint'} every ${intervalMs} ms`);
      }
      if (o.console === true || (o.console === undefined && env.exporters?.includes('console') === true)) {
        readers.push(reader(new sdk.ConsoleMetricExporter()));
      }
      if (o.memory === true) {
        const exporter = new sdk.InMemoryMetricExporter(sdk.AggregationTemporality.CUMULATIVE);
        memory = exporter;
        readers.push(reader(exporter));
      }
      provider = new sdk.MeterProvider({ resource, readers });
      (provider as unknown as Record<symbol, boolean>)[LOOKOUT_PROVIDER_MARK] = true;
      if (o.exemplars !== false || o.registerGlobal === true) {
        const api = await import('@opentelemetry/api');
        if (o.exemplars !== false) {
          registry.setExemplarSource(() => {
            const ctx = api.trace.getActiveSpan()?.spanContext();
            return ctx !== undefined && api.isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : undefined;
          });
        }
        if (o.registerGlobal === true && !api.metrics.setGlobalMeterProvider(provider)) {
          diag.warn('sdk.global', 'another OpenTelemetry MeterProvider is already registered globally; Lookout keeps its own without registering it');
        }
      }
      return true;
    } catch (error) {
      diag.error('sdk.setup', `could not set up the metrics SDK: ${String((error as Error)?.message ?? error)}`);
      return false;
    }
  })();

  const withDeadline = async (work: (p: MeterProvider) => Promise<void>, deadlineMs: number): Promise<boolean> => {
    if (!(await ready) || provider === undefined) return false;
    const p = provider;
    let timer: unknown;
    const timeout = new Promise<boolean>((resolve) => {
      timer = GLOBAL_TIMERS.setTimeout(() => resolve(false), deadlineMs);
    });
    try {
      return await Promise.race([work(p).then(() => true), timeout]);
    } catch (error) {
      diag.warn('sdk.flush', `metrics export failed: ${String((error as Error)?.message ?? error)}`, 'flush');
      return false;
    } finally {
      GLOBAL_TIMERS.clearTimeout(timer);
    }
  };

  return {
    registry,
    ready,
    forceFlush: (deadlineMs = DEFAULT_DEADLINE_MS) => withDeadline((p) => p.forceFlush({ timeoutMillis: deadlineMs }), deadlineMs),
    shutdown: (deadlineMs = DEFAULT_DEADLINE_MS) => (shutdownPromise ??= withDeadline((p) => p.shutdown({ timeoutMillis: deadlineMs }), deadlineMs)),
    memoryMetrics: async () => {
      await ready;
      return memory?.getMetrics() ?? [];
    },
    meterProvider: () => provider,
  };
}
