// The zod schema of initMonitoring() options, for hosts that validate configuration up front.
// initMonitoring() checks its options without zod, held to this schema by a property test.
export { resolveMonitoringOptions } from './schema.js';
