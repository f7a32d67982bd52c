/**
 * Number of bytes `value` takes in UTF-8, computed without `TextEncoder` (core has no DOM or
 * Node types). A lone surrogate counts as 3 bytes, as `TextEncoder` would encode U+FFFD.
 */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else bytes += 3;
  }
  return bytes;
}

/** Size of a request body in bytes: UTF-8 for strings, `byteLength` for bytes. */
export function bodyBytes(body: string | Uint8Array): number {
  return typeof body === 'string' ? utf8Length(body) : body.byteLength;
}
