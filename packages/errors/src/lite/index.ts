// Error capture for `@lookout/browser/lite`: what a thrown value is, a rate gate, and the page's
// error events, in well under 1 KB gzip. The page capture (`./page`) parses stacks and fingerprints.
export { describeThrown, createRateGate, watchPageErrors, MAX_LITE_MESSAGE_LENGTH, MAX_LITE_STACK_LENGTH } from './describeThrown.js';
export type { LiteError, LiteMechanism } from './describeThrown.js';
