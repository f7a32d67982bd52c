import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { parseOtelEnv } from '@lookout/core/sdk';

function capture(): { lines: string[]; diag: ReturnType<typeof createDiagnostics> } {
  const lines: string[] = [];
  return { lines, diag: createDiagnostics({ logger: { error() {}, warn: (m) => lines.push(m), info() {}, debug() {} } }) };
}

describe('parseOtelEnv', () => {
  it('should read the standard variables, metrics-specific ones first', () => {
    const { diag } = capture();
    const c = parseOtelEnv(
      {
        OTEL_SERVICE_NAME: 'svc',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=a%20b',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=t1',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tenant=t2',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_METRIC_EXPORT_INTERVAL: '10000',
        OTEL_METRICS_EXPORTER: 'otlp, console',
      },
      diag,
    );
    expect(c.serviceName).toBe('svc');
    expect(c.resourceAttributes).toEqual({ 'deployment.environment.name': 'prod', team: 'a b' });
    expect(c.otlpEndpoint).toBe('http://collector:4318/v1/metrics');
    expect(c.otlpHeaders).toEqual({ authorization: 'Bearer abc', 'x-tenant': 't2' });
    expect(c.otlpProtocol).toBe('http/json');
    expect(c.exportIntervalMs).toBe(10_000);
    expect(c.exporters).toEqual(['otlp', 'console']);
    expect(parseOtelEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:1/custom' }, diag).otlpEndpoint).toBe('http://m:1/custom');
  });

  it('should warn about values that do not parse, ignore them, and never print header values', () => {
    const { diag, lines } = capture();
    const c = parseOtelEnv(
      { OTEL_METRIC_EXPORT_INTERVAL: 'often', OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_HEADERS: 'secret-token-value' },
      diag,
    );
    expect(c.exportIntervalMs).toBeUndefined();
    expect(c.otlpEndpoint).toBeUndefined();
    expect(c.otlpProtocol).toBeUndefined();
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).not.toContain('secret-token-value');
  });

  it('should honour OTEL_SDK_DISABLED', () => {
    expect(parseOtelEnv({ OTEL_SDK_DISABLED: 'TRUE' }).sdkDisabled).toBe(true);
    expect(parseOtelEnv({}).sdkDisabled).toBe(false);
  });
});
