import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createInjectionDetector, INJECTION_RULES } from '@lookout/security';

const quiet = createDiagnostics({ level: 'none' });
const detector = createInjectionDetector({ diagnostics: quiet });
const rules = (value: string): string[] => detector.inspect('q', value).map((f) => f.rule);

describe('createInjectionDetector', () => {
  describe('inspect', () => {
    it.each([
      ["admin' OR 1=1 --", 'sql-tautology'],
      ['" or ""="', 'sql-tautology'],
      ["x' or 'a'='a", 'sql-tautology'],
      ['1 OR 1=1', 'sql-numeric-tautology'],
      ["admin'--", 'sql-quote-comment'],
      ['1 UNION/**/ALL SELECT password FROM users', 'sql-union-select'],
      ['1%20UNION%20SELECT%20null', 'sql-union-select'],
      ['1%2520union%2520select%25201', 'sql-union-select'],
      ['1; DROP TABLE users', 'sql-stacked-query'],
      ["1' AND SLEEP(5)", 'sql-time-delay'],
      ["'; WAITFOR DELAY '0:0:5'--", 'sql-time-delay'],
      ['1 and 1 in (select table_name from information_schema.tables)', 'sql-system-objects'],
      ['<script>alert(1)</script>', 'xss-script-tag'],
      ['&lt;ScRiPt&gt;x', 'xss-script-tag'],
      ['<img src=x onerror=alert(1)>', 'xss-event-handler'],
      ['" onmouseover="x', 'xss-event-handler'],
      ['java\tscript:alert(1)', 'xss-script-uri'],
      ['&#106;avascript:alert(1)', 'xss-script-uri'],
      ['data:text/html;base64,PHNjcmlwdD4=', 'xss-data-uri'],
      ['<svg/onload=x>', 'xss-dangerous-tag'],
      ['alert`1`', 'xss-script-sink'],
      ['document.cookie', 'xss-script-sink'],
    ])('should flag %s as %s', (input, rule) => {
      expect(rules(input)).toContain(rule);
    });

    it.each([
      "O'Brien",
      'Select your plan',
      'union of workers',
      'please confirm (optional)',
      'color: "#fff"',
      'a <b> tag and 3 < 4',
      'https://example.com/?q=online&mode=1',
      'The meeting is on Monday; update the notes.',
      'price = 10 or more',
    ])('should not flag ordinary text: %s', (input) => {
      expect(rules(input)).toEqual([]);
    });

    it('should give the field, kind and a redacted, control-free excerpt', () => {
      const [finding] = detector.inspect('body.comment', "x' OR 1=1 -- api_key=sk_live_abcdefgh12345678\r\n");
      expect(finding).toMatchObject({ kind: 'sql', rule: 'sql-tautology', field: 'body.comment', truncated: false });
      expect(finding?.excerpt).not.toContain('sk_live_abcdefgh12345678');
      expect(finding?.excerpt).not.toMatch(/[\r\n]/);
    });

    it('should inspect nested fields with dotted names and ignore non-strings', () => {
      const findings = detector.inspectFields({ query: { q: '<script>' }, body: { n: 5, list: ['ok', "' or 1=1"] } });
      expect([...new Set(findings.map((f) => f.field))].sort()).toEqual(['body.list.1', 'query.q']);
      expect(detector.inspect('x', 42)).toEqual([]);
    });

    it('should document every rule', () => {
      for (const rule of INJECTION_RULES) expect(rule.description.length).toBeGreaterThan(10);
    });
  });
});
