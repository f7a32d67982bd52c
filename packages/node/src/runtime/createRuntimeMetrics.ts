import { dirname, resolve } from 'node:path';
import type { EventLoopUtilization, IntervalHistogram, PerformanceObserver } from 'node:perf_hooks';
import type { Diagnostics, MetricsRegistry, ObservableCallback } from '@lookout/core';
import { nowMs } from '../internal/clock.js';
import { lazyRequire } from '../internal/lazy.js';

// node:v8 (which loads the stream machinery) and node:fs/promises are read at collection time only:
// a process that is never scraped or pushed does not load them.
const getHeapSpaceStatistics = (): ReturnType<typeof import('node:v8')['getHeapSpaceStatistics']> => lazyRequire<typeof import('node:v8')>('node:v8').getHeapSpaceStatistics();
const statfs = (path: string): Promise<import('node:fs').StatsFs> => lazyRequire<typeof import('node:fs/promises')>('node:fs/promises').statfs(path);

/** Bucket bounds of `v8js.gc.duration`, in seconds: 0.1 ms … 1 s (most pauses are under 10 ms). */
export const GC_DURATION_BUCKETS_S: readonly number[] = Object.freeze([0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);

/** Running runtime metrics. */
export interface RuntimeMetrics {
  /** Reports the filesystem holding `path` under `name` (`system.filesystem.*{name}`); replaces an earlier path of that name. */
  addDiskPath(name: string, path: string): void;
  /**
   * Turns reporting off or back on at run time: while off, the samplers are stopped and the
   * observable instruments report no series (the GC histogram keeps what it counted).
   */
  setEnabled(enabled: boolean): void;
  /** Stops the event-loop and GC observers and reporting, for good. Idempotent. */
  stop(): void;
}

export interface RuntimeMetricsConfig {
  eventLoopResolutionMs: number;
  gc: boolean;
  diskPaths: Record<string, string>;
}

/** A collection reuses a measurement (filesystems, event-loop delay) this young, in ms. */
const MEASUREMENT_REUSE_MS = 250;

interface DiskMeasurement {
  name: string;
  path: string;
  used: number;
  free: number;
  reserved: number;
}

/** `perf_hooks.constants.NODE_PERFORMANCE_GC_*` (stable values), so node:perf_hooks loads only with the samplers. */
const GC_KINDS: Readonly<Record<number, string>> = { 4: 'major', 1: 'minor', 8: 'incremental', 16: 'weakcb' };

/** The samplers start this long after the runtime metrics (or at the first collection, if sooner), off the startup path. */
const SAMPLERS_DELAY_MS = 100;

/** Node's `performance`, read at collection time: the global getter loads node:perf_hooks. */
const eventLoopUtilization = (a?: EventLoopUtilization, b?: EventLoopUtilization): EventLoopUtilization => perfHooks().performance.eventLoopUtilization(a, b);
const perfHooks = (): typeof import('node:perf_hooks') => lazyRequire<typeof import('node:perf_hooks')>('node:perf_hooks');

/**
 * Registers Node's runtime health under OpenTelemetry's semantic-convention names
 * (semconv 1.3x, `process.*`, `v8js.*`, `nodejs.*`, `system.filesystem.*`). Everything but GC
 * pauses is read at collection time by observable instruments, so an unscraped process pays only
 * for the event-loop delay sampler and the GC observer (neither keeps the process alive).
 * Delay percentiles and utilisation cover the time since the previous collection.
 */
export function createRuntimeMetrics(registry: MetricsRegistry, config: RuntimeMetricsConfig, diag: Diagnostics): RuntimeMetrics {
  let stopped = false;
  let enabled = true;
  // Every callback goes through this gate, so turning reporting off empties the families at once.
  const gated =
    <K extends string>(cb: ObservableCallback<K>): ObservableCallback<K> =>
    (o) =>
      enabled && !stopped ? cb(o) : undefined;
  const cpus = Math.max(1, safe(() => lazyRequire<typeof import('node:os')>('node:os').availableParallelism(), 1));
  let lastCpu = process.cpuUsage();
  let lastCpuAt = nowMs();

  registry.observableCounter('process.cpu.time', { description: 'Total CPU seconds, by mode', unit: 's', labels: ['cpu.mode'] }, gated((o) => {
    const u = process.cpuUsage();
    o.observe(u.user / 1e6, { 'cpu.mode': 'user' });
    o.observe(u.system / 1e6, { 'cpu.mode': 'system' });
  }));
  registry.observableGauge(
    'process.cpu.utilization',
    { description: 'CPU time since the last collection divided by elapsed time and the CPUs available, by mode', unit: '1', labels: ['cpu.mode'] },
    gated((o) => {
      const now = nowMs();
      const u = process.cpuUsage();
      const elapsedUs = (now - lastCpuAt) * 1000 * cpus;
      if (elapsedUs > 0) {
        o.observe((u.user - lastCpu.user) / elapsedUs, { 'cpu.mode': 'user' });
        o.observe((u.system - lastCpu.system) / elapsedUs, { 'cpu.mode': 'system' });
      }
      lastCpu = u;
      lastCpuAt = now;
    }),
  );
  registry.observableGauge('process.memory.usage', { description: 'Resident set size of the process', unit: 'By' }, gated((o) => o.observe(process.memoryUsage.rss())));

  const heap = (name: string, description: string, pick: (s: ReturnType<typeof getHeapSpaceStatistics>[number]) => number): void => {
    registry.observableGauge(name, { description, unit: 'By', labels: ['v8js.heap.space.name'] }, gated((o) => {
      for (const space of getHeapSpaceStatistics()) o.observe(pick(space), { 'v8js.heap.space.name': space.space_name });
    }));
  };
  heap('v8js.memory.heap.used', 'V8 heap memory used, by heap space', (s) => s.space_used_size);
  heap('v8js.memory.heap.limit', 'V8 heap memory reserved, by heap space', (s) => s.space_size);
  heap('v8js.memory.heap.space.available_size', 'V8 heap memory still available, by heap space', (s) => s.space_available_size);
  heap('v8js.memory.heap.space.physical_size', 'V8 heap memory committed, by heap space', (s) => s.physical_space_size);

  // Event-loop delay: a sampler at `resolution` whose histogram is read and reset at each
  // collection. It and the GC observer start a moment after startup (see startSamplers).
  let delay: IntervalHistogram | undefined;
  let delaySnapshot: { min: number; max: number; mean: number; stddev: number; p50: number; p90: number; p99: number } | undefined;
  let snapshotAt = -Infinity;
  const takeDelay = (): void => {
    // One snapshot serves every delay gauge of a collection; the histogram restarts after it.
    startSamplers();
    const now = nowMs();
    if (delay === undefined || now - snapshotAt <= MEASUREMENT_REUSE_MS) return;
    snapshotAt = now;
    delaySnapshot =
      delay.count > 0
        ? { min: delay.min, max: delay.max, mean: delay.mean, stddev: delay.stddev, p50: delay.percentile(50), p90: delay.percentile(90), p99: delay.percentile(99) }
        : undefined;
    delay.reset();
  };
  for (const stat of ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const) {
    registry.observableGauge(`nodejs.eventloop.delay.${stat}`, { description: `Event loop delay ${stat} since the last collection`, unit: 's' }, gated((o) => {
      takeDelay();
      if (delaySnapshot !== undefined) o.observe(delaySnapshot[stat] / 1e9);
    }));
  }

  // Undefined until the first collection, whose utilisation then covers the time since the process started.
  let lastElu: EventLoopUtilization | undefined;
  registry.observableGauge('nodejs.eventloop.utilization', { description: 'Share of time the event loop was busy since the last collection', unit: '1' }, gated((o) => {
    const now = eventLoopUtilization();
    const delta = lastElu === undefined ? now : eventLoopUtilization(now, lastElu);
    lastElu = now;
    if (Number.isFinite(delta.utilization)) o.observe(delta.utilization);
  }));
  registry.observableCounter('nodejs.eventloop.time', { description: 'Cumulative time the event loop was active or idle', unit: 's', labels: ['nodejs.eventloop.state'] }, gated((o) => {
    const elu = eventLoopUtilization();
    o.observe(elu.active / 1000, { 'nodejs.eventloop.state': 'active' });
    o.observe(elu.idle / 1000, { 'nodejs.eventloop.state': 'idle' });
  }));

  registry.observableGauge('nodejs.active_handles', { description: 'Resources keeping the event loop alive, by type', unit: '{handle}', labels: ['type'] }, gated((o) => {
    const counts = new Map<string, number>();
    for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, n] of counts) o.observe(n, { type });
  }));

  let gcObserver: PerformanceObserver | undefined;
  const gcDuration = config.gc
    ? registry.histogram('v8js.gc.duration', {
        description: 'Garbage collection pauses, by kind',
        unit: 's',
        labels: ['v8js.gc.type'],
        buckets: GC_DURATION_BUCKETS_S,
      })
    : undefined;
  const bound = new Map<string, NonNullable<ReturnType<NonNullable<typeof gcDuration>['bind']>>>();
  let samplersStarted = false;
  // Loading node:perf_hooks and starting the samplers costs a few ms: a short CLI that ends before
  // they start pays nothing for them (its event-loop delay would be noise anyway).
  function startSamplers(): void {
    if (samplersStarted || stopped || !enabled) return;
    samplersStarted = true;
    clearTimeout(samplersTimer);
    try {
      delay = perfHooks().monitorEventLoopDelay({ resolution: config.eventLoopResolutionMs });
      delay.enable();
    } catch (error) {
      diag.internalError(error, 'runtime metrics: monitorEventLoopDelay');
    }
    if (gcDuration === undefined) return;
    try {
      gcObserver = new (perfHooks().PerformanceObserver)((list) => {
        for (const entry of list.getEntries()) {
          const kind = GC_KINDS[(entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
          let handle = bound.get(kind);
          if (handle === undefined) bound.set(kind, (handle = gcDuration.bind({ 'v8js.gc.type': kind })));
          handle.record(entry.duration / 1000);
        }
      });
      gcObserver.observe({ entryTypes: ['gc'] });
    } catch (error) {
      diag.internalError(error, 'runtime metrics: gc observer');
    }
  }
  const samplersTimer = setTimeout(startSamplers, SAMPLERS_DELAY_MS);
  samplersTimer.unref();

  const disks = new Map<string, string>();
  // Both filesystem instruments read one measurement per collection (shared for a short while).
  let measuring: { at: number; result: Promise<DiskMeasurement[]> } | undefined;
  const measureDisks = (): Promise<DiskMeasurement[]> => {
    const now = nowMs();
    if (measuring === undefined || now - measuring.at > MEASUREMENT_REUSE_MS) {
      measuring = {
        at: now,
        result: Promise.all(
          [...disks].map(async ([name, path]) => {
            const s = await statfsNearest(path);
            return s === undefined
              ? undefined
              : { name, path, used: (s.blocks - s.bfree) * s.bsize, free: s.bavail * s.bsize, reserved: (s.bfree - s.bavail) * s.bsize };
          }),
        ).then((all) => all.filter((m): m is DiskMeasurement => m !== undefined)),
      };
    }
    return measuring.result;
  };
  registry.observableGauge(
    'system.filesystem.usage',
    { description: 'Bytes used, free and reserved on the filesystems Lookout writes to and those the host named', unit: 'By', labels: ['system.filesystem.state', 'name', 'path'] },
    gated(async (o) => {
      if (disks.size === 0) return;
      for (const { name, path, used, free, reserved } of await measureDisks()) {
        o.observe(used, { 'system.filesystem.state': 'used', name, path });
        o.observe(free, { 'system.filesystem.state': 'free', name, path });
        o.observe(reserved, { 'system.filesystem.state': 'reserved', name, path });
      }
    }),
  );
  registry.observableGauge(
    'system.filesystem.utilization',
    { description: 'Share of the filesystem in use: used / (used + free)', unit: '1', labels: ['name', 'path'] },
    gated(async (o) => {
      if (disks.size === 0) return;
      for (const { name, path, used, free } of await measureDisks()) if (used + free > 0) o.observe(used / (used + free), { name, path });
    }),
  );

  const addDiskPath = (name: string, path: string): void => {
    if (typeof name !== 'string' || name === '' || typeof path !== 'string' || path === '') {
      diag.warn('runtime.disk-path', 'runtime metrics: a disk path needs a non-empty name and path; ignored', 'disk-path');
      return;
    }
    disks.set(name, resolve(path));
  };
  for (const [name, path] of Object.entries(config.diskPaths)) addDiskPath(name, path);

  const stopSamplers = (): void => {
    clearTimeout(samplersTimer);
    delay?.disable();
    delay = undefined;
    delaySnapshot = undefined;
    gcObserver?.disconnect();
    gcObserver = undefined;
  };

  return {
    addDiskPath,
    setEnabled(next) {
      if (stopped || next === enabled) return;
      enabled = next;
      // Off: nothing samples. On: the samplers start again at the next collection.
      if (!next) stopSamplers();
      samplersStarted = false;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopSamplers();
    },
  };
}

/** `statfs` of `path`, or of its nearest existing parent (a spool folder may not exist yet). */
async function statfsNearest(path: string): Promise<{ blocks: number; bfree: number; bavail: number; bsize: number } | undefined> {
  let current = path;
  for (let i = 0; i < 64; i++) {
    try {
      return await statfs(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
  return undefined;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
