// The kernel for page bundles: the small, dependency-free parts of core that the page path
// (@lookout/browser, @lookout/telemetry/page, @lookout/errors/page, @lookout/web-vitals) uses.
// Page modules import from here rather than the root, and this file re-exports from the modules
// themselves rather than from folder indexes: a bundler that splits code assigns every module
// reachable from a page's entry to its chunks, so one import of the root would put the whole
// kernel (BatchQueue, registry, full redactor) on every page. Lazily loaded parts (self-metrics,
// Sentry) import the root.
export { createDiagnostics, describeError } from '../diagnostics/createDiagnostics.js';
export { getDiagnostics } from '../diagnostics/globalDiagnostics.js';
export type { Diagnostics, Logger, DiagLevel } from '../diagnostics/types.js';
export { quickResolve, diagnosticsIn } from '../config/quickResolve.js';
export type { QuickResolveResult } from '../config/quickResolve.js';
export { isPlainObject, booleanField, functionField, textField, methodsField, diagnosticsField } from '../config/fieldChecks.js';
export type { FieldCheck } from '../config/fieldChecks.js';
export { LookoutConfigError } from '../config/LookoutConfigError.js';
export { isHttpUrl } from '../internal/url.js';
export { randomId } from '../ids/randomId.js';
export { scrubString, scrubValue, scrubber } from '../redaction/scrub.js';
export type { Redactor } from '../redaction/types.js';
export { neutraliseControlChars } from '../redaction/neutraliseControlChars.js';
export { getBeaconBudget, splitForBudget } from '../delivery/beaconBudget.js';
export type { BeaconBudget, BudgetChunk, BudgetSplit } from '../delivery/beaconBudget.js';
export { utf8Length } from '../delivery/utf8Length.js';
export { isHeader } from '../delivery/isHeader.js';
export { classifyHttpStatus, parseRetryAfter } from '../delivery/retryAfter.js';
export {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_INITIAL_BACKOFF_MS,
  DEFAULT_RETRY_MAX_BACKOFF_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_BEACON_BUDGET_BYTES,
} from '../delivery/constants.js';
export type { FlushResult, TransportResult } from '../delivery/types.js';
