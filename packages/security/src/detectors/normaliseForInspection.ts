const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  amp: '&',
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  lpar: '(',
  rpar: ')',
  semi: ';',
  equals: '=',
};
const MAX_ENTITY_LENGTH = 10;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** Decodes `%XX` escapes once (bytes as Latin-1; enough to expose ASCII syntax). Linear: untouched spans are copied whole. */
function percentDecode(s: string): string {
  let i = s.indexOf('%');
  if (i === -1) return s;
  const parts: string[] = [];
  let from = 0;
  while (i !== -1 && i + 2 < s.length) {
    const hi = hexValue(s.charCodeAt(i + 1));
    const lo = hexValue(s.charCodeAt(i + 2));
    if (hi >= 0 && lo >= 0) {
      parts.push(s.slice(from, i), String.fromCharCode(hi * 16 + lo));
      from = i + 3;
      i = s.indexOf('%', from);
    } else {
      i = s.indexOf('%', i + 1);
    }
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** Decodes HTML character references (`&lt;`, `&#60;`, `&#x3c;`, with or without `;`) once. Linear: untouched spans are copied whole. */
function entityDecode(s: string): string {
  let i = s.indexOf('&');
  if (i === -1) return s;
  const parts: string[] = [];
  let from = 0;
  while (i !== -1) {
    let j = i + 1;
    let decoded: string | undefined;
    if (s[j] === '#') {
      j++;
      const hex = s[j] === 'x' || s[j] === 'X';
      if (hex) j++;
      let value = 0;
      const start = j;
      while (j < s.length && j - start < 7) {
        const d = hex ? hexValue(s.charCodeAt(j)) : s.charCodeAt(j) - 48;
        if (d < 0 || d > (hex ? 15 : 9)) break;
        value = value * (hex ? 16 : 10) + d;
        j++;
      }
      if (j > start && value <= 0x10ffff) decoded = String.fromCodePoint(value);
    } else {
      const start = j;
      while (j < s.length && j - start < MAX_ENTITY_LENGTH && /[a-zA-Z]/.test(s[j] as string)) j++;
      decoded = NAMED_ENTITIES[s.slice(start, j).toLowerCase()];
    }
    if (decoded === undefined) {
      i = s.indexOf('&', i + 1);
      continue;
    }
    if (s[j] === ';') j++;
    parts.push(s.slice(from, i), decoded);
    from = j;
    i = s.indexOf('&', j);
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** Replaces each SQL block comment with a space (an unterminated one runs to the end). Linear. */
function stripBlockComments(s: string): string {
  let start = s.indexOf('/*');
  if (start === -1) return s;
  let out = '';
  let from = 0;
  while (start !== -1) {
    out += s.slice(from, start) + ' ';
    const end = s.indexOf('*/', start + 2);
    if (end === -1) return out;
    from = end + 2;
    start = s.indexOf('/*', from);
  }
  return out + s.slice(from);
}

const NUL_PATTERN = /\u0000/g;
const WHITESPACE_RUN_PATTERN = /[\t-\r \u00a0\u2028\u2029]+/g;

/** Lower-cases, drops NULs and collapses every whitespace run to one space. Linear (single-class patterns). */
function collapse(s: string): string {
  return s.replace(NUL_PATTERN, '').replace(WHITESPACE_RUN_PATTERN, ' ').toLowerCase();
}

/**
 * The form injection rules are tested against: the first `maxLength` characters, percent
 * escapes decoded twice (double encoding), HTML character references decoded, SQL block
 * comments replaced by a space, NULs dropped, whitespace runs collapsed, lower case. Every step
 * is a single linear pass.
 */
export function normaliseForInspection(value: string, maxLength: number): string {
  const cut = value.length > maxLength ? value.slice(0, maxLength) : value;
  return collapse(stripBlockComments(entityDecode(percentDecode(percentDecode(cut)))));
}
