import type { Diagnostics } from '@lookout/core';
import type { CaptureContext, GlobalHandlerOptions } from '../types.js';
import { safeGet, safeString } from '../capture/safe.js';

type Listener = (...args: unknown[]) => void;

/** The part of Node's `process` used here, looked up at call time. */
interface ProcessView {
  on(event: string, listener: Listener): unknown;
  off?(event: string, listener: Listener): unknown;
  removeListener?(event: string, listener: Listener): unknown;
  listenerCount?(event: string): number;
  listeners?(event: string): Listener[];
  execArgv?: readonly string[];
  env?: Record<string, string | undefined>;
  exitCode?: number | string;
  emitWarning?(warning: string | Error, type?: string): void;
  versions?: { node?: string };
}

/** The part of a browser global scope used here. */
interface EventTargetView {
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
}

/** How the handlers report. */
export interface GlobalHandlerSink {
  capture(error: unknown, context: CaptureContext): void;
  diagnostics(): Diagnostics;
}

/**
 * Installs the handlers that exist on this platform (Node `process` events, browser `error` and
 * `unhandledrejection` on `globalThis`), and returns a function that removes them.
 */
export function installGlobalHandlers(options: GlobalHandlerOptions, sink: GlobalHandlerSink): () => void {
  const removers: (() => void)[] = [];
  const g = globalThis as { process?: ProcessView } & Partial<EventTargetView>;
  const proc = g.process;
  if (proc !== undefined && typeof proc.on === 'function' && typeof proc.versions?.node === 'string') {
    removers.push(...installNode(proc, options, sink));
  }
  if (typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function') {
    removers.push(...installBrowser(g as EventTargetView, options, sink));
  }
  return () => {
    for (const remove of removers) {
      try {
        remove();
      } catch (error) {
        sink.diagnostics().internalError(error, 'errors.globalHandlers.remove');
      }
    }
  };
}

/**
 * Shared by every tracker in the process, and by every copy of this package: the
 * `unhandledRejection` listeners that stand in for Node's default handling (`'default'`), and the
 * errors one of them raised as uncaught, so that no tracker captures those a second time.
 */
interface ProcessRegistry {
  defaultListeners: Set<Listener>;
  raised: WeakSet<object>;
}

const REGISTRY = Symbol.for('@lookout/errors:global-handlers');

function processRegistry(proc: ProcessView): ProcessRegistry {
  const holder = proc as unknown as Record<symbol, ProcessRegistry | undefined>;
  let registry = holder[REGISTRY];
  if (registry === undefined || !(registry.defaultListeners instanceof Set) || !(registry.raised instanceof WeakSet)) {
    registry = { defaultListeners: new Set(), raised: new WeakSet() };
    Object.defineProperty(proc, REGISTRY, { value: registry, configurable: true, enumerable: false, writable: true });
  }
  return registry;
}

function installNode(proc: ProcessView, options: GlobalHandlerOptions, sink: GlobalHandlerSink): (() => void)[] {
  const removers: (() => void)[] = [];
  const registry = processRegistry(proc);
  // A value we rethrow ourselves (unhandled rejection under `throw`) is not captured twice.
  const captured = new WeakSet<object>();
  const mark = (value: unknown): void => {
    if (typeof value === 'object' && value !== null) captured.add(value);
  };
  const seen = (value: unknown): boolean => typeof value === 'object' && value !== null && (captured.has(value) || registry.raised.has(value));
  const listen = (event: string, listener: Listener): void => {
    proc.on(event, listener);
    removers.push(() => (proc.off ?? proc.removeListener)?.call(proc, event, listener));
  };

  const uncaught = options.uncaughtException ?? 'default';
  if (uncaught !== false) {
    const onUncaught: Listener = (error, origin) => {
      if (seen(error)) return;
      mark(error);
      const fromRejection = origin === 'unhandledRejection';
      sink.capture(error, {
        handled: false,
        mechanism: fromRejection ? 'unhandledRejection' : 'uncaughtException',
        severity: fromRejection ? 'high' : 'critical',
      });
    };
    // The monitor observes without changing what Node does next (print and exit).
    listen(uncaught === 'continue' ? 'uncaughtException' : 'uncaughtExceptionMonitor', onUncaught);
  }

  const rejections = options.unhandledRejection ?? 'default';
  if (rejections !== false) {
    const onRejection: Listener = (reason) => {
      if (!seen(reason)) {
        mark(reason);
        sink.capture(reason, { handled: false, mechanism: 'unhandledRejection', severity: 'high' });
      }
      if (rejections !== 'default' || !appliesNodeDefault(proc, registry, onRejection)) return;
      // Adding a listener switches Node's default handling off; do what Node would have done.
      const mode = unhandledRejectionsMode(proc);
      if (mode === 'throw') {
        const uncaughtError = asUncaught(reason);
        if (typeof uncaughtError === 'object' && uncaughtError !== null) registry.raised.add(uncaughtError);
        throw uncaughtError;
      }
      if (mode === 'warn-with-error-code') {
        warnUnhandled(proc, reason);
        try {
          proc.exitCode = 1;
        } catch {
          // exitCode is read-only in some runtimes.
        }
      }
    };
    listen('unhandledRejection', onRejection);
    if (rejections === 'default') {
      registry.defaultListeners.add(onRejection);
      removers.push(() => registry.defaultListeners.delete(onRejection));
    }
  }
  return removers;
}

