import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, LookoutConfigError, quickResolve } from '@lookout/core';
import { readWebVitalsOptions, WEB_VITALS_FIELD_CHECKS } from '@lookout/web-vitals';
import { resolveWebVitalsOptions } from '@lookout/web-vitals/schema';

const silent = () => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

// Values that are valid for some field and invalid for others, so every check meets both.
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -1, 7, 8, 1000, 1001, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'web_vital', 'a'.repeat(257)),
  fc.constantFrom(['LCP', 'CLS'], ['FID'], ['XYZ'], [], { LCP: 2500 }, { LCP: -5 }, { LCP: false, CLS: 0.2 }, { FOO: 1 }, { track() {} }, { histogram() {} }, { warn() {}, info() {}, internalError() {} }),
  fc.constant(() => undefined),
);
const KEYS = [
  'metrics', 'telemetry', 'eventName', 'softNavigationEventName', 'registry', 'budgets', 'onBudgetExceeded', 'onReport',
  'onSoftNavigation', 'getRoute', 'reportSoftNavs', 'reportAllChanges', 'maxAttributionLength', 'diagnostics', 'unknownOption',
];

describe('readWebVitalsOptions', () => {
  it('should accept exactly what the zod schema accepts', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 5 }), (input) => {
        const { invalid } = quickResolve(input, WEB_VITALS_FIELD_CHECKS, 'createWebVitalsCollector', silent());
        const full = resolveWebVitalsOptions(input, silent());
        expect(invalid.length === 0).toBe(full.ok);
        if (full.ok) expect(readWebVitalsOptions(input, silent())).toEqual(full.options);
      }),
      { numRuns: 500 },
    );
  });

  it('should name a wrong budget by its path and keep the other defaults', () => {
    const messages: string[] = [];
    const diagnostics = createDiagnostics({ logger: { error() {}, warn: (m: string) => messages.push(m), info() {}, debug() {} } });
    const options = readWebVitalsOptions({ budgets: { LCP: -5 }, eventName: 'vital' }, diagnostics);
    expect(messages).toEqual([expect.stringContaining('budgets.LCP')]);
    expect(options.budgets.LCP).toBe(3000);
    expect(options.eventName).toBe('vital');
  });

  it('should throw LookoutConfigError with strict: true', () => {
    expect(() => readWebVitalsOptions({ strict: true, maxAttributionLength: 3 })).toThrow(LookoutConfigError);
  });

  it('should never throw on garbage', () => {
    fc.assert(
      fc.property(fc.anything().filter((v) => (v as { strict?: unknown } | null)?.strict !== true), (input) => {
        expect(() => readWebVitalsOptions(input, silent())).not.toThrow();
      }),
    );
  });
});
