// Lookout's own OTLP leaves a histogram's `sum` out once its series has seen a negative value (as
// the OTLP spec asks). The viewer read the missing sum as 0 and charted a mean of 0; now a point
// without a sum has no mean, in both OTLP encodings.
import { describe, expect, it } from 'vitest';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createMetricsRegistry } from '@lookout/core';
import { createOtelMetricProducer } from '@lookout/core/sdk';
import { rawRequest } from '../helpers/sse.js';
import { useViewers } from '../helpers/viewer.js';

const { start, stream } = useViewers();

type Series = { v: number; q?: number[]; m?: number };
type Frame = { metrics: Array<{ name: string; series: Series[] }> };

describe('a histogram point posted without a sum', () => {
  for (const [format, serializer, contentType] of [
    ['protobuf', ProtobufMetricsSerializer, 'application/x-protobuf'],
    ['JSON', JsonMetricsSerializer, 'application/json'],
  ] as const) {
    it(`should chart its quantiles with no mean (${format}), while one with a sum keeps its mean`, async () => {
      const viewer = await start({ metricsIntervalMs: 50 });
      const source = `thermo-${format}`;
      const client = await stream(viewer, `&signals=metric&source=${source}`);
      const registry = createMetricsRegistry();
      const signed = registry.histogram('temp.delta', { buckets: [-10, 0, 10] });
      const positive = registry.histogram('temp.abs', { buckets: [-10, 0, 10] });
      const producer = createOtelMetricProducer(registry, resourceFromAttributes({ 'service.name': source }));
      const post = async () => {
        const body = serializer.serializeRequest((await producer.collect()).resourceMetrics)!;
        const res = await rawRequest(viewer.port, `/v1/metrics?token=${viewer.token}`, { method: 'POST', body, headers: { 'content-type': contentType } });
        expect(res.status).toBe(200);
      };
      signed.record(-4);
      positive.record(4);
      await post();
      // The next cumulative point is newer by the exporter's clock.
      await new Promise((r) => setTimeout(r, 20));
      for (const v of [6, 8]) {
        signed.record(v);
        positive.record(v);
      }
      await post();
      const latest = (name: string) => (f: Frame) => f.metrics.find((m) => m.name === name)?.series[0];
      const [withoutSum, withSum] = await client.waitFor(() => {
        const frame = client.events.filter((e) => e.event === 'metrics').at(-1)?.data as Frame | undefined;
        const a = frame && latest('temp.delta')(frame);
        const b = frame && latest('temp.abs')(frame);
        return a?.q !== undefined && b?.q !== undefined ? [a, b] : undefined;
      });
      expect(withoutSum.v).toBe(3);
      expect(withoutSum.m).toBeUndefined();
      expect(withSum.v).toBe(3);
      expect(withSum.m).toBe(7);
    });
  }
});
