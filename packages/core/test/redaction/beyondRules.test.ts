import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beyondRules, buildRules } from '../../src/redaction/rules.js';

// Every built-in rule, IP addresses included, with every key counted as sensitive.
const rules = buildRules({ emails: true, secrets: true, creditCards: true, ips: true, isTextKeySensitive: () => true });
const throughRules = (s: string): string => rules.reduce((out, rule) => rule(out), s);

describe('beyondRules', () => {
  it('should only skip strings that no built-in rule changes', () => {
    // Short strings of the characters the rules look for, the skipped ones included.
    const char = fc.constantFrom(...'0123456789abcdefABCDEFxyzeyJkAIsg_-/ \t"\'@%:=.;,&#+~'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 14 }), (s) => {
        if (beyondRules(s)) expect(throughRules(s)).toBe(s);
      }),
      { numRuns: 20_000 },
    );
  });

  it('should leave to the rules anything at or past the shortest match, or with a character a match needs', () => {
    expect(beyondRules('build')).toBe(true);
    expect(beyondRules('4111111111111')).toBe(false);
    for (const s of ['a@b.io', 'x%40y', 'k=v', 'a:b', '1.2.3.4']) expect(beyondRules(s), s).toBe(false);
    // The shortest built-in matches: a 13-digit card, a 13-character JWT and Slack token.
    for (const s of ['4222222222222', 'eyJabcd.efgh.', 'xoxb-abcdefgh']) {
      expect(throughRules(s), s).not.toBe(s);
      expect(beyondRules(s), s).toBe(false);
    }
  });
});
