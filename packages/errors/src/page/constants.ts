import { DEFAULT_RATE_LIMIT_PER_GROUP } from '../constants.js';

/** Breadcrumbs kept for the next record unless `maxBreadcrumbs` says otherwise. */
export const DEFAULT_PAGE_MAX_BREADCRUMBS = 20;
/** Records per fingerprint forwarded per minute unless `maxPerGroupPerMinute` says otherwise (the full tracker's default). */
export const DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE = DEFAULT_RATE_LIMIT_PER_GROUP;
