import { basename, extname, join } from 'node:path';
import {
  LookoutConfigError,
  PROFILE_DEFAULTS,
  configureDiagnostics,
  createDiagnostics,
  createStandardMetrics,
  getDefaultRegistry,
  getDiagnostics,
  type DiagLevel,
  type Diagnostics,
  type DiagnosticsOptions,
} from '@lookout/core';
import { resolveNodeOptions } from '../config.js';
import { mergeOptions, readEnvOptions } from '../env/readEnv.js';
import { noopErrors, noopSecurity, noopTelemetry } from '../parts/noops.js';
import type { Monitoring, MonitoringFlushResult, NodeMonitoringOptions } from '../types.js';
import { HANDLE_KEY, NodeMonitor, type HandleSlot } from './NodeMonitor.js';

/**
 * Sets up Lookout for a Node server or CLI with one call and returns its handle. Reads `OTEL_*`
 * and `LOOKOUT_*` (explicit options win), enables the registry, registers runtime metrics,
 * starts the configured exporters, loads telemetry, errors and security in the background
 * (calls made meanwhile are buffered), and installs exit handling: pending data is sent on
 * natural exit, SIGINT and SIGTERM within `exit.deadlineMs`, and what cannot be sent is spooled
 * for the next run. Lookout never keeps the process alive.
 *
 * A second call warns and returns the same handle. Never throws, except `LookoutConfigError`
 * with `strict: true` and invalid options.
 */
export function initMonitoring(options?: NodeMonitoringOptions): Monitoring {
  const slot = globalThis as unknown as HandleSlot;
  const existing = slot[HANDLE_KEY];
  if (existing !== undefined) {
    existing.diagnostics.warn('init.twice', 'initMonitoring() was called again; the first handle is returned and these options are ignored', 'init.twice');
    return existing;
  }
  try {
    const handle = start(options);
    slot[HANDLE_KEY] = handle;
    return handle;
  } catch (error) {
    if (error instanceof LookoutConfigError) throw error;
    getDiagnostics().internalError(error, 'initMonitoring');
    return disabledHandle(getDiagnostics());
  }
}

/** The handle of the running `initMonitoring()`, if any. */
export function getMonitoring(): Monitoring | undefined {
  return (globalThis as unknown as HandleSlot)[HANDLE_KEY];
}

/** Test helper: forget the running handle (after `shutdown()`) so `initMonitoring()` starts afresh. */
export function resetMonitoringForTests(): void {
  (globalThis as unknown as HandleSlot)[HANDLE_KEY] = undefined;
}

/** The script's name, as a fallback service name (`node dist/cli.js` → `cli`). */
function scriptName(): string {
  const script = process.argv[1];
  if (typeof script !== 'string' || script === '') return 'node';
  const name = basename(script, extname(script));
  return name === 'index' || name === 'main' ? basename(join(script, '..', '..')) || name : name;
}

function envOf(options: unknown): Record<string, string | undefined> {
  const env = options !== null && typeof options === 'object' ? (options as { env?: unknown }).env : undefined;
  return env !== null && typeof env === 'object' ? (env as Record<string, string | undefined>) : process.env;
}

/** Diagnostics whose level can change at run time: every part holds this object. */
function createSwitchableDiagnostics(initial: DiagnosticsOptions): { diagnostics: Diagnostics; setLevel(level: DiagLevel): void } {
  let options = initial;
  let inner = createDiagnostics(options);
  const diagnostics: Diagnostics = {
    warn: (c, m, k) => inner.warn(c, m, k),
    error: (c, m, k) => inner.error(c, m, k),
    info: (c, m, k) => inner.info(c, m, k),
    debug: (c, m) => inner.debug(c, m),
    internalError: (e, w) => inner.internalError(e, w),
    get counts() {
      return inner.counts;
    },
    enabled: (level) => inner.enabled(level),
  };
  return {
    diagnostics,
    setLevel(level) {
      options = { ...options, level };
      inner = createDiagnostics(options);
    },
  };
}

/** The host's logger, when the options carry a usable one, so even option problems go to it. */
function hostLogger(input: unknown): DiagnosticsOptions['logger'] {
  try {
    const logger = (input as { diagnostics?: { logger?: Record<string, unknown> } } | undefined)?.diagnostics?.logger;
    return logger !== undefined && ['error', 'warn', 'info', 'debug'].every((m) => typeof logger[m] === 'function') ? (logger as unknown as DiagnosticsOptions['logger']) : undefined;
  } catch {
    return undefined;
  }
}

function start(input: NodeMonitoringOptions | undefined): Monitoring {
  const logger = hostLogger(input);
  const bootDiag = logger === undefined ? getDiagnostics() : createDiagnostics({ logger });
  const fromEnv = readEnvOptions(envOf(input), bootDiag);
  const o = resolveNodeOptions(mergeOptions(fromEnv, input), bootDiag, scriptName).options;
  const level = o.diagnostics.level ?? PROFILE_DEFAULTS[o.profile].diagnosticsLevel;
  const diagOptions: DiagnosticsOptions = { level, ...(o.diagnostics.logger === undefined ? {} : { logger: o.diagnostics.logger }), ...(o.diagnostics.maxPerMinute === undefined ? {} : { maxPerMinute: o.diagnostics.maxPerMinute }) };
  // When the host chose a logger or level, core's own messages follow it too.
  if (o.diagnostics.logger !== undefined || o.diagnostics.level !== undefined) configureDiagnostics(diagOptions);
  const switchable = createSwitchableDiagnostics(diagOptions);
  if (!o.enabled) {
    switchable.diagnostics.info('init.disabled', 'Lookout is turned off (enabled: false, LOOKOUT_DISABLED or OTEL_SDK_DISABLED)');
    return disabledHandle(switchable.diagnostics);
  }
  return new NodeMonitor(o, switchable.diagnostics, switchable.setLevel).handle;
}

/** The handle when Lookout is off: the default registry (recording nothing), no-op parts. */
function disabledHandle(diag: Diagnostics): Monitoring {
  const registry = getDefaultRegistry();
  const done = (): Promise<MonitoringFlushResult> => Promise.resolve({ complete: true, parts: {} });
  return {
    metrics: registry,
    standard: createStandardMetrics({ registry }),
    telemetry: noopTelemetry(),
    errors: noopErrors(),
    security: noopSecurity(),
    diagnostics: diag,
    scrapeUrl: undefined,
    ready: () => Promise.resolve(),
    flush: done,
    shutdown: done,
    reconfigure: () => {},
  };
}
