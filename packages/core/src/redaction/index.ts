export { createRedactor, redact } from './createRedactor.js';
export { scrubString, scrubValue, scrubber } from './scrub.js';
export { neutraliseControlChars } from './neutraliseControlChars.js';
export { passesLuhn, isLikelyCardNumber } from './luhn.js';
export {
  DEFAULT_SENSITIVE_KEYS,
  DEFAULT_REDACT_MAX_DEPTH,
  DEFAULT_REDACT_MAX_STRING_LENGTH,
  DEFAULT_REDACT_MAX_NODES,
} from './constants.js';
export type { Redactor, RedactorOptions, RedactionPattern } from './types.js';
