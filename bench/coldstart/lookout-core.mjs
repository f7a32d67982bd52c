// Cold start: import @lookout/core, create a registry, record once.
import { createMetricsRegistry } from '@lookout/core';

const registry = createMetricsRegistry();
registry.counter('app.starts').add(1);
