// Cold start of a server-style setup: registry, first record, scrape endpoint listening (then closed).
import { createMetricsRegistry } from '@lookout/core';
import { startPrometheusServer } from '@lookout/core/prometheus';

const registry = createMetricsRegistry();
registry.counter('app.starts').add(1);
const server = startPrometheusServer({ port: 0, registry });
await server.ready;
await server.close();
