import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDiagnostics,
  createMetricsRegistry,
  instrument,
  renderPrometheus,
  resolveOptions,
  type Diagnostics,
  type Labels,
} from '@lookout/core';
import { createPrometheusHandler, pushToGateway, startPrometheusServer } from '@lookout/core/prometheus';
import { parseOtelEnv, startMetricsSdk } from '@lookout/core/sdk';
import { promtoolCheckMetrics } from '../../../testing/backends.js';

/** Diagnostics at the default level (warn), capturing what a user would see. */
function seen(): { diag: Diagnostics; lines: string[] } {
  const lines: string[] = [];
  const push = (m: string): void => {
    lines.push(m);
  };
  return { lines, diag: createDiagnostics({ logger: { error: push, warn: push, info: push, debug: push }, maxPerMinute: 100_000 }) };
}

function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
}

const throwingGetter = (): object =>
  Object.defineProperty({ [fc.toStringMethod]: () => '<throwing getter>' }, 'route', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });

const MB = 'x'.repeat(1 << 20);

/** Values no instrument should ever store. */
const badNumber = fc.oneof(
  fc.constant(Number.NaN),
  fc.constant(Infinity),
  fc.constant(-Infinity),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
  fc.bigInt(),
  fc.constant(Symbol('s')),
  fc.constant(() => 1),
  fc.constant(cyclic()),
);

const labelValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
  fc.constant(cyclic()),
  fc.constant(MB),
  fc.constant('a"b\\c\nd'),
  fc.constant(Symbol('s')),
);

const labels = fc.oneof(
  fc.record({ route: labelValue, method: labelValue }, { requiredKeys: [] }),
  fc.dictionary(fc.string(), labelValue),
  fc.constant(null),
  fc.constant(42),
  fc.constant('labels'),
  fc.constant(cyclic()),
  fc.constant(throwingGetter()),
  fc.constant(new Proxy({ [fc.toStringMethod]: () => '<hostile proxy>' }, { ownKeys: () => { throw new Error('proxy'); } })),
);

/** Every sample value in an exposition (label text excluded). */
function sampleValues(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.slice(l.lastIndexOf(' ') + 1));
}

