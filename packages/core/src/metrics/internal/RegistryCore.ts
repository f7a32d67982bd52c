import type { Diagnostics } from '../../diagnostics/index.js';
import type { OtelMeterLike } from './otelGlobal.js';

/** What instruments need from their registry. Implemented by MetricsRegistry. */
export interface RegistryCore {
  /** 0 off, 1 local, 2 delegate. Read on every record. */
  mode: number;
  /** The mode after checking, while off, whether a host MeterProvider appeared. */
  activeMode(): number;
  /** The host's meter in delegate mode. */
  meter(): OtelMeterLike | undefined;
  readonly diag: Diagnostics;
  readonly maxLabelValueLength: number;
  now(): number;
  /** Whole seconds since the registry was created: what series remember for TTL (kept a small integer). */
  epochSeconds(): number;
  /** When the registry was created (ms since the epoch, registry clock): second 0 of {@link epochSeconds}. */
  epochMs(): number;
  countDropped(metric: string, reason: string): void;
  countOverflow(metric: string): void;
  exemplarContext(): { traceId: string; spanId: string } | undefined;
}
