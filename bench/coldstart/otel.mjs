// Cold start: OpenTelemetry's metrics SDK with a reader, one counter, one record.
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
const provider = new MeterProvider({ readers: [reader] });
provider.getMeter('app').createCounter('app.starts').add(1);
await provider.shutdown();
