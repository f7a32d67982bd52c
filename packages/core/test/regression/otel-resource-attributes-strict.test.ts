import { envDetector } from '@opentelemetry/resources';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { parseOtelEnv } from '@lookout/core/sdk';

/** What OTel JS's envDetector makes of a value (it reads process.env). */
function otelJs(value: string): Record<string, unknown> {
  process.env.OTEL_RESOURCE_ATTRIBUTES = value;
  return { ...envDetector.detect().attributes };
}

describe('parseOtelEnv', () => {
  describe('OTEL_RESOURCE_ATTRIBUTES', () => {
    const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
    afterEach(() => {
      if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
      else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
    });

    it.each([
      ['team=a%2Cb,k=%ZZ,x=1', {}],
      ['a=b=c,x=1', {}],
      ['=v,x=1', {}],
      ['x=1,novalue', {}],
      [`x=1,k=${'v'.repeat(256)}`, {}],
      ['k%20ey=v%3D1,%C3%A9t%C3%A9=%C3%A9', { 'k ey': 'v=1', été: 'é' }],
      ['a=1,,b=2', { a: '1', b: '2' }],
      [' team = core , region=eu%2Dwest ', { team: 'core', region: 'eu-west' }],
    ])('should read %j as OTel JS does', (value, expected) => {
      const warnings: string[] = [];
      const diag = createDiagnostics({ logger: { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} } });
      const got = parseOtelEnv({ OTEL_RESOURCE_ATTRIBUTES: value }, diag).resourceAttributes;
      expect(got).toEqual(expected);
      expect(got).toEqual(otelJs(value));
      // Any error discards the whole value with one diagnostic.
      expect(warnings).toHaveLength(Object.keys(expected).length === 0 ? 1 : 0);
    });
  });
});
