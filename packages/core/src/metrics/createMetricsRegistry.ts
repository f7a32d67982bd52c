import { MetricsRegistry } from './MetricsRegistry.js';
import type { RegistryOptions } from './types.js';

/**
 * Creates a registry that aggregates locally from the start (mode `local`). Use it when the host
 * reads the registry itself (tests, a scrape endpoint of its own); most apps use the default
 * registry through `@lookout/node` or `@lookout/core/sdk` instead. Never throws: invalid options
 * get a diagnostic each and fall back to their defaults.
 */
export function createMetricsRegistry(options?: RegistryOptions): MetricsRegistry {
  return new MetricsRegistry(options ?? {}, 'local');
}
