import type { Diagnostics } from '@lookout/core';

/**
 * When a part's package is imported: `eager` at init (it was configured: a DSN, an endpoint, an
 * audit log); `on-use` at its first call (on by default, but a process that never uses it never
 * pays for it); `off` only if a method that must run real code (e.g. `errors.retry`) is called.
 */
export type LoadMode = 'eager' | 'on-use' | 'off';

/** Calls held per part while its package loads; more are dropped with one diagnostic. */
export const MAX_BUFFERED_CALLS = 1000;

/** A part (telemetry, errors, security) that loads in the background. */
export interface LazyPart<T extends object> {
  /** Stands in for the part: forwards to it once loaded, buffers `record` calls before. */
  readonly facade: T;
  /** Resolves `true` once loaded, `false` when it failed (or, for a part loaded on demand, has not been needed). Never rejects. */
  readonly ready: Promise<boolean>;
  /** The loaded part, if any. */
  current(): T | undefined;
  /**
   * Replaces the part (reconfigure); returns the previous one. Before the load has finished, the
   * calls buffered so far go to `next`, and the part the load yields is handed to `retire`
   * instead of replacing `next`.
   */
  swap(next: T): T | undefined;
  /** Calls dropped because the buffer was full. */
  readonly droppedCalls: number;
  /** Whether loading has started (always, for `eager`) or a part was swapped in: only then is there anything to flush. */
  readonly started: boolean;
}

/**
 * Wraps a part whose package is imported on demand. Until it has loaded, methods named in
 * `record` are buffered (bounded) and replayed in order, returning what `noop` returns; methods
 * in `await` wait for the load and then run on the real part (or on `noop` when loading failed).
 * Everything else answers from `noop`. Loading failures are one diagnostic, never an exception.
 */
export function createLazyPart<T extends object>(
  name: string,
  load: () => Promise<T>,
  noop: T,
  methods: { record: readonly (keyof T)[]; await: readonly (keyof T)[] },
  diag: Diagnostics,
  mode: LoadMode = 'eager',
  retire: (late: T) => void = () => {},
): LazyPart<T> {
  const eager = mode === 'eager';
  let real: T | undefined;
  let buffer: [keyof T, unknown[]][] | undefined = mode === 'off' ? undefined : [];
  let dropped = 0;
  let loading: Promise<boolean> | undefined;
  let swapped = false;
  /** Makes `part` the real one and replays the buffered calls on it, in order. */
  const adopt = (part: T): void => {
    real = part;
    const queued = buffer ?? [];
    buffer = undefined;
    for (const [method, args] of queued) {
      try {
        (part[method] as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        diag.internalError(error, `${name}.${String(method)} (buffered)`);
      }
    }
  };
  const start = (): Promise<boolean> => (loading ??= load().then(
    (part) => {
      // Replaced while loading (e.g. reconfigure({ telemetry: false }) for consent): the
      // replacement stays, and the part loaded for the old options is stopped.
      if (swapped) {
        try {
          retire(part);
        } catch (error) {
          diag.internalError(error, `${name} (retire)`);
        }
      } else adopt(part);
      return true;
    },
    (error: unknown) => {
      buffer = undefined;
      diag.error('part.load', `${name} could not be loaded (${(error as Error)?.message ?? String(error)}); it is off`, `${name}.load`);
      return false;
    },
  ));
  // A lazy part that is off loads only when an awaiting method (e.g. `retry`) needs the real code.
  if (eager) void start();
  const recordSet = new Set<PropertyKey>(methods.record);
  const awaitSet = new Set<PropertyKey>(methods.await);
  const wrappers = new Map<PropertyKey, unknown>();
  const facade = new Proxy(noop, {
    get(target, prop) {
      if (real !== undefined) {
        const value = (real as Record<PropertyKey, unknown>)[prop];
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
      }
      let wrapper = wrappers.get(prop);
      if (wrapper === undefined) {
        if (recordSet.has(prop)) {
          wrapper = (...args: unknown[]): unknown => {
            if (real !== undefined) return (real[prop as keyof T] as (...a: unknown[]) => unknown)(...args);
            if (buffer !== undefined) {
              if (mode === 'on-use') void start();
              if (buffer.length < MAX_BUFFERED_CALLS) buffer.push([prop as keyof T, args]);
              else if (dropped++ === 0) diag.warn('part.buffer-full', `${name}: more than ${MAX_BUFFERED_CALLS} calls before it loaded; later ones are dropped`, `${name}.buffer`);
            }
            return (target[prop as keyof T] as (...a: unknown[]) => unknown)(...args);
          };
        } else if (awaitSet.has(prop)) {
          wrapper = async (...args: unknown[]): Promise<unknown> => {
            await start();
            const part = real ?? target;
            return (part[prop as keyof T] as (...a: unknown[]) => unknown).apply(part, args);
          };
        } else {
          return Reflect.get(target, prop);
        }
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
  return {
    facade,
    /** Loads the part now unless it is off: `await monitoring.ready()` means every part answers for real. */
    get ready() {
      return mode === 'off' ? (loading ?? Promise.resolve(false)) : start();
    },
    current: () => real,
    swap(next) {
      const previous = real;
      swapped = true;
      adopt(next);
      return previous;
    },
    get droppedCalls() {
      return dropped;
    },
    get started() {
      return loading !== undefined || swapped;
    },
  };
}