/**
 * Whether this `'default'` listener does what Node would have done: only when every listener is
 * one of Lookout's `'default'` ones (a host listener, or a `'continue'` one, handles rejections
 * itself, and Node would not act either), and only the last of them, once all have captured.
 */
function appliesNodeDefault(proc: ProcessView, registry: ProcessRegistry, self: Listener): boolean {
  if (typeof proc.listeners === 'function') {
    const all = proc.listeners('unhandledRejection');
    return all.every((l) => registry.defaultListeners.has(l)) && all[all.length - 1] === self;
  }
  return (proc.listenerCount?.('unhandledRejection') ?? 1) <= 1;
}

/**
 * Node's `--unhandled-rejections` mode: the last of `NODE_OPTIONS` then `execArgv` (the command
 * line wins), in either form (`--unhandled-rejections=MODE`, `--unhandled-rejections MODE`, `_`
 * for `-`); `throw` by default.
 */
function unhandledRejectionsMode(proc: ProcessView): string {
  const sources = [...(proc.env?.['NODE_OPTIONS'] ?? '').split(/\s+/), ...(proc.execArgv ?? [])];
  let mode = 'throw';
  for (let i = 0; i < sources.length; i++) {
    const arg = String(sources[i]).replace(/_/g, '-');
    if (arg.startsWith('--unhandled-rejections=')) mode = arg.slice('--unhandled-rejections='.length);
    else if (arg === '--unhandled-rejections' && sources[i + 1] !== undefined) mode = String(sources[++i]);
  }
  return mode;
}

/** The warnings Node prints for an unhandled rejection it does not raise. */
function warnUnhandled(proc: ProcessView, reason: unknown): void {
  try {
    const stack = reason instanceof Error ? reason.stack : undefined;
    proc.emitWarning?.(typeof stack === 'string' ? stack : safeString(reason), 'UnhandledPromiseRejectionWarning');
    proc.emitWarning?.(
      'Unhandled promise rejection. This error originated either by throwing inside of an async function without a catch block, ' +
        'or by rejecting a promise which was not handled with .catch(). To terminate the node process on unhandled promise rejection, ' +
        'use the CLI flag `--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode).',
      'UnhandledPromiseRejectionWarning',
    );
  } catch {
    // A warning that cannot be printed changes nothing else.
  }
}

/** What Node throws for an unhandled rejection: the reason itself when it is an Error, else a wrapper. */
function asUncaught(reason: unknown): unknown {
  if (reason instanceof Error) return reason;
  const error = new Error(
    'This error originated either by throwing inside of an async function without a catch block, ' +
      `or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${safeString(reason)}".`,
  );
  error.name = 'UnhandledPromiseRejection';
  (error as { code?: string }).code = 'ERR_UNHANDLED_REJECTION';
  return error;
}

function installBrowser(target: EventTargetView, options: GlobalHandlerOptions, sink: GlobalHandlerSink): (() => void)[] {
  const removers: (() => void)[] = [];
  // Listeners never displace `onerror` or other listeners: whatever was there keeps running.
  const listen = (type: string, listener: Listener): void => {
    target.addEventListener(type, listener);
    removers.push(() => target.removeEventListener(type, listener));
  };
  if (options.onerror !== false) {
    listen('error', (event) => {
      const error = safeGet(event, 'error');
      const context: CaptureContext = { handled: false, mechanism: 'onerror', severity: 'high' };
      if (error !== undefined && error !== null) {
        sink.capture(error, context);
        return;
      }
      const message = safeGet(event, 'message');
      const where = { filename: safeGet(event, 'filename'), lineno: safeGet(event, 'lineno'), colno: safeGet(event, 'colno') };
      // Cross-origin scripts give `Script error.` and nothing else.
      const text = typeof message === 'string' && message !== '' ? message : 'Script error.';
      sink.capture({ name: 'ScriptError', message: text, stack: '' }, { ...context, context: { location: where } });
    });
  }
  if (options.onunhandledrejection !== false) {
    listen('unhandledrejection', (event) => {
      sink.capture(safeGet(event, 'reason'), { handled: false, mechanism: 'unhandledRejection', severity: 'high' });
    });
  }
  return removers;
}
