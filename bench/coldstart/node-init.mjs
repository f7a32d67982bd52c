// Cold start of @lookout/node: import, initMonitoring() with runtime metrics on, first record.
import { initMonitoring } from '@lookout/node';

const monitoring = initMonitoring({ serviceName: 'coldstart' });
monitoring.metrics.counter('app.starts').add(1);
