/**
 * C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the bidi
 * embedding/override/isolate controls ("Trojan Source", CVE-2021-42574).
 */
const CONTROL_CHARS_PATTERN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes `value` safe to write as one log line: CR, LF and tab become `\r`, `\n`, `\t`, and
 * every other control character (C0, DEL, C1, U+2028/U+2029, bidi controls) becomes `\xNN` or
 * `\uNNNN`, so attacker-supplied text cannot forge a new syslog or audit-log entry or hide
 * text. Backslashes are left alone. A non-string is converted with `String()` first; never
 * throws (returns `''` for a value that cannot be converted).
 */
export function neutraliseControlChars(value: string): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : String(value);
  } catch {
    return '';
  }
  return s.replace(CONTROL_CHARS_PATTERN, escapeChar);
}
