import type { Resource } from '@opentelemetry/resources';
import type { OtelEnvConfig } from './env.js';

/** What code says about the resource (see `MetricsSdkOptions`). */
export interface ResourceOptions {
  /** `service.name`; beats `resourceAttributes['service.name']`. */
  serviceName?: string | undefined;
  /** `service.version`. */
  serviceVersion?: string | undefined;
  /** `deployment.environment.name`. */
  environment?: string | undefined;
  /** More attributes; they override the environment's. */
  resourceAttributes?: Readonly<Record<string, string>> | undefined;
}

/**
 * The metrics resource Lookout exports under, as `startMetricsSdk` builds it: the SDK's default
 * resource (`telemetry.sdk.*`, and `service.name` `unknown_service:<process.argv0>` when nothing
 * names the service, as `new MeterProvider()` has it), then `OTEL_RESOURCE_ATTRIBUTES`, then what
 * code gives. Code beats the environment for `service.name`; within each, the dedicated option or
 * variable beats the generic attribute (`serviceName`, then `resourceAttributes['service.name']`,
 * then `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, as the
 * specification says). `resources` is `@opentelemetry/resources`, which the caller loads lazily.
 */
export function createMetricsResource(
  resources: Pick<typeof import('@opentelemetry/resources'), 'defaultResource' | 'resourceFromAttributes'>,
  options: ResourceOptions,
  env: Pick<OtelEnvConfig, 'serviceName' | 'resourceAttributes'>,
): Resource {
  const attributes: Record<string, string> = { ...env.resourceAttributes, ...options.resourceAttributes };
  const serviceName = options.serviceName ?? options.resourceAttributes?.['service.name'] ?? env.serviceName ?? env.resourceAttributes['service.name'];
  if (serviceName !== undefined) attributes['service.name'] = serviceName;
  else delete attributes['service.name'];
  if (options.serviceVersion !== undefined) attributes['service.version'] = options.serviceVersion;
  if (options.environment !== undefined) attributes['deployment.environment.name'] = options.environment;
  return resources.defaultResource().merge(resources.resourceFromAttributes(attributes));
}
