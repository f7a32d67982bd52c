import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, LookoutConfigError, quickResolve } from '@lookout/core';
import { MONITORING_FIELD_CHECKS, readMonitoringOptions } from '@lookout/browser';
import { resolveMonitoringOptions } from '@lookout/browser/schema';

const silent = () => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

class Headers {
  authorization = 'Bearer x';
}

// Values valid for some options and invalid for others, so each check meets both.
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, 1, '', 'x', 'granted', 'pending', 'maybe', 'https://collector.example.com/v1/logs', 'ftp://example.com/', 'not a url', 'a'.repeat(129), 'a'.repeat(257)),
  fc.constantFrom({}, [], { dsn: 'https://key@sentry.example.com/1' }, { dsn: '' }, { authorization: 'Bearer x' }, { retries: 3 }, new Headers(), { warn() {}, info() {}, internalError() {} }, createMetricsRegistry()),
);
const KEYS = [
  'serviceName', 'serviceVersion', 'environment', 'endpoint', 'headers', 'consent', 'userId', 'persistence', 'webVitals', 'errors',
  'sentry', 'telemetry', 'registry', 'diagnostics', 'colour',
];

describe('readMonitoringOptions', () => {
  it('should accept exactly what the zod schema accepts, with the same result', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 5 }), (input) => {
        const { invalid } = quickResolve(input, MONITORING_FIELD_CHECKS, 'initMonitoring', silent());
        const full = resolveMonitoringOptions(input, silent());
        expect(invalid.length === 0).toBe(full.ok);
        if (full.ok) expect(readMonitoringOptions(input, silent())).toEqual(full.options);
      }),
      { numRuns: 1000 },
    );
  });

  it('should name each refused option and keep the others', () => {
    const messages: string[] = [];
    const diagnostics = createDiagnostics({ logger: { error() {}, warn: (m: string) => messages.push(m), info() {}, debug() {} } });
    const options = readMonitoringOptions({ serviceName: 'shop', endpoint: 'ftp://x', headers: { a: 1 }, consent: 'pending' }, diagnostics);
    expect(messages).toEqual([expect.stringContaining('initMonitoring: endpoint'), expect.stringContaining('initMonitoring: headers.a')]);
    expect(options).toMatchObject({ serviceName: 'shop', endpoint: undefined, headers: {}, consent: 'pending' });
  });

  it('should throw LookoutConfigError with strict: true', () => {
    expect(() => readMonitoringOptions({ strict: true, consent: 'maybe' })).toThrow(LookoutConfigError);
  });
});
