import * as z from 'zod/mini';
import { getDefaultRegistry, getDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import { createClient } from '../client/createClient.js';
import { observeTelemetryStats } from '../client/selfMetrics.js';
import { createEncoder } from '../encoding/encoders.js';
import type { ClientInternals } from '../client/createClient.js';
import type { TelemetryClient, TelemetryClientOptions } from '../types.js';
import { createFileSpool } from './createFileSpool.js';
import type { FileSpoolOptions } from './createFileSpool.js';
import { makeNodeGzip } from './nodeGzip.js';
import { makeNodeHttpTransport } from './makeNodeHttpTransport.js';

/** Default time the client may take to send what is queued when the process is about to exit. */
export const DEFAULT_EXIT_DEADLINE_MS = 2000;

/** Input of {@link createNodeTelemetryClient}: the client's options plus Node's own. */
export interface NodeTelemetryClientOptions extends TelemetryClientOptions {
  /** Keep what could not be sent in this folder and send it on the next run. Off by default. */
  spool?: Omit<FileSpoolOptions, 'diagnostics'> | false;
  /**
   * Send what is queued when the event loop empties (`beforeExit`), for at most `exitDeadlineMs`,
   * then spool what is left; on `process.exit()` spool what is queued synchronously. Default `true`.
   * Signals are not handled here: a host that catches SIGINT/SIGTERM calls `shutdown()` itself.
   */
  exitHandling?: boolean;
  /** Deadline of the exit flush, in ms. Default {@link DEFAULT_EXIT_DEADLINE_MS}. */
  exitDeadlineMs?: number;
  /** Send nothing when `DO_NOT_TRACK` is `1`/`true`/`yes` in `env`. Default `true`. */
  respectDoNotTrack?: boolean;
  /** Environment to read `DO_NOT_TRACK` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

const nodeOnlySchema = z.object({
  spool: z.optional(z.union([z.literal(false), z.looseObject({ directory: z.string().check(z.minLength(1)) })])),
  exitHandling: z._default(z.boolean(), true),
  exitDeadlineMs: z._default(z.int().check(z.nonnegative()), DEFAULT_EXIT_DEADLINE_MS),
  respectDoNotTrack: z._default(z.boolean(), true),
  env: z.optional(z.record(z.string(), z.optional(z.string()))),
});
const NODE_ONLY_KEYS = ['spool', 'exitHandling', 'exitDeadlineMs', 'respectDoNotTrack', 'env'] as const;

/** Whether `DO_NOT_TRACK` asks for no tracking (https://consoledonottrack.com): `1`, `true` or `yes`. */
export function isDoNotTrack(env: Record<string, string | undefined> | undefined): boolean {
  const value = env?.DO_NOT_TRACK?.trim().toLowerCase();
  return value === '1' || value === 'true' || value === 'yes';
}

/**
 * The event client for Node: `createTelemetryClient` with keep-alive `http`/`https`
 * connections, zlib gzip, the Node platform and runtime as resource attributes, `DO_NOT_TRACK`,
 * an optional on-disk spool and exit handling (see {@link NodeTelemetryClientOptions}). Every
 * timer is unref'd: the client never keeps a process alive by itself. Never throws (unless
 * `strict: true` and the options are invalid).
 */
export function createNodeTelemetryClient(options?: NodeTelemetryClientOptions): TelemetryClient {
  const input = (typeof options === 'object' && options !== null ? options : {}) as NodeTelemetryClientOptions;
  const diagnostics = input.diagnostics ?? getDiagnostics();
  const own: Record<string, unknown> = {};
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) ((NODE_ONLY_KEYS as readonly string[]).includes(key) ? own : shared)[key] = value;
  const parsed = nodeOnlySchema.safeParse(own);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      diagnostics.warn('config.invalid', `createNodeTelemetryClient: ${path}: ${issue.message}; the default is used`, `createNodeTelemetryClient\u0000${path}`);
    }
  }
  const node = parsed.success ? parsed.data : nodeOnlySchema.parse({});
  const env = node.env ?? process.env;

  if (node.respectDoNotTrack && isDoNotTrack(env)) {
    shared.consent = 'denied';
    diagnostics.info('telemetry/do-not-track', 'DO_NOT_TRACK is set: telemetry sends nothing', 'telemetry:dnt');
  }
  if (node.spool !== undefined && node.spool !== false && shared.store === undefined) {
    shared.store = createFileSpool({ ...(node.spool as FileSpoolOptions), diagnostics });
  }
  shared.resourceAttributes = {
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'os.type': process.platform,
    'host.arch': process.arch,
    ...((shared.resourceAttributes as Record<string, unknown> | undefined) ?? {}),
  };

  const { client, internals } = createClient(shared as TelemetryClientOptions, {
    platform: `node/${process.versions.node} ${process.platform} ${process.arch}`,
    compress: makeNodeGzip(),
    makeTransport: (o, endpoint) => makeNodeHttpTransport({ url: endpoint, headers: o.headers, timeoutMs: o.sendTimeoutMs, diagnostics }),
    component: 'createNodeTelemetryClient',
    createEncoder,
    // Node keeps the default registry when none is passed: no bundle to keep small here.
    observeStats: (stats, signal, registry) => observeTelemetryStats(stats, signal, registry ?? getDefaultRegistry()),
  });
  if (node.exitHandling) installExitHandling(client, internals, node.exitDeadlineMs, diagnostics);
  return client;
}

/**
 * `beforeExit`: the loop is empty but events are queued (their timers are unref'd), so flush
 * them within the deadline; what is still unsent then is handed to the store by `shutdown`.
 * `exit`: nothing async can run any more, so queued and in-flight events go to the store
 * synchronously (an in-flight batch may also have arrived: it keeps its ids, so a receiver can
 * drop the duplicate); events held while consent is `pending` are counted dropped as `shutdown`.
 */
function installExitHandling(client: TelemetryClient, internals: ClientInternals, deadlineMs: number, diagnostics: Diagnostics): void {
  let flushing = false;
  const onBeforeExit = (): void => {
    if (flushing || internals.stats.queuedItems === 0) return;
    flushing = true;
    void client
      .flush(deadlineMs)
      .then((result) => (result.complete ? undefined : client.shutdown(0)))
      .catch((error: unknown) => diagnostics.internalError(error, 'telemetry.beforeExit'))
      .finally(() => {
        flushing = false;
      });
  };
  const onExit = (): void => {
    try {
      // Held for a consent never given: dropped, never stored.
      internals.countDrop('shutdown', internals.takeHeld());
      internals.persistOrDrop(internals.takeUnsent(), 'shutdown');
    } catch (error) {
      diagnostics.internalError(error, 'telemetry.exit');
    }
  };
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  internals.onShutdown(() => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
  });
}
