import { createEventId } from '../capture/eventId.js';
import { syntheticStack } from '../capture/syntheticStack.js';
import type { Entry, PendingCapture, Processor, Warning } from './process.js';
import type { PageErrorCapture, PageErrorCaptureOptions } from './types.js';

/** Breadcrumbs and error markers remembered for the next record: the largest `maxBreadcrumbs`. */
const MAX_RING = 100;
/** Captures and warnings held while the processor loads; more are dropped and reported once it runs. */
const MAX_QUEUED = 100;

type Listener = (event: unknown) => void;
interface PageGlobal {
  addEventListener?(type: string, listener: Listener): void;
  removeEventListener?(type: string, listener: Listener): void;
}

/**
 * Creates the lean error capture for pages: the same `ErrorRecord`s as `createErrorTracker` (same
 * type, message, stack and fingerprint for the same thrown value) handed to the same `ErrorSink`s,
 * without the full tracker's schema, recovery helpers, spike detection and group table.
 *
 * What every page loads is this shell: it installs the listeners, takes ids, timestamps,
 * breadcrumbs and the user at call time, and queues. The processor (reading the throwable,
 * parsing its stack, fingerprinting, rate limiting, options checks, sinks; `./process.ts`) is
 * loaded with a dynamic `import()` on the first capture, a bad input, `shutdown()`, or at once with
 * `preload: true`; from then on records reach the sinks synchronously. Pages without errors never
 * download it. Never throws; invalid options get one diagnostic each when the processor starts.
 */
export function createPageErrorCapture(options?: PageErrorCaptureOptions): PageErrorCapture {
  const ring: Entry[] = [];
  let queue: (PendingCapture | Warning)[] = [];
  let dropped = 0;
  let processor: Processor | undefined;
  let loading: Promise<Processor | undefined> | undefined;
  let user: unknown;
  let session: unknown;
  let closed = false;
  let remove: (() => void) | undefined;
  let shut: Promise<boolean> | undefined;

  const run = (op: PendingCapture | Warning): void => (Array.isArray(op) ? processor?.warn(op[0], op[1]) : processor?.capture(op));
  const load = (): Promise<Processor | undefined> =>
    (loading ??= import('./process.js').then(
      (m) => {
        processor = m.createProcessor(options);
        if (dropped > 0) processor.warn('dropped', dropped);
        for (const op of queue) run(op);
        queue = [];
        return processor;
      },
      // The chunk did not load (offline, CSP): the queue stays, and the next call tries again.
      () => (loading = undefined),
    ).catch(() => processor));
  const send = (op: PendingCapture | Warning): void => {
    if (processor !== undefined) return run(op);
    if (queue.length < MAX_QUEUED) queue.push(op);
    else dropped++;
    void load();
  };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R | undefined => {
      try {
        return fn(...args);
      } catch (error) {
        send(['internal', error]);
        return undefined;
      }
    };
  const add = (entry: Entry): void => {
    ring.push(entry);
    if (ring.length > MAX_RING) ring.shift();
  };
  const capture = (k: PendingCapture['k'], v: unknown, x: unknown, s?: unknown, anchor?: unknown, e?: 1): string | undefined => {
    if (closed) return undefined;
    const p: PendingCapture = { k, v, x, s, e, t: Date.now(), id: createEventId(Math.random), b: ring.slice(), u: user, n: session };
    if (anchor !== undefined) {
      // Where a non-Error was thrown from is only known now; the processor keeps it for non-Errors.
      let isError = false;
      try {
        isError = v instanceof Error;
      } catch {
        // A revoked proxy.
      }
      if (!isError) p.st = syntheticStack(anchor);
    }
    add(p);
    send(p);
    return p.id;
  };
  const setId = (id: unknown, what: Warning[0]): unknown => (id == null || typeof id === 'string' || typeof id === 'number' ? id : send([what]));

  const api: PageErrorCapture = {
    captureError: guard((error, context) => capture('error', error, context, undefined, api.captureError)),
    captureMessage: guard((message, severity, context) => capture('message', message, context, severity)),
    addBreadcrumb: (input) => {
      if (closed) return;
      try {
        if (typeof input.message !== 'string') throw input;
        add({ t: Date.now(), i: { ...input } });
      } catch {
        // Not an object with a string message, or one whose getters throw.
        send(['addBreadcrumb']);
      }
    },
    setUser: guard((id) => void (user = setId(id, 'setUser'))),
    setSession: guard((id) => void (session = setId(id, 'setSession'))),
    installGlobalHandlers: () =>
      guard(() => {
        const g = globalThis as PageGlobal;
        if (remove === undefined && !closed && typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function') {
          // Listeners never displace the page's `onerror`, its other listeners or the console output.
          const onError: Listener = guard((event) => capture('error', event, { handled: false, mechanism: 'onerror' }, undefined, undefined, 1));
          const onRejection: Listener = guard((event) => capture('error', (event as { reason?: unknown }).reason, { handled: false, mechanism: 'unhandledRejection' }));
          g.addEventListener('error', onError);
          g.addEventListener('unhandledrejection', onRejection);
          const off = guard(() => {
            if (remove !== off) return;
            remove = undefined;
            g.removeEventListener?.('error', onError);
            g.removeEventListener?.('unhandledrejection', onRejection);
          });
          remove = off;
        }
        return remove;
      })() ?? (() => {}),
    flush: (timeoutMs) =>
      processor !== undefined ? processor.call('flush', timeoutMs) : loading !== undefined ? loading.then((p) => p?.call('flush', timeoutMs) ?? false) : Promise.resolve(queue.length === 0),
    shutdown: (timeoutMs) => {
      if (shut === undefined) {
        closed = true;
        remove?.();
        // Sinks are shut down by the processor, so it is loaded now if it was not.
        shut = load().then((p) => p?.call('shutdown', timeoutMs) ?? false);
      }
      return shut;
    },
  };
  guard(() => (options as { preload?: unknown } | undefined)?.preload === true && load())();
  return api;
}
