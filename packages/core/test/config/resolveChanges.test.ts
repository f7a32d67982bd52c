import fc from 'fast-check';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, resolveChanges } from '@lookout/core';
import type { SafeParser } from '@lookout/core';

const schema = z.strictObject({
  limit: z.optional(z.strictObject({ max: z.optional(z.int().check(z.positive())), windowMs: z.optional(z.int().check(z.positive())) })),
  label: z.optional(z.string()),
});
type Changes = z.output<typeof schema>;

function recording() {
  const warnings: string[] = [];
  const diagnostics = createDiagnostics({ logger: { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {} } });
  return { diagnostics, warnings };
}
const context = (diagnostics: ReturnType<typeof createDiagnostics>) => ({ component: 'Thing.configure', code: 'thing/invalid-changes', diagnostics, fixed: ['sinks'], switches: ['limit'] });

describe('resolveChanges', () => {
  it('should keep what is valid and leave out, with one diagnostic each, fixed, unknown and invalid changes', () => {
    const { diagnostics, warnings } = recording();
    const out = resolveChanges(schema as SafeParser<Changes>, { sinks: [], colour: 'red', label: 'x', limit: { max: -1, windowMs: 500 } }, context(diagnostics));
    expect(out).toEqual({ label: 'x', limit: { windowMs: 500 } });
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/Thing\.configure: sinks: is fixed at creation; the current value is kept/);
    expect(warnings.join('\n')).toMatch(/colour: unknown option/);
    expect(warnings.join('\n')).toMatch(/limit\.max: /);
  });

  it('should pass false through for a switch', () => {
    const { diagnostics, warnings } = recording();
    expect(resolveChanges(schema as SafeParser<Changes>, { limit: false }, context(diagnostics))).toEqual({ limit: false });
    expect(warnings).toEqual([]);
  });

  it('should never throw, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => resolveChanges(schema as SafeParser<Changes>, input, context(recording().diagnostics))).not.toThrow();
      }),
    );
  });
});
