import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { booleanField, createDiagnostics, createMetricsRegistry, diagnosticsField, diagnosticsIn, functionField, isPlainObject, LookoutConfigError, methodsField, quickResolve, textField } from '@lookout/core';
import type { FieldCheck } from '@lookout/core';

function recording() {
  const warnings: string[] = [];
  const diagnostics = createDiagnostics({ logger: { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {} } });
  return { diagnostics, warnings };
}

const FIELDS: Record<string, FieldCheck> = {
  name: (v) => typeof v === 'string' && v.length > 0,
  limits: (v) => (typeof v === 'object' && v !== null ? (Object.keys(v).find((k) => k !== 'max') ?? true) : false),
};

describe('quickResolve', () => {
  it('should keep valid fields and drop invalid and unknown ones (even undefined, as a strict schema does) with one diagnostic each', () => {
    const { diagnostics, warnings } = recording();
    const result = quickResolve({ name: 'app', limits: { max: 1, min: 0 }, colour: 'red', skipped: undefined, name2: undefined }, FIELDS, 'thing', diagnostics);
    expect(result.options).toEqual({ name: 'app' });
    expect(result.invalid).toEqual(['limits.min', 'colour', 'skipped', 'name2']);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toContain('thing: limits.min: invalid');
  });

  it('should accept a missing input and refuse a non-object one', () => {
    expect(quickResolve(undefined, FIELDS, 'thing')).toEqual({ options: {}, invalid: [] });
    const { diagnostics, warnings } = recording();
    expect(quickResolve([1], FIELDS, 'thing', diagnostics)).toEqual({ options: {}, invalid: [''] });
    expect(warnings).toEqual([expect.stringContaining('(options): must be an object')]);
  });

  it('should throw LookoutConfigError naming the fields with strict: true', () => {
    expect(() => quickResolve({ strict: true, name: '' }, { ...FIELDS, strict: (v) => typeof v === 'boolean' }, 'thing')).toThrow(LookoutConfigError);
  });

  // One unreadable field threw every other option away ("(options): must be an object"), endpoint included.
  it('should treat a field whose getter throws as invalid, keep the others, and never throw', () => {
    const hostile = Object.defineProperty({ limits: { max: 1 } }, 'name', { enumerable: true, get: () => { throw new Error('boom'); } });
    const { diagnostics, warnings } = recording();
    expect(quickResolve(hostile, FIELDS, 'thing', diagnostics)).toEqual({ options: { limits: { max: 1 } }, invalid: ['name'] });
    expect(warnings).toEqual([expect.stringContaining('thing: name: invalid or unknown; the default is used')]);
    const unlistable = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    expect(quickResolve(unlistable, FIELDS, 'thing', diagnostics).invalid).toEqual(['']);
    fc.assert(
      fc.property(fc.anything().filter((v) => (v as { strict?: unknown } | null)?.strict !== true), (input) => {
        expect(() => quickResolve(input, FIELDS, 'thing', recording().diagnostics)).not.toThrow();
      }),
    );
  });
});

describe('field checks', () => {
  it('should accept exactly their kind of value', () => {
    expect([booleanField(true), booleanField(0)]).toEqual([true, false]);
    expect([functionField(() => 1), functionField({})]).toEqual([true, false]);
    expect([textField(1, 3)('ab'), textField(1, 3)(''), textField(1, 3)('abcd'), textField(1, 3)(1)]).toEqual([true, false, false, false]);
    expect([methodsField('a', 'b')({ a() {}, b() {} }), methodsField('a', 'b')({ a() {} }), methodsField('a')(null)]).toEqual([true, false, false]);
    expect([isPlainObject({}), isPlainObject(Object.create(null)), isPlainObject([]), isPlainObject(new Date())]).toEqual([true, true, false, false]);
  });
});

describe('diagnosticsIn', () => {
  it('should return the options diagnostics only when it looks like one', () => {
    const diagnostics = createDiagnostics();
    expect(diagnosticsIn({ diagnostics })).toBe(diagnostics);
    expect(diagnosticsIn({ diagnostics: { warn: 1 } })).toBeUndefined();
    // Lookout calls each of these: one missing would throw from inside a catch.
    const fn = () => {};
    expect(diagnosticsIn({ diagnostics: { warn: fn, internalError: fn } })).toBeUndefined();
    expect(diagnosticsIn({ diagnostics: { warn: fn, error: fn, info: fn, debug: fn, internalError: fn } })).toBeDefined();
    expect(diagnosticsIn(null)).toBeUndefined();
    expect(diagnosticsIn(Object.defineProperty({}, 'diagnostics', { get: () => { throw new Error('x'); } }))).toBeUndefined();
  });
});

describe('the separate ./page build', () => {
  // The root and ./page are separate builds (packages/core/tsup.config.ts): run both dist files in
  // one process and check they share the state a page must have once.
  it('should share diagnostics and the beacon budget with the root, and its LookoutConfigError should pass instanceof', () => {
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
    expect(existsSync(`${dist}page/index.js`), 'packages/core/dist is missing: run npm run build').toBe(true);
    const script = `
      const page = await import(${JSON.stringify(`${dist}page/index.js`)});
      const core = await import(${JSON.stringify(`${dist}index.js`)});
      let thrown;
      try { page.quickResolve({ strict: true, x: 1 }, {}, 'thing'); } catch (error) { thrown = error; }
      const configured = core.configureDiagnostics({ level: 'error' });
      console.log(JSON.stringify({
        diagnostics: page.getDiagnostics() === configured,
        budget: page.getBeaconBudget() === core.getBeaconBudget(),
        instance: thrown instanceof core.LookoutConfigError,
        other: new Error('x') instanceof core.LookoutConfigError,
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ diagnostics: true, budget: true, instance: true, other: false });
  });
});

// The registry and the page error capture accepted a diagnostics with fewer methods than
// diagnosticsIn asks for: kept and called, while the same call's option problems went elsewhere.
describe('diagnosticsField', () => {
  it('should accept exactly what diagnosticsIn accepts, so an accepted diagnostics also hears about the other options', () => {
    const fn = () => {};
    for (const d of [createDiagnostics(), { warn: fn, error: fn, info: fn, debug: fn, internalError: fn }, { warn: fn, internalError: fn }, { warn: fn }, null, 1]) {
      expect(diagnosticsField(d) === true).toBe(diagnosticsIn({ diagnostics: d }) !== undefined);
    }
    const { diagnostics, warnings } = recording();
    createMetricsRegistry({ diagnostics, cardinalityLimit: -1 });
    expect(warnings).toEqual([expect.stringContaining('createMetricsRegistry: cardinalityLimit: invalid or unknown')]);
  });
});
