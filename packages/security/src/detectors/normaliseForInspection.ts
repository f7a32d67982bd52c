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

/** Decodes `%XX` escapes once (bytes as Latin-1; enough to expose ASCII syntax). Linear. */
function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

/** Decodes HTML character references (`&lt;`, `&#60;`, `&#x3c;`, with or without `;`) once. Linear. */
function entityDecode(s: string): string {
  if (!s.includes('&')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch !== '&') {
      out += ch;
      continue;
    }
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
      out += ch;
      continue;
    }
    if (s[j] === ';') j++;
    out += decoded;
    i = j - 1;
  }
  return out;
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

/** Lower-cases, drops NULs and collapses every whitespace run to one space. Linear. */
function collapse(s: string): string {
  let out = '';
  let space = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) continue;
    if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += s[i];
  }
  if (space) out += ' ';
  return out.toLowerCase();
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
