import { describeError, getDiagnostics, safeString } from '../diagnostics/index.js';
import { getDefaultRegistry } from '../metrics/defaultRegistry.js';
import { monotonicMs } from '../metrics/internal/clock.js';
import { MODE_OFF } from '../metrics/internal/instruments.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import type { BoundCounter, BoundHistogram, Counter } from '../metrics/types.js';

export interface InstrumentOptions {
  /** Registry to record into. Default: the default registry (records nothing until the app sets up an exporter). */
  registry?: MetricsRegistry;
  /** Prefix of the metric names. Default `'app'`: `app_function_calls_total`, `app_function_duration_seconds`, `app_function_errors_total`. */
  namespace?: string;
}

/** The three instruments `instrument()` records into, per registry and namespace. */
interface FunctionMetrics {
  registry: MetricsRegistry;
  /** The registry's generation they were defined in: `registry.clear()` drops them. */
  generation: number;
  errors: Counter<'function' | 'error_type'>;
  bind(fnName: string): FunctionHandles;
}
interface FunctionHandles {
  okCalls: BoundCounter;
  errCalls: BoundCounter;
  okDuration: BoundHistogram;
  errDuration: BoundHistogram;
}

const metricsByRegistry = new WeakMap<MetricsRegistry, Map<string, FunctionMetrics>>();
export const DEFAULT_INSTRUMENT_NAMESPACE = 'app';
const MAX_ERROR_TYPE_LENGTH = 64;

function functionMetrics(registry: MetricsRegistry, namespace: string): FunctionMetrics {
  let byNs = metricsByRegistry.get(registry);
  if (byNs === undefined) metricsByRegistry.set(registry, (byNs = new Map()));
  let m = byNs.get(namespace);
  if (m === undefined || m.generation !== registry.generation) {
    const calls = registry.counter(`${namespace}.function.calls`, {
      description: 'Calls of instrumented functions, by outcome',
      unit: '{call}',
      labels: ['function', 'outcome'],
    });
    const duration = registry.histogram(`${namespace}.function.duration`, {
      description: 'Duration of instrumented functions, by outcome',
      unit: 's',
      labels: ['function', 'outcome'],
    });
    const errors = registry.counter(`${namespace}.function.errors`, {
      description: 'Errors thrown or rejected by instrumented functions, by error type',
      unit: '{error}',
      labels: ['function', 'error_type'],
    });
    m = {
      registry,
      generation: registry.generation,
      errors,
      bind: (fn) => ({
        okCalls: calls.bind({ function: fn, outcome: 'success' }),
        errCalls: calls.bind({ function: fn, outcome: 'error' }),
        okDuration: duration.bind({ function: fn, outcome: 'success' }),
        errDuration: duration.bind({ function: fn, outcome: 'error' }),
      }),
    };
    byNs.set(namespace, m);
  }
  return m;
}

