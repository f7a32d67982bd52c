import { neutraliseControlChars } from '../redaction/neutraliseControlChars.js';
import type { Diagnostics } from '../diagnostics/index.js';
import { isHeader } from './isHeader.js';

/**
 * The headers an HTTP client will send. One it would refuse fails every request alike, which
 * looks like a network error and would be retried (and spooled) without end: it is left out,
 * with one diagnostic naming it (never its value). `component` names the caller in the message.
 */
export function validHeaders(headers: Readonly<Record<string, string>> | undefined, diagnostics: Diagnostics, component: string): Record<string, string> {
  const valid: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (isHeader(name, value)) {
      valid[name] = value;
      continue;
    }
    const shown = JSON.stringify(neutraliseControlChars(name.slice(0, 64)));
    diagnostics.warn('delivery/invalid-header', `${component}: header ${shown} is not a valid HTTP header name or value; it is not sent`, `invalid-header:${name}`);
  }
  return valid;
}
