// Diagnostics: Lookout's own messages.
export {
  createDiagnostics,
  describeError,
  getDiagnostics,
  configureDiagnostics,
  resetDiagnosticsForTests,
  MAX_DISTINCT_DIAGNOSTIC_KEYS,
  DEFAULT_DIAG_MAX_PER_MINUTE,
} from './diagnostics/index.js';
export type { DiagLevel, Logger, Diagnostics, DiagnosticCounts, DiagnosticsOptions } from './diagnostics/index.js';

// --- kernel: delivery (BatchQueue, transports, retry, beacon budget) ---
// --- end kernel: delivery ---

// --- kernel: redaction ---
// --- end kernel: redaction ---
