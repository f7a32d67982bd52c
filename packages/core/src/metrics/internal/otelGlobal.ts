/**
 * Minimal structural view of OpenTelemetry's API objects, so that the root entry can talk to a
 * host's MeterProvider without importing `@opentelemetry/api` (whose import alone costs more than
 * Lookout's whole cold-start budget).
 */
export interface OtelAttributes {
  [key: string]: string | boolean;
}
export interface OtelCounterLike {
  add(value: number, attributes?: OtelAttributes): void;
}
export interface OtelGaugeLike {
  record(value: number, attributes?: OtelAttributes): void;
}
export interface OtelObservableResultLike {
  observe(value: number, attributes?: OtelAttributes): void;
}
export interface OtelObservableLike {
  addCallback(cb: (result: OtelObservableResultLike) => void | Promise<void>): void;
}
export interface OtelMeterLike {
  createCounter(name: string, options?: object): OtelCounterLike;
  createUpDownCounter(name: string, options?: object): OtelCounterLike;
  createHistogram(name: string, options?: object): OtelGaugeLike;
  createGauge?(name: string, options?: object): OtelGaugeLike;
  createObservableGauge(name: string, options?: object): OtelObservableLike;
  createObservableCounter?(name: string, options?: object): OtelObservableLike;
  createObservableUpDownCounter?(name: string, options?: object): OtelObservableLike;
}
export interface OtelMeterProviderLike {
  getMeter(name: string, version?: string): OtelMeterLike;
}

/** Marks MeterProviders that Lookout itself built, so Lookout never delegates to itself. */
export const LOOKOUT_PROVIDER_MARK = Symbol.for('@lookout/core:meter-provider');

/** The global slot of `@opentelemetry/api` 1.x (api/src/internal/global-utils.ts). */
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * The MeterProvider a host registered with `metrics.setGlobalMeterProvider()`, if any and if it
 * is not Lookout's own. Reads the API's global slot directly: no import, no allocation.
 */
export function findHostMeterProvider(): OtelMeterProviderLike | undefined {
  const api = (globalThis as Record<symbol, { metrics?: unknown } | undefined>)[OTEL_API_GLOBAL];
  const provider = api?.metrics as (OtelMeterProviderLike & Record<symbol, unknown>) | undefined;
  if (provider === undefined || provider === null || typeof provider.getMeter !== 'function') return undefined;
  if (provider[LOOKOUT_PROVIDER_MARK] === true) return undefined;
  return provider;
}