describe('public API with garbage input', () => {
  it('should never throw, never store a non-finite value, and keep the exposition valid for promtool', async () => {
    let last = '';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('c', 'u', 'g', 'h', 'bc', 'bh', 'rm', 't'), fc.oneof(badNumber, fc.double()), labels), { maxLength: 30 }), async (ops) => {
        const { diag } = seen();
        const r = createMetricsRegistry({ diagnostics: diag, cardinalityLimit: 50 });
        const c = r.counter('g.requests', { labels: ['route', 'method'] });
        const u = r.upDownCounter('g.active', { labels: ['route'] });
        const g = r.gauge('g.temp', { labels: ['route'] });
        const h = r.histogram('g.latency', { unit: 's', labels: ['route'] });
        for (const [op, v, l] of ops) {
          const value = v as number;
          const lbl = l as Labels;
          expect(() => {
            if (op === 'c') c.add(value, lbl);
            else if (op === 'u') u.add(value, lbl);
            else if (op === 'g') g.set(value, lbl);
            else if (op === 'h') h.record(value, lbl);
            else if (op === 'bc') c.bind(lbl).add(value);
            else if (op === 'bh') h.bind(lbl).record(value);
            else if (op === 'rm') r.recordMetric('g.dynamic', value, lbl);
            else h.startTimer(lbl)(lbl);
          }).not.toThrow();
        }
        const text = await renderPrometheus(r);
        for (const v of sampleValues(text)) expect(Number.isFinite(Number(v)), `non-finite sample ${v}`).toBe(true);
        const counterLines = text.split('\n').filter((l) => l.startsWith('g_requests_total'));
        for (const line of counterLines) expect(Number(line.slice(line.lastIndexOf(' ') + 1))).toBeGreaterThanOrEqual(0);
        last = text;
      }),
      { numRuns: 150 },
    );
    // One full run through promtool (each call spawns it; the last exposition carries every kind).
    const check = promtoolCheckMetrics(last);
    // Label names come from the garbage (`recordMetric` with any keys): sanitised to valid names,
    // their case is the caller's, so promtool's snake_case style advice is not a defect here.
    expect(check.problems.filter((p) => !p.endsWith("label names should be written in 'snake_case' not 'camelCase'"))).toEqual([]);
  }, 60_000);

  it('should emit exactly one user-visible diagnostic for a problem repeated many times', () => {
    const { diag, lines } = seen();
    const r = createMetricsRegistry({ diagnostics: diag });
    const c = r.counter('once', { labels: ['k'] });
    for (let i = 0; i < 1000; i++) {
      c.add(Number.NaN, { k: 'a' });
      c.add(1, { k: cyclic() as never });
      c.add(1, { k: 'a', extra: 'x' } as never);
    }
    expect(lines.filter((l) => l.includes('metric.invalid-value'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('metric.label-invalid'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('metric.label-undeclared'))).toHaveLength(1);
  });

  it('should rate-limit diagnostics across many distinct problems', () => {
    const lines: string[] = [];
    const diag = createDiagnostics({ logger: { error() {}, warn: (m) => lines.push(m), info() {}, debug() {} }, maxPerMinute: 10 });
    const r = createMetricsRegistry({ diagnostics: diag });
    for (let i = 0; i < 500; i++) r.counter(`bad name ${i}`);
    expect(lines).toHaveLength(10);
    expect(diag.counts.suppressed).toBe(490);
  });

  it('should survive garbage definitions: names, options, label keys, buckets, clashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('counter', 'gauge', 'histogram', 'upDownCounter', 'observableGauge', 'observableCounter'), fc.oneof(fc.string(), fc.constantFrom('a.b', 'a_b', 'a-b', 'x_total', 'x', 'h', 'h_bucket', 'h_count'), fc.anything()), fc.anything()), { maxLength: 12 }), async (defs) => {
        const { diag } = seen();
        const r = createMetricsRegistry({ diagnostics: diag });
        for (const [kind, name, options] of defs) {
          expect(() => {
            const inst = (r as unknown as Record<string, (n: unknown, o: unknown, cb?: unknown) => Record<string, (...a: unknown[]) => unknown>>)[kind]!(name, options, () => {});
            if ('add' in inst) inst.add!(1, { a: 'x' });
            if ('set' in inst) inst.set!(1);
            if ('record' in inst) inst.record!(0.1);
          }).not.toThrow();
        }
        const text = await renderPrometheus(r);
        const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
        expect(new Set(types.map((t) => t.split(' ')[2])).size).toBe(types.length);
      }),
      { numRuns: 200 },
    );
  });

  it('should keep one TYPE per family when names or label keys sanitise alike, or one name is two kinds', async () => {
    const { diag, lines } = seen();
    const r = createMetricsRegistry({ diagnostics: diag });
    r.counter('cache.hits').add(1);
    r.counter('cache_hits').add(1);
    r.gauge('cache.hits_total').set(3);
    r.histogram('cache.hits').record(1);
    r.counter('dup.keys', { labels: ['a.b', 'a_b', 'a-b'] }).add(1, { 'a.b': 'x', a_b: 'y' } as never);
    const text = await renderPrometheus(r);
    expect(text.match(/# TYPE cache_hits_total /g)).toHaveLength(1);
    expect(text).toContain('cache_hits_total 2');
    expect(text).toContain('dup_keys_total{a_b="x"} 1');
    expect(lines.some((l) => l.includes('metric.label-key-duplicate'))).toBe(true);
    expect(lines.some((l) => l.includes('metric.conflict'))).toBe(true);
    expect(promtoolCheckMetrics(text).problems).toEqual([]);
  });

  it('should not throw from instrument(), the handler, the server, the Pushgateway client, the SDK or option resolution', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (a, b) => {
        const { diag } = seen();
        const r = createMetricsRegistry({ diagnostics: diag });
        expect(() => instrument(a as string, b as () => void, { registry: r })).not.toThrow();
        expect(() => r.recordMetric(a as string, b as number, a as Labels, b as never)).not.toThrow();
        expect(() => createMetricsRegistry(a as never)).not.toThrow();
        expect(() => resolveOptions({ safeParse: () => ({ success: true as const, data: a }) }, b, { component: 'x', diagnostics: diag })).not.toThrow();
        expect(() => parseOtelEnv(a as never, diag)).not.toThrow();
        const res = await createPrometheusHandler({ registry: r })({ accept: a as string });
        expect(res.status).toBe(200);
      }),
      { numRuns: 200 },
    );
    const { configureDiagnostics, resetDiagnosticsForTests } = await import('@lookout/core');
    configureDiagnostics({ level: 'none' });
    try {
      for (const garbage of [null, 42, 'x', { port: -1 }, { port: 'abc', host: 5 }, { nope: true }, cyclic()]) {
        const server = startPrometheusServer(garbage as never);
        await server.ready;
        await server.close();
        const pushed = await pushToGateway(garbage as never);
        expect(pushed.ok).toBe(false);
        const sdk = startMetricsSdk(garbage as never);
        await sdk.ready;
        await sdk.shutdown(100);
      }
    } finally {
      resetDiagnosticsForTests();
    }
  }, 60_000);
});

describe('registry-taking helpers without a registry', () => {
  it('should not throw from createStandardMetrics or observeDeliveryStats, and report once', async () => {
    const { createStandardMetrics, observeDeliveryStats, configureDiagnostics, resetDiagnosticsForTests } = await import('@lookout/core');
    const lines: string[] = [];
    configureDiagnostics({ logger: { error() {}, warn: (m) => lines.push(m), info() {}, debug() {} } });
    try {
      const std = createStandardMetrics({} as never);
      expect(() => {
        std.errors.add(1, { category: 'api', severity: 'low' });
        std.startupDuration.record(0.1);
        std.stageDuration.startTimer({ stage: 's' })();
        std.memoryUsage.set(1, { type: 'rss' });
        std.activeSessions.add(1);
      }).not.toThrow();
      expect(() => observeDeliveryStats({ stats: { sent: 0, retried: 0, circuitOpened: 0, queuedItems: 0, dropped: {} } }, 'events', undefined as never)).not.toThrow();
      expect(lines.filter((l) => l.includes('metric.registry-missing'))).toHaveLength(2);
    } finally {
      resetDiagnosticsForTests();
    }
  });
});
