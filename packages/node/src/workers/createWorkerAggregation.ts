import type { Cluster } from 'node:cluster';
import type { BroadcastChannel } from 'node:worker_threads';
import { lazyRequire } from '../internal/lazy.js';
import type { Diagnostics } from '@lookout/core';
import { mergeExpositions, parseExposition, renderFamilies, type ExpositionSource } from '../exposition/parseExposition.js';

/** Name of the BroadcastChannel worker threads report on. */
export const WORKER_CHANNEL = '@lookout/node:metrics';
/** How long after start the primary begins listening for workers' reports (ms). */
export const LISTEN_DELAY_MS = 100;
/** Silent threads kept apart (they may report again); older ones are folded into the departed sums. */
const MAX_SILENT_THREADS = 64;
/** Marks Lookout's IPC messages, so a host's own `message` handlers can ignore them. */
export const IPC_MESSAGE_TYPE = '@lookout/node:metrics';

/** Where this process or thread sits. */
export type WorkerRole = 'primary' | 'cluster-worker' | 'thread-worker';

interface WorkerReport {
  type: typeof IPC_MESSAGE_TYPE;
  worker: string;
  text: string;
}

type WorkerThreads = typeof import('node:worker_threads');
const workerThreads = (): WorkerThreads => lazyRequire<WorkerThreads>('node:worker_threads');

/** Modules a worker thread's bootstrap always loads (as listed in `process.moduleLoadList`). */
const WORKER_BOOTSTRAP_MODULES = ['NativeModule worker_threads', 'NativeModule internal/process/worker_thread_only', 'NativeModule internal/main/worker_thread'];

/**
 * Whether this is the main thread, without loading node:worker_threads on it (that costs about
 * 1.5 ms of startup, most of the budget of a short CLI): a worker thread's bootstrap loads
 * worker_threads itself, so while none of its modules are loaded this cannot be a worker. When
 * they are (or the list is unavailable), node:worker_threads answers, loaded already and free.
 */
export function isMainThread(): boolean {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (Array.isArray(loaded) && !WORKER_BOOTSTRAP_MODULES.some((m) => loaded.includes(m))) return true;
  return workerThreads().isMainThread;
}

/** This process's or thread's role, decided at call time. */
export function workerRole(): WorkerRole {
  if (!isMainThread()) return 'thread-worker';
  // Only a process with an IPC channel can be a cluster worker: others never load node:cluster here.
  if (typeof process.send !== 'function') return 'primary';
  return lazyRequire<Cluster>('node:cluster').isWorker ? 'cluster-worker' : 'primary';
}

/** A worker's side: sends its metrics to the primary (main thread) every `intervalMs`. */
export interface WorkerReporter {
  /** Sends now (also called at exit). */
  report(): Promise<void>;
  stop(): void;
}

/**
 * Starts reporting this worker's metrics: cluster workers through the IPC channel
 * (`process.send`), worker threads on a BroadcastChannel. The timer and the channel are
 * unref'd: reporting never keeps a worker alive. No listener is added in the worker.
 */
