import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

/** An OpenTelemetry SDK reader collected by hand (`reader.collect()`), cumulative, with an optional cardinality limit. */
export class PullReader extends MetricReader {
  constructor(cardinalityLimit?: number) {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE, ...(cardinalityLimit ? { cardinalitySelector: () => cardinalityLimit } : {}) });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
