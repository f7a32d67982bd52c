/** A heuristic that marks input as a likely injection attempt. */
export interface InjectionRule {
  /** Stable id, e.g. `sql-union-select`. */
  id: string;
  kind: 'sql' | 'xss';
  /** What the rule looks for, in one line. */
  description: string;
  /**
   * Tested against the normalised input (see `normaliseForInspection`): lower case, percent
   * and HTML entities decoded, SQL block comments replaced by a space, whitespace runs collapsed
   * to one space. Every quantifier is bounded and every pattern starts with a literal or a
   * small class, so matching is linear in the input.
   */
  pattern: RegExp;
}

/**
 * The documented injection heuristics (see `docs/security.md`). They flag input that looks
 * like an attack probe; they are not a sanitiser and do not replace parameterised queries or
 * output encoding.
 */
export const INJECTION_RULES: readonly InjectionRule[] = Object.freeze([
  {
    id: 'sql-tautology',
    kind: 'sql',
    description: "a quote closed, then an always-true comparison: ' or 1=1, \" or \"\"=\", ' or 'a'='a",
    pattern: /['"`)] ?(?:or|and|\|\||&&) ?[\w'"`(]{1,34} ?(?:=|<>|!=|<=|>=|<|>|like\b|is\b)/,
  },
  {
    id: 'sql-numeric-tautology',
    kind: 'sql',
    description: 'or/and with a numeric equality: 1 or 1=1',
    pattern: /\b(?:or|and) \d{1,10} ?= ?\d{1,10}\b/,
  },
  {
    id: 'sql-quote-comment',
    kind: 'sql',
    description: "a single quote followed by a SQL line comment: admin'-- , admin'#",
    pattern: /'\)? ?(?:--|#)/,
  },
  {
    id: 'sql-union-select',
    kind: 'sql',
    description: 'UNION [ALL] SELECT, also with comments or parentheses in between',
    pattern: /\bunion ?(?:all |distinct )?\(? ?select\b/,
  },
  {
    id: 'sql-stacked-query',
    kind: 'sql',
    description: 'a statement terminator followed by a second statement: ; drop table, ; delete from, ; exec',
    pattern:
      /; ?(?:drop (?:table|database|schema|user|view)\b|delete from\b|insert into\b|update [\w.`"[\]]{1,64} set\b|alter (?:table|user|database)\b|truncate table\b|exec(?:ute)? [a-z@]|shutdown\b|declare @|grant |revoke )/,
  },
  {
    id: 'sql-time-delay',
    kind: 'sql',
    description: 'time-based blind probes: sleep(, pg_sleep(, benchmark(, waitfor delay',
    pattern: /\b(?:sleep|pg_sleep|benchmark) ?\(|\bwaitfor delay\b|\bdbms_pipe\.receive_message\b/,
  },
  {
    id: 'sql-system-objects',
    kind: 'sql',
    description: 'catalog and file access: information_schema., pg_catalog., sqlite_master, load_file(, into outfile, xp_cmdshell',
    pattern: /\b(?:information_schema\.|pg_catalog\.|sqlite_master\b|sysobjects\b|load_file ?\(|into (?:out|dump)file\b|xp_cmdshell\b)/,
  },
  {
    id: 'xss-script-tag',
    kind: 'xss',
    description: 'an opening or closing <script> tag',
    pattern: /<\/?script\b/,
  },
  {
    id: 'xss-event-handler',
    kind: 'xss',
    description: 'an inline event handler attribute: onerror=, onload=, onmouseover= …',
    pattern: /(?:^|[ "'/;<`])on[a-z]{3,24} ?=/,
  },
  {
    id: 'xss-script-uri',
    kind: 'xss',
    description: 'a javascript: or vbscript: URI (tabs and newlines inside the scheme allowed)',
    pattern: /\b(?:java|vb) ?script ?:/,
  },
  {
    id: 'xss-data-uri',
    kind: 'xss',
    description: 'a data: URI carrying HTML or SVG',
    pattern: /\bdata ?: ?(?:text\/html|image\/svg\+xml|application\/x?html)/,
  },
  {
    id: 'xss-dangerous-tag',
    kind: 'xss',
    description: 'a tag that embeds or loads active content: <iframe, <object, <embed, <svg, <math, <base, <meta',
    pattern: /<(?:iframe|frame|frameset|object|embed|applet|svg|math|base|meta)\b/,
  },
  {
    id: 'xss-script-sink',
    kind: 'xss',
    description: 'script sinks and probes: alert(, prompt(, confirm(, eval(, document.cookie, String.fromCharCode',
    pattern: /\b(?:alert|prompt|confirm|eval)(?:\(|`)|\bdocument ?\. ?(?:cookie|domain|write)\b|\bstring ?\. ?fromcharcode\b/,
  },
] satisfies InjectionRule[]);
