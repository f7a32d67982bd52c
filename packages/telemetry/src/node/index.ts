// Node-only parts of @lookout/telemetry: never reachable from the root entry.
export { createNodeTelemetryClient, isDoNotTrack, DEFAULT_EXIT_DEADLINE_MS } from './createNodeTelemetryClient.js';
export type { NodeTelemetryClientOptions } from './createNodeTelemetryClient.js';
export { createFileSpool, DEFAULT_SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX_AGE_MS, DEFAULT_SPOOL_MAX_FILES } from './createFileSpool.js';
export type { FileSpoolOptions } from './createFileSpool.js';
export { makeNodeHttpTransport, DEFAULT_MAX_SOCKETS, DEFAULT_KEEP_ALIVE_IDLE_MS } from './makeNodeHttpTransport.js';
export type { NodeHttpTransportOptions } from './makeNodeHttpTransport.js';
export { makeNodeGzip, DEFAULT_GZIP_LEVEL } from './nodeGzip.js';
