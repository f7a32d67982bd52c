import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, promLabelName, renderPrometheus } from '@lookout/core';
import { promtoolCheckMetrics } from '../../../../testing/backends.js';
import { PullReader } from '../helpers/pullReader.js';

/** The label name OpenTelemetry's Prometheus exporter gives an attribute key. */
async function otelLabelName(key: string): Promise<string> {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  provider.getMeter('m').createCounter('c').add(1, { [key]: 'v' });
  const text = new PrometheusSerializer('', false).serialize((await reader.collect()).resourceMetrics);
  await provider.shutdown();
  return /c_total\{(\w+)="v"/.exec(text)![1]!;
}

describe('label keys', () => {
  describe('promLabelName', () => {
    it.each(['a..b', 'net..peer.name', 'x__y', 'a._b'])('should collapse runs of "_" in %j as the OpenTelemetry Prometheus exporter does', async (key) => {
      expect(promLabelName(key)).toBe(await otelLabelName(key));
    });

    it('should accept a key that only sanitised into a reserved-looking name', () => {
      expect(promLabelName('..x')).toBe('_x');
    });
  });

  describe('le and quantile', () => {
    it('should be refused on every kind with one diagnostic each, so promtool accepts the exposition', async () => {
      const warnings: string[] = [];
      const diagnostics = createDiagnostics({ logger: { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} } });
      const registry = createMetricsRegistry({ diagnostics });
      registry.counter('c', { labels: ['le', 'k'] }).add(1, { k: 'a' });
      registry.gauge('q', { labels: ['quantile'] }).set(1);
      registry.histogram('h', { labels: ['quantile'], buckets: [1] }).record(0.5);
      registry.upDownCounter('u', { labels: ['le'] }).add(1);
      expect(warnings.filter((w) => /cannot be a label key/.test(w))).toHaveLength(4);
      const text = await renderPrometheus(registry);
      expect(text).not.toMatch(/quantile=|c_total\{le=|u\{le=/);
      expect(promtoolCheckMetrics(text).problems).toEqual([]);
    });
  });
});
