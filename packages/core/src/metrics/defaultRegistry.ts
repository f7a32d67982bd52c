import { MetricsRegistry } from './MetricsRegistry.js';

const DEFAULT_REGISTRY_KEY = Symbol.for('@lookout/core:default-registry@1');

type GlobalSlot = Record<symbol, MetricsRegistry | undefined>;

/**
 * The process-wide registry used by `instrument()`, the standard metrics and every Lookout
 * package unless given another. It starts `off` (records nothing) until a reader is attached
 * (Prometheus scrape, Pushgateway, `@lookout/core/sdk`), or forwards to a MeterProvider the host
 * registered with OpenTelemetry's API. Kept on `globalThis` so ESM and CJS copies share it.
 */
export function getDefaultRegistry(): MetricsRegistry {
  const slot = globalThis as unknown as GlobalSlot;
  return (slot[DEFAULT_REGISTRY_KEY] ??= new MetricsRegistry({}, 'off'));
}

/** Test helper: replaces the default registry with a fresh one in mode `off`. */
export function resetDefaultRegistryForTests(): MetricsRegistry {
  const slot = globalThis as unknown as GlobalSlot;
  slot[DEFAULT_REGISTRY_KEY] = new MetricsRegistry({}, 'off');
  return slot[DEFAULT_REGISTRY_KEY];
}
