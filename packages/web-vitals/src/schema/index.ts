// The zod schema of the collector's options. The collector checks options without it and loads
// it only to explain options it refused; hosts may use it to validate configuration up front.
export { resolveWebVitalsOptions } from './schema.js';
