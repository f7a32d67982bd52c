// The lean error capture for pages (`@lookout/errors/page`).
export { createPageErrorCapture } from './createPageErrorCapture.js';
export { DEFAULT_PAGE_MAX_BREADCRUMBS, DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE } from './constants.js';
export type { PageErrorCaptureOptions, PageErrorCapture, PageBreadcrumbInput } from './types.js';
export type { CaptureContext, ErrorRecord, ErrorSink, Severity, StackFrame, Breadcrumb, ErrorCause } from '../types.js';
