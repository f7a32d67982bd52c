import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, instrument, instrumentMethod, instrumented, MetricsRegistry, renderPrometheus } from '@lookout/core';

function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

describe('instrument', () => {
  describe('sync functions', () => {
    it('should pass this, arguments and the return value through and count a success', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const obj = {
        base: 10,
        add(a: number, b: number): number {
          return this.base + a + b;
        },
      };
      obj.add = instrument('add', obj.add, { registry });
      expect(obj.add(1, 2)).toBe(13);
      expect(obj.add.name).toBe('add');
      expect(obj.add.length).toBe(2);
      const s = samples(await renderPrometheus(registry));
      expect(s.get('app_function_calls_total{function="add",outcome="success"}')).toBe(1);
      expect(s.get('app_function_duration_seconds_count{function="add",outcome="success"}')).toBe(1);
      expect(s.get('app_function_calls_total{function="add",outcome="error"}')).toBe(0);
    });

    it('should rethrow the very same error and label it by type', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      class ParseError extends Error {}
      const boom = new ParseError('bad');
      const fn = instrument('parse', (): never => {
        throw boom;
      }, { registry, namespace: 'lib' });
      let caught: unknown;
      try {
        fn();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
      const s = samples(await renderPrometheus(registry));
      expect(s.get('lib_function_calls_total{function="parse",outcome="error"}')).toBe(1);
      expect(s.get('lib_function_errors_total{function="parse",error_type="ParseError"}')).toBe(1);
    });
  });

  describe('async functions', () => {
    it('should time until the promise settles and keep the rejection reason', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const slow = instrument('slow', async (ms: number) => {
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      }, { registry });
      const reason = { code: 42 };
      const failing = instrument('failing', async () => {
        throw reason;
      }, { registry });
      expect(await slow(30)).toBe(30);
      await expect(failing()).rejects.toBe(reason);
      const text = await renderPrometheus(registry);
      const s = samples(text);
      expect(s.get('app_function_duration_seconds_sum{function="slow",outcome="success"}')).toBeGreaterThanOrEqual(0.025);
      expect(s.get('app_function_errors_total{function="failing",error_type="Object"}')).toBe(1);
    });
  });

  describe('generators', () => {
    it('should wrap sync and async generators, including early return', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const gen = instrument('gen', function* (n: number) {
        for (let i = 0; i < n; i++) yield i;
        return 'done';
      }, { registry });
      expect([...gen(3)]).toEqual([0, 1, 2]);
      const it2 = gen(5);
      it2.next();
      it2.return(undefined as never);
      const agen = instrument('agen', async function* () {
        yield 1;
        throw new TypeError('late');
      }, { registry });
      const got: number[] = [];
      await expect(
        (async () => {
          for await (const v of agen()) got.push(v);
        })(),
      ).rejects.toBeInstanceOf(TypeError);
      expect(got).toEqual([1]);
      const s = samples(await renderPrometheus(registry));
      expect(s.get('app_function_calls_total{function="gen",outcome="success"}')).toBe(2);
      expect(s.get('app_function_errors_total{function="agen",error_type="TypeError"}')).toBe(1);
    });
  });

  describe('methods', () => {
    it('should instrument methods on prototypes and through decorators', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      class Repo {
        constructor(readonly name: string) {}
        load(): string {
          return this.name;
        }
        save(x: number): number {
          return x * 2;
        }
        drop(x: number): number {
          return -x;
        }
      }
      // The test transformer does not compile decorator syntax, so apply the decorator as a
      // standard decorator (value, context) and as a legacy one (prototype, key, descriptor) would.
      Repo.prototype.save = instrumented('Repo.save', { registry })(Repo.prototype.save, { kind: 'method', name: 'save' });
      const descriptor = Object.getOwnPropertyDescriptor(Repo.prototype, 'drop')!;
      Object.defineProperty(Repo.prototype, 'drop', instrumented(undefined, { registry })(Repo.prototype, 'drop', descriptor));
      instrumentMethod(Repo.prototype, 'load', 'Repo.load', { registry });
      const r = new Repo('r1');
      expect(r.load()).toBe('r1');
      expect(r.save(4)).toBe(8);
      expect(r.drop(4)).toBe(-4);
      const s = samples(await renderPrometheus(registry));
      expect(s.get('app_function_calls_total{function="Repo.load",outcome="success"}')).toBe(1);
      expect(s.get('app_function_calls_total{function="Repo.save",outcome="success"}')).toBe(1);
      expect(s.get('app_function_calls_total{function="drop",outcome="success"}')).toBe(1);
    });
  });

  describe('when monitoring is off', () => {
    it('should call straight through and record nothing', async () => {
      const registry = new MetricsRegistry({ diagnostics: quiet() }, 'off');
      const fn = instrument('off', (x: number) => x + 1, { registry });
      expect(fn(1)).toBe(2);
      expect(registry.currentMode).toBe('off');
      const s = samples(await renderPrometheus(registry));
      expect(s.get('app_function_calls_total{function="off",outcome="success"}')).toBe(0);
    });
  });

  describe('bad input', () => {
    it('should return a non-function unchanged with one diagnostic', () => {
      const lines: string[] = [];
      const diag = createDiagnostics({ logger: { error() {}, warn: (m) => lines.push(m), info() {}, debug() {} } });
      const registry = createMetricsRegistry({ diagnostics: diag });
      const notFn = 42 as unknown as () => void;
      expect(() => instrument('x', notFn, { registry })).not.toThrow();
      expect(instrument('x', notFn, { registry })).toBe(42);
      expect(lines.filter((l) => l.includes('instrument.not-function'))).toHaveLength(1);
    });
  });
});