export function startWorkerReporter(role: Exclude<WorkerRole, 'primary'>, render: () => Promise<string>, intervalMs: number, diag: Diagnostics): WorkerReporter {
  const worker = role === 'cluster-worker' ? String(lazyRequire<Cluster>('node:cluster').worker?.id ?? process.pid) : `thread-${workerThreads().threadId}`;
  let channel: BroadcastChannel | undefined;
  if (role === 'thread-worker') {
    channel = new (workerThreads().BroadcastChannel)(WORKER_CHANNEL);
    (channel as unknown as { unref?: () => void }).unref?.();
  }
  const sendOnce = async (): Promise<void> => {
    try {
      const message: WorkerReport = { type: IPC_MESSAGE_TYPE, worker, text: await render() };
      if (channel !== undefined) channel.postMessage(message);
      else if (typeof process.send === 'function' && process.connected) process.send(message);
    } catch (error) {
      diag.warn('workers.report', `cannot send metrics to the primary: ${(error as Error).message}`, 'workers.report');
    }
  };
  // One report at a time. A call while one is being made (the exit's, during the timer's) is not
  // skipped: one more follows it, so what the primary last gets was read after the call.
  let running: Promise<void> | undefined;
  let again = false;
  const report = (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await sendOnce();
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  // The timer skips a tick while a report is being made (a slow render must not make reports run back to back).
  const timer = setInterval(() => void (running === undefined && report()), intervalMs);
  timer.unref();
  void report();
  return {
    report,
    stop() {
      clearInterval(timer);
      channel?.close();
    },
  };
}

/** The primary's side: the latest metrics of each worker, merged into its own at each collection. */
export interface WorkerAggregator {
  /** Own exposition plus every live worker's, combined (or labelled by worker). */
  merge(own: string): string;
  /** Workers heard from and still alive. */
  workers(): string[];
  stop(): void;
}

/**
 * Listens for workers' reports: `cluster.on('message')` for cluster workers (only Lookout's
 * messages are read) and a BroadcastChannel for worker threads (unref'd). A cluster worker
 * departs when it exits, a thread when it has not reported for three intervals. Labelled by
 * worker, its series then leave the scrape. Summed, its gauges leave the sums but its counters
 * and histograms stay in them at their last reported values: a summed counter must never go
 * down (Prometheus would read a reset, and `increase()` would count the whole total again).
 * Listening starts after `listenDelayMs` (default {@link LISTEN_DELAY_MS}; 0: at once) or at
 * the first `merge()`, whichever comes first.
 */
export function startWorkerAggregator(options: { labelByWorker: boolean; intervalMs: number; listenDelayMs?: number }): WorkerAggregator {
  const latest = new Map<string, { text: string; at: number }>();
  /** The counters and histograms of departed workers, summed (as exposition text; bounded by the series, not the workers). */
  let departed = '';
  /**
   * Threads that went silent, by id, kept apart for a while: a thread that was only busy reports
   * again under the same id, with totals that include what it had, so its share leaves `departed`.
   */
  const silent = new Map<string, string>();
  const fold = (worker: string, cumulative: string): void => {
    departed = mergeExpositions(
      [
        { worker: 'departed', text: departed },
        { worker, text: cumulative },
      ],
      false,
    );
  };
  const depart = (worker: string): void => {
    const last = latest.get(worker);
    latest.delete(worker);
    if (last === undefined || options.labelByWorker) return;
    const cumulative = renderFamilies(parseExposition(last.text).filter((f) => f.type === 'counter' || f.type === 'histogram'));
    // A cluster worker that exited never comes back; a silent thread may.
    if (!worker.startsWith('thread-')) return fold(worker, cumulative);
    silent.set(worker, cumulative);
    for (const [oldest, text] of silent) {
      if (silent.size <= MAX_SILENT_THREADS) break;
      silent.delete(oldest);
      fold(oldest, text);
    }
  };
  const onReport = (message: unknown): void => {
    if (message === null || typeof message !== 'object') return;
    const m = message as Partial<WorkerReport>;
    if (m.type !== IPC_MESSAGE_TYPE || typeof m.worker !== 'string' || typeof m.text !== 'string') return;
    silent.delete(m.worker);
    latest.set(m.worker, { text: m.text, at: Date.now() });
  };
  const onClusterMessage = (_worker: unknown, message: unknown): void => onReport(message);
  const onClusterExit = (worker: { id: number }): void => depart(String(worker.id));
  // Listening starts a moment after start (`listenDelayMs`, or at the first scrape, if sooner), off
  // the startup path: node:cluster pulls in child_process, net and dgram, which a short CLI that
  // forks no worker should not pay for; a worker forked at start takes longer than this to boot and report.
  let cluster: Cluster | undefined;
  let channel: BroadcastChannel | undefined;
  let stopped = false;
  const listen = (): void => {
    if (stopped || channel !== undefined) return;
    channel = new (workerThreads().BroadcastChannel)(WORKER_CHANNEL);
    channel.onmessage = (event) => onReport((event as { data?: unknown }).data);
    (channel as unknown as { unref?: () => void }).unref?.();
    void import('node:cluster').then((m) => {
      if (stopped) return;
      cluster = m.default;
      cluster.on('message', onClusterMessage);
      cluster.on('exit', onClusterExit);
    });
  };
  const delay = options.listenDelayMs ?? LISTEN_DELAY_MS;
  let listenTimer: NodeJS.Timeout | undefined;
  if (delay <= 0) listen();
  else {
    listenTimer = setTimeout(listen, delay);
    listenTimer.unref();
  }
  const staleMs = options.intervalMs * 3;
  const live = (): [string, { text: string; at: number }][] => {
    const now = Date.now();
    for (const [worker, r] of latest) if (worker.startsWith('thread-') && now - r.at > staleMs) depart(worker);
    return [...latest];
  };
  return {
    merge(own) {
      listen();
      const workers = live();
      if (workers.length === 0 && departed === '' && silent.size === 0) return own;
      const sources: ExpositionSource[] = [{ worker: 'primary', text: own }, ...workers.map(([worker, r]) => ({ worker, text: r.text }))];
      if (departed !== '') sources.push({ worker: 'departed', text: departed });
      for (const [worker, text] of silent) sources.push({ worker, text });
      return mergeExpositions(sources, options.labelByWorker);
    },
    workers: () => live().map(([w]) => w),
    stop() {
      stopped = true;
      clearTimeout(listenTimer);
      cluster?.off('message', onClusterMessage);
      cluster?.off('exit', onClusterExit);
      channel?.close();
    },
  };
}
