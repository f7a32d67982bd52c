// In a module of its own, with no imports: the page's option checks use it without the rest of delivery.

/** A header name: an RFC 9110 token (letters, digits and ``!#$%&'*+-.^_`|~``). */
const HEADER_NAME_PATTERN = /^[\w!#$%&'*+.^`|~-]+$/;
/** A header value: tab, space to `~` (visible ASCII) and Latin-1 (what Node's http and `fetch` accept). */
const HEADER_VALUE_PATTERN = /^[\t -~\x80-\xff]*$/;

/** Whether an HTTP client (Node's http, `fetch`) will send the header `name: value`; one it refuses fails every request alike. */
export function isHeader(name: string, value: unknown): boolean {
  return typeof value === 'string' && HEADER_NAME_PATTERN.test(name) && HEADER_VALUE_PATTERN.test(value);
}
