import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, instrument, renderPrometheus } from '@lookout/core';
import type { MetricsRegistry } from '@lookout/core';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

async function count(registry: MetricsRegistry, series: string): Promise<number | undefined> {
  const line = (await renderPrometheus(registry)).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** A promise of another realm (a `vm` context, as an iframe or a test runner's context makes): settles after `ms`. */
function foreignPromise(ms: number, outcome: 'resolve' | 'reject'): Promise<unknown> {
  return runInNewContext(`new Promise((resolve, reject) => wait(() => ${outcome === 'resolve' ? 'resolve(42)' : 'reject(new RangeError("late"))'}, ${ms}))`, { wait: setTimeout }) as Promise<unknown>;
}

// A promise of another realm is no `instanceof Promise` here: instrument() took it for a thenable
// it must not touch, counted a success at once (a rejection never counted) and timed nothing.
describe('instrument', () => {
  describe('promises of another realm', () => {
    it('should time one until it settles and hand back a promise settling the same way', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      // Long enough that the render below, on a loaded machine, still comes before it settles.
      const wrapped = instrument('foreign', () => foreignPromise(400, 'resolve'), { registry });
      const result = wrapped();
      expect(Object.prototype.toString.call(result)).toBe('[object Promise]');
      expect(await count(registry, 'app_function_calls_total{function="foreign",outcome="success"}')).toBe(0);
      expect(await result).toBe(42);
      expect(await count(registry, 'app_function_calls_total{function="foreign",outcome="success"}')).toBe(1);
      expect(await count(registry, 'app_function_duration_seconds_sum{function="foreign",outcome="success"}')).toBeGreaterThanOrEqual(0.35);
    });

    it('should count its rejection as an error, by type, and reject with the same reason', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const wrapped = instrument('foreign', () => foreignPromise(5, 'reject'), { registry });
      const reason = await (wrapped() as Promise<unknown>).catch((error: unknown) => error);
      expect((reason as Error).message).toBe('late');
      expect(await count(registry, 'app_function_calls_total{function="foreign",outcome="error"}')).toBe(1);
      expect(await count(registry, 'app_function_errors_total{function="foreign",error_type="RangeError"}')).toBe(1);
    });

    it('should leave an object only tagged Promise untouched, its then never called', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      let thenCalls = 0;
      const lookalike = { [Symbol.toStringTag]: 'Promise', then: () => void thenCalls++ };
      const wrapped = instrument('lookalike', () => lookalike, { registry });
      expect(wrapped()).toBe(lookalike);
      expect(thenCalls).toBe(0);
      expect(await count(registry, 'app_function_calls_total{function="lookalike",outcome="success"}')).toBe(1);
    });
  });
});
