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
 * `noop` is called (once) when the facade is first used: a part nobody calls costs two objects.
 */
export function createLazyPart<T extends object>(
  name: string,
  load: () => Promise<T>,
  noop: () => T,
  methods: { record: readonly (keyof T)[]; await: readonly (keyof T)[] },
  diag: Diagnostics,
  mode: LoadMode = 'eager',
  retire: (late: T) => void = () => {},
): LazyPart<T> {
  const part = new Part(name, load, noop, methods, diag, mode, retire);
  // A lazy part that is off loads only when an awaiting method (e.g. `retry`) needs the real code.
  if (mode === 'eager') void part.start();
  return part;
}

/**
 * A class (not closures) so that creating a part compiles only its constructor: the facade, its
 * buffering and the load are compiled when first used.
 */
class Part<T extends object> implements LazyPart<T> {
  private _real: T | undefined;
  private _buffer: [keyof T, unknown[]][] | undefined;
  private _dropped = 0;
  private _loading: Promise<boolean> | undefined;
  private _swapped = false;
  private _facade: T | undefined;

  constructor(
    private readonly _name: string,
    private readonly _load: () => Promise<T>,
    private readonly _noop: () => T,
    private readonly _methods: { record: readonly (keyof T)[]; await: readonly (keyof T)[] },
    private readonly _diag: Diagnostics,
    private readonly _mode: LoadMode,
    private readonly _retire: (late: T) => void,
  ) {
    this._buffer = _mode === 'off' ? undefined : [];
  }

  /** Stands in for the part: forwards to it once loaded, buffers `record` calls before. */
  get facade(): T {
    return (this._facade ??= this._makeFacade());
  }

  /** Loads the part now unless it is off: `await monitoring.ready()` means every part answers for real. */
  get ready(): Promise<boolean> {
    return this._mode === 'off' ? (this._loading ?? Promise.resolve(false)) : this.start();
  }

  get droppedCalls(): number {
    return this._dropped;
  }

  get started(): boolean {
    return this._loading !== undefined || this._swapped;
  }

  current(): T | undefined {
    return this._real;
  }

  swap(next: T): T | undefined {
    const previous = this._real;
    this._swapped = true;
    this._adopt(next);
    return previous;
  }

  start(): Promise<boolean> {
    return (this._loading ??= this._load().then(
      (part) => {
        // Replaced while loading (e.g. reconfigure({ telemetry: false }) for consent): the
        // replacement stays, and the part loaded for the old options is stopped.
        if (this._swapped) {
          try {
            this._retire(part);
          } catch (error) {
            this._diag.internalError(error, `${this._name} (retire)`);
          }
        } else this._adopt(part);
        return true;
      },
      (error: unknown) => {
        this._buffer = undefined;
        this._diag.error('part.load', `${this._name} could not be loaded (${(error as Error)?.message ?? String(error)}); it is off`, `${this._name}.load`);
        return false;
      },
    ));
  }

  /** Makes `part` the real one and replays the buffered calls on it, in order. */
  private _adopt(part: T): void {
    this._real = part;
    const queued = this._buffer ?? [];
    this._buffer = undefined;
    for (const [method, args] of queued) {
      try {
        (part[method] as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        this._diag.internalError(error, `${this._name}.${String(method)} (buffered)`);
      }
    }
  }

  private _makeFacade(): T {
    const recordSet = new Set<PropertyKey>(this._methods.record);
    const awaitSet = new Set<PropertyKey>(this._methods.await);
    const wrappers = new Map<PropertyKey, unknown>();
    const self = this;
    return new Proxy(this._noop(), {
      get(target, prop) {
        const real = self._real;
        if (real !== undefined) {
          const value = (real as Record<PropertyKey, unknown>)[prop];
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
        }
        let wrapper = wrappers.get(prop);
        if (wrapper === undefined) {
          if (recordSet.has(prop)) {
            wrapper = (...args: unknown[]): unknown => {
              if (self._real !== undefined) return (self._real[prop as keyof T] as (...a: unknown[]) => unknown)(...args);
              const buffer = self._buffer;
              if (buffer !== undefined) {
                if (self._mode === 'on-use') void self.start();
                if (buffer.length < MAX_BUFFERED_CALLS) buffer.push([prop as keyof T, args]);
                else if (self._dropped++ === 0) self._diag.warn('part.buffer-full', `${self._name}: more than ${MAX_BUFFERED_CALLS} calls before it loaded; later ones are dropped`, `${self._name}.buffer`);
              }
              return (target[prop as keyof T] as (...a: unknown[]) => unknown)(...args);
            };
          } else if (awaitSet.has(prop)) {
            wrapper = async (...args: unknown[]): Promise<unknown> => {
              await self.start();
              const part = self._real ?? target;
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
  }
}
