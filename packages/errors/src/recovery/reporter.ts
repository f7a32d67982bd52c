import type { Diagnostics } from '@lookout/core';
import type { BreadcrumbInput, CaptureContext } from '../types.js';

/** What the recovery helpers tell the tracker. */
export interface RecoveryReporter {
  breadcrumb(crumb: BreadcrumbInput): void;
  capture(error: unknown, context: CaptureContext): void;
  outcome(helper: 'retry' | 'fallback', outcome: RecoveryOutcome): void;
  diagnostics(): Diagnostics;
  random(): number;
}

/**
 * Outcomes counted in `{ns}_error_recoveries_total{helper,outcome}`:
 * retry → `success` (first attempt), `recovered` (a later attempt), `exhausted`, `not_retryable`;
 * fallback → `primary`, `fallback`, `failed` (the fallback failed too).
 */
export type RecoveryOutcome = 'success' | 'recovered' | 'exhausted' | 'not_retryable' | 'primary' | 'fallback' | 'failed';

/** `"Type: message"` of anything thrown, short, for breadcrumbs. */
export function shortDescription(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200);
    return String(error).slice(0, 200);
  } catch {
    return '<unprintable>';
  }
}
