export { createDiagnostics, describeError, safeString } from './createDiagnostics.js';
export { getDiagnostics, configureDiagnostics, resetDiagnosticsForTests } from './globalDiagnostics.js';
export { MAX_DISTINCT_DIAGNOSTIC_KEYS, DEFAULT_DIAG_MAX_PER_MINUTE } from './types.js';
export type { DiagLevel, Logger, Diagnostics, DiagnosticCounts, DiagnosticsOptions } from './types.js';
