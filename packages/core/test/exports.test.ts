import { describe, expect, it } from 'vitest';
import * as core from '@lookout/core';
import * as prometheus from '@lookout/core/prometheus';
import * as sdk from '@lookout/core/sdk';

describe('@lookout/core exports', () => {
  it('should expose the documented functions from each entry', () => {
    for (const name of [
      'createMetricsRegistry',
      'getDefaultRegistry',
      'instrument',
      'instrumentMethod',
      'instrumented',
      'createStandardMetrics',
      'renderPrometheus',
      'createDiagnostics',
      'getDiagnostics',
      'configureDiagnostics',
      'resolveOptions',
      'createBatchQueue',
      'makeFetchTransport',
      'getBeaconBudget',
      'createRedactor',
      'redact',
      'observeDeliveryStats',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(typeof prometheus.startPrometheusServer).toBe('function');
    expect(typeof prometheus.createPrometheusHandler).toBe('function');
    expect(typeof prometheus.pushToGateway).toBe('function');
    expect(typeof sdk.startMetricsSdk).toBe('function');
    expect(typeof sdk.createOtelMetricProducer).toBe('function');
    expect(typeof sdk.parseOtelEnv).toBe('function');
    expect(typeof sdk.createMetricsResource).toBe('function');
  });
});
