import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, instrument, renderPrometheus } from '@lookout/core';
import type { MetricsRegistry } from '@lookout/core';

const quiet = (): ReturnType<typeof createDiagnostics> => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

async function calls(registry: MetricsRegistry, fn: string, outcome: string): Promise<number | undefined> {
  const text = await renderPrometheus(registry);
  const line = text.split('\n').find((l) => l.startsWith(`app_function_calls_total{function="${fn}",outcome="${outcome}"} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The reasons Node reports as unhandled rejections while `run` runs (vitest's own listeners are set aside meanwhile). */
async function unhandledRejections(run: () => void): Promise<unknown[]> {
  const saved = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    run();
    await new Promise((resolve) => setTimeout(resolve, 30));
  } finally {
    process.off('unhandledRejection', listener);
    for (const l of saved) process.on('unhandledRejection', l);
  }
  return seen;
}

describe('instrument', () => {
  describe('thenables that are not native promises', () => {
    let registry: MetricsRegistry;
    afterEach(() => registry?.clear());

    it('should leave a lazy query builder lazy and chainable', async () => {
      registry = createMetricsRegistry({ diagnostics: quiet() });
      let executed = 0;
      const query = (): { w?: string; where(x: string): unknown; then(ok: (v: string[]) => unknown, err?: (e: unknown) => unknown): Promise<unknown> } => {
        const q = {
          w: undefined as string | undefined,
          where(x: string) {
            q.w = x;
            return q;
          },
          then(ok: (v: string[]) => unknown, err?: (e: unknown) => unknown) {
            executed++;
            return Promise.resolve([`row:${q.w}`]).then(ok, err);
          },
        };
        return q;
      };
      const wrapped = instrument('query', query, { registry });
      const builder = wrapped();
      expect(executed).toBe(0);
      expect(await (builder.where('id=1') as PromiseLike<string[]>)).toEqual(['row:id=1']);
      expect(executed).toBe(1);
      expect(await calls(registry, 'query', 'success')).toBe(1);
    });

    it('should return a thenable with extra methods as the very same object', () => {
      registry = createMetricsRegistry({ diagnostics: quiet() });
      let thenCalls = 0;
      const child = { pid: 7, kill: () => 'killed', then: (ok: (v: number) => void) => (thenCalls++, ok(0)) };
      const wrapped = instrument('spawn', () => child, { registry });
      const got = wrapped();
      expect(got).toBe(child);
      expect(got.kill()).toBe('killed');
      expect(thenCalls).toBe(0);
    });

    it('should resolve a minimal thenable to its own value', async () => {
      registry = createMetricsRegistry({ diagnostics: quiet() });
      // Promises/A+ asks nothing of what `then` returns: this one returns undefined.
      const then = (ok: (v: number) => void): void => {
        ok(42);
      };
      const minimal = (): PromiseLike<number> => ({ then: then as unknown as PromiseLike<number>['then'] });
      expect(await minimal()).toBe(42);
      expect(await instrument('t', minimal, { registry })()).toBe(42);
      expect(await calls(registry, 't', 'success')).toBe(1);
    });
  });

  describe('native promises', () => {
    it('should keep the own methods of a promise the callee decorated', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const cancellable = (): Promise<string> & { cancel(): string } => {
        const p = new Promise<string>((resolve) => setTimeout(resolve, 5, 'done'));
        return Object.assign(p, { cancel: function (this: unknown) { return this === p ? 'cancelled' : 'wrong this'; } });
      };
      const got = instrument('c', cancellable, { registry })();
      expect(got.cancel()).toBe('cancelled');
      expect(await got).toBe('done');
      expect(await calls(registry, 'c', 'success')).toBe(1);
    });

    it('should still report a rejection nobody handles, with the same reason, and only then', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      const reason = new Error('nobody catches this');
      const failing = async (): Promise<never> => {
        throw reason;
      };
      const wrapped = instrument('failing', failing, { registry });
      expect(await unhandledRejections(() => void failing())).toEqual([reason]);
      expect(await unhandledRejections(() => void wrapped())).toEqual([reason]);
      expect(await unhandledRejections(() => void wrapped().catch(() => {}))).toEqual([]);
      expect(await calls(registry, 'failing', 'error')).toBe(2);
    });

    it('should time a promise subclass and settle the same way', async () => {
      const registry = createMetricsRegistry({ diagnostics: quiet() });
      class Deferred<T> extends Promise<T> {}
      const wrapped = instrument('sub', () => new Deferred<number>((resolve) => resolve(5)), { registry });
      const got = wrapped();
      expect(got).toBeInstanceOf(Deferred);
      expect(await got).toBe(5);
      expect(await calls(registry, 'sub', 'success')).toBe(1);
    });
  });
});
