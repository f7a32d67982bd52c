import type { Severity } from '../types.js';

/** Whether `value` is one of the four severities. */
export function isSeverity(value: unknown): value is Severity {
  return value === 'low' || value === 'medium' || value === 'high' || value === 'critical';
}
