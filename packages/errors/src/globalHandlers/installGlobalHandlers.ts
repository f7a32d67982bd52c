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
  execArgv?: readonly string[];
  env?: Record<string, string | undefined>;
  exitCode?: number | string;
  emitWarning?(warning: string | Error): void;
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

function installNode(proc: ProcessView, options: GlobalHandlerOptions, sink: GlobalHandlerSink): (() => void)[] {
  const removers: (() => void)[] = [];
  // A value we rethrow ourselves (unhandled rejection under `throw`) is not captured twice.
  const captured = new WeakSet<object>();
  const mark = (value: unknown): void => {
    if (typeof value === 'object' && value !== null) captured.add(value);
  };
  const seen = (value: unknown): boolean => typeof value === 'object' && value !== null && captured.has(value);
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
      if (rejections !== 'default') return;
      // Adding a listener switches Node's default handling off; do what Node would have done.
      const others = (proc.listenerCount?.('unhandledRejection') ?? 1) - 1;
      if (others > 0) return;
      const mode = unhandledRejectionsMode(proc);
      if (mode === 'throw') {
        const uncaughtError = asUncaught(reason);
        mark(uncaughtError);
        throw uncaughtError;
      }
      if (mode === 'warn-with-error-code') {
        try {
          proc.exitCode = 1;
        } catch {
          // exitCode is read-only in some runtimes.
        }
      }
    };
    listen('unhandledRejection', onRejection);
  }
  return removers;
}

/** Node's `--unhandled-rejections` mode from `execArgv` and `NODE_OPTIONS`; `throw` by default. */
function unhandledRejectionsMode(proc: ProcessView): string {
  const sources = [...(proc.execArgv ?? []), ...(proc.env?.['NODE_OPTIONS'] ?? '').split(/\s+/)];
  let mode = 'throw';
  for (const arg of sources) {
    if (arg.startsWith('--unhandled-rejections=')) mode = arg.slice('--unhandled-rejections='.length);
  }
  return mode;
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