/** The name of an error's type for the `error_type` label; bounded, never throws. */
export function errorTypeOf(error: unknown): string {
  try {
    if (error === null) return 'null';
    if (typeof error === 'object' || typeof error === 'function') {
      const ctor = (error as { constructor?: { name?: unknown } }).constructor;
      const name = typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : (error as { name?: unknown }).name;
      if (typeof name === 'string' && name !== '') return name.slice(0, MAX_ERROR_TYPE_LENGTH);
      return 'Object';
    }
    return typeof error;
  } catch {
    return 'unknown';
  }
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * Wraps `fn` so each call records into `{namespace}_function_calls_total{function,outcome}`,
 * `{namespace}_function_duration_seconds{function,outcome}` and, on failure,
 * `{namespace}_function_errors_total{function,error_type}`.
 *
 * Works for plain, async and generator functions (sync and async) and for methods: `this`,
 * arguments, the return value and the identity of a thrown or rejected error are passed through
 * unchanged, and the TypeScript signature is kept. A native promise (`Promise` or a subclass, of
 * this realm or another: a `vm` context, an iframe, Node's own promises under a test runner's
 * context) is timed until it settles: the caller gets a promise settling the same way, with
 * the original's own properties, and a rejection it leaves unhandled is still reported as
 * unhandled. Any other thenable (a lazy query builder, an execa-like child process, a hand-written
 * `then`) is returned untouched and its `then` is never called: the call is counted as a success
 * with the duration up to its return, and what the thenable later settles to is not recorded.
 * A generator is timed from its call until it finishes.
 * While the registry records nothing (no exporter set up), the wrapper calls `fn` straight away.
 * Never throws on its own: a non-function `fn` is returned as it is, with a diagnostic.
 */
export function instrument<F extends AnyFunction>(name: string, fn: F, options?: InstrumentOptions): F {
  if (typeof fn !== 'function') {
    (options?.registry?.diag ?? getDiagnostics()).warn('instrument.not-function', `instrument("${safeString(name)}"): expected a function, got ${typeof fn}; returned unchanged`);
    return fn;
  }
  try {
    const registry = options?.registry ?? getDefaultRegistry();
    const label = typeof name === 'string' && name !== '' ? name : fn.name || 'anonymous';
    const namespace = typeof options?.namespace === 'string' ? options.namespace : DEFAULT_INSTRUMENT_NAMESPACE;
    let m = functionMetrics(registry, namespace);
    let h = m.bind(label);
    // After `registry.clear()` the bound handles point at instruments the registry forgot: bind again.
    const current = (): FunctionHandles => {
      if (m.generation !== registry.generation) {
        m = functionMetrics(registry, namespace);
        h = m.bind(label);
      }
      return h;
    };
    const failed = (start: number, error: unknown): void => {
      const seconds = (monotonicMs() - start) / 1000;
      const handles = current();
      handles.errCalls.add(1);
      handles.errDuration.record(seconds);
      m.errors.add(1, { function: label, error_type: errorTypeOf(error) });
    };
    const succeeded = (start: number): void => {
      const handles = current();
      handles.okCalls.add(1);
      handles.okDuration.record((monotonicMs() - start) / 1000);
    };
    const ctorName = (fn as { constructor?: { name?: string } }).constructor?.name;
    let wrapped: AnyFunction;
    if (ctorName === 'GeneratorFunction') wrapped = wrapGenerator(fn, registry, succeeded, failed);
    else if (ctorName === 'AsyncGeneratorFunction') wrapped = wrapAsyncGenerator(fn, registry, succeeded, failed);
    else wrapped = wrapFunction(fn, registry, succeeded, failed);
    Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
    return wrapped as F;
  } catch (error) {
    getDiagnostics().internalError(error, 'instrument');
    return fn;
  }
}

type Done = (start: number) => void;
type Failed = (start: number, error: unknown) => void;

function isOff(registry: MetricsRegistry): boolean {
  return registry.mode === MODE_OFF && registry.activeMode() === MODE_OFF;
}

function wrapFunction(fn: AnyFunction, registry: MetricsRegistry, done: Done, failed: Failed): AnyFunction {
  return function (this: unknown) {
    if (isOff(registry)) return fn.apply(this, arguments as unknown as never[]);
    const start = monotonicMs();
    let result: unknown;
    try {
      result = fn.apply(this, arguments as unknown as never[]);
    } catch (error) {
      failed(start, error);
      throw error;
    }
    if (isNativePromise(result)) return chainNative(result, start, done, failed, ownThen);
    if (isForeignPromise(result)) return chainNative(result, start, done, failed, realmThen);
    // Anything else, thenables included, goes back untouched: calling a lazy thenable's `then`
    // (a query builder) would run it early, and returning what `then` gives would lose the
    // object's other methods. The call is counted when it returns.
    done(start);
    return result;
  };
}

/**
 * Whether `value` is a promise of this realm (`Promise` or a subclass): its `then` only
 * subscribes, so timing it until it settles cannot change what the host sees.
 */
function isNativePromise(value: unknown): value is Promise<unknown> {
  try {
    return value instanceof Promise;
  } catch {
    // A Proxy whose getPrototypeOf trap throws: not something to subscribe to.
    return false;
  }
}

type Then = (promise: Promise<unknown>, ok: (value: unknown) => unknown, ko: (error: unknown) => never) => Promise<unknown>;
const PROMISE_THEN = Promise.prototype.then;
const ownThen: Then = (promise, ok, ko) => promise.then(ok, ko);
const realmThen: Then = (promise, ok, ko) => PROMISE_THEN.call(promise, ok, ko);
const toStringTag = Object.prototype.toString;

/**
 * Whether `value` may be a promise of another realm: tagged `Promise` without being one of this
 * realm's. `Promise.prototype.then` then decides (it refuses anything that is not a promise
 * before doing anything). Costs nothing for values that are not objects.
 */
function isForeignPromise(value: unknown): value is Promise<unknown> {
  try {
    return typeof value === 'object' && value !== null && toStringTag.call(value) === '[object Promise]';
  } catch {
    return false;
  }
}

/**
 * Times a native promise until it settles (`then` subscribes to it: its own method for this
 * realm's promises, this realm's `Promise.prototype.then` for another's, which answers with a
 * promise of that realm). The host gets the chained promise (not the original)
 * so that a rejection it leaves unhandled is still reported by the runtime, with the same reason:
 * a handler on the original would mark its rejection handled. Own properties the callee added to
 * its promise (`Object.assign(promise, { cancel })`) are copied over, methods bound to the
 * original, so a decorated promise keeps its API.
 */
function chainNative(
  result: Promise<unknown>,
  start: number,
  done: Done,
  failed: Failed,
  then: Then,
): Promise<unknown> {
  let chained: Promise<unknown>;
  try {
    chained = then(
      result,
      (value: unknown) => {
        done(start);
        return value;
      },
      (error: unknown) => {
        failed(start, error);
        throw error;
      },
    );
  } catch {
    // A subclass whose `then` throws, a Proxy around a promise, or an object only tagged
    // `Promise` (refused by `then`): handed back as it is.
    done(start);
    return result;
  }
  try {
    for (const key in result) {
      if (key in chained) continue;
      const value = (result as unknown as Record<string, unknown>)[key];
      (chained as unknown as Record<string, unknown>)[key] =
        typeof value === 'function' ? (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(result, args) : value;
    }
  } catch {
    // A throwing getter or a non-extensible chained promise: the rest is not carried over.
  }
  return chained;
}

function wrapGenerator(fn: AnyFunction, registry: MetricsRegistry, done: Done, failed: Failed): AnyFunction {
  return function* (this: unknown): Generator<unknown, unknown, unknown> {
    const inner = fn.apply(this, arguments as unknown as never[]) as Generator<unknown, unknown, unknown>;
    if (isOff(registry)) return yield* inner;
    const start = monotonicMs();
    let threw = false;
    try {
      return yield* inner;
    } catch (error) {
      threw = true;
      failed(start, error);
      throw error;
    } finally {
      if (!threw) done(start);
    }
  };
}

function wrapAsyncGenerator(fn: AnyFunction, registry: MetricsRegistry, done: Done, failed: Failed): AnyFunction {
  return async function* (this: unknown): AsyncGenerator<unknown, unknown, unknown> {
    const inner = fn.apply(this, arguments as unknown as never[]) as AsyncGenerator<unknown, unknown, unknown>;
    if (isOff(registry)) return yield* inner;
    const start = monotonicMs();
    let threw = false;
    try {
      return yield* inner;
    } catch (error) {
      threw = true;
      failed(start, error);
      throw error;
    } finally {
      if (!threw) done(start);
    }
  };
}

/**
 * Replaces `target[method]` with its instrumented version (see {@link instrument}); works on
 * objects and prototypes. Reports and leaves the target alone when it has no such method.
 */
export function instrumentMethod<T extends object>(target: T, method: keyof T & string, name?: string, options?: InstrumentOptions): void {
  try {
    const original = target[method];
    if (typeof original !== 'function') {
      getDiagnostics().warn('instrument.not-method', `instrumentMethod: "${safeString(method)}" is not a method; left alone`);
      return;
    }
    (target as Record<string, unknown>)[method] = instrument(name ?? method, original as AnyFunction, options);
  } catch (error) {
    getDiagnostics().warn('instrument.not-method', `instrumentMethod: could not replace "${safeString(method)}": ${describeError(error)}`);
  }
}

/**
 * A method decorator: `@instrumented()` or `@instrumented('name')`. Works with TypeScript's
 * standard decorators and with `experimentalDecorators`.
 */
export function instrumented(name?: string, options?: InstrumentOptions) {
  return function decorate(value: unknown, context: unknown, descriptor?: PropertyDescriptor): any {
    // Legacy decorators: (prototype, key, descriptor)
    if (descriptor !== undefined && typeof descriptor.value === 'function') {
      descriptor.value = instrument(name ?? safeString(context, 128), descriptor.value as AnyFunction, options);
      return descriptor;
    }
    // Standard decorators: (method, { kind: 'method', name })
    if (typeof value === 'function') {
      const methodName = (context as { name?: unknown } | undefined)?.name;
      return instrument(name ?? safeString(methodName ?? (value as AnyFunction).name, 128), value as AnyFunction, options);
    }
    return value;
  };
}
