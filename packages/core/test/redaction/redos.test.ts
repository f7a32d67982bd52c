import { describe, expect, it } from 'vitest';
import { createRedactor, neutraliseControlChars } from '../../src/redaction/index.js';

const SIZE = 100_000;
/**
 * Measured at 0.2–12 ms here. The bound is loose so a loaded CI machine cannot trip it, and
 * still catches super-linear matching, which takes seconds at 100 KB. Best of three runs, so a
 * single descheduling does not count.
 */
const BUDGET_MS = 250;

function bestOf3(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const HOSTILE: Record<string, string> = {
  'chained emails': 'a@a.a@'.repeat(SIZE / 6),
  'local part with no domain': `${'a'.repeat(SIZE)}@`,
  'dotted local part': `${'a.'.repeat(SIZE / 2)}@x.com`,
  'endless domain': `x@${'a.'.repeat(SIZE / 2)}`,
  'digit run': '4'.repeat(SIZE),
  'spaced digits': '4 '.repeat(SIZE / 2),
  'dashed digits': '4-'.repeat(SIZE / 2),
  'JWT starts': 'eyJ-'.repeat(SIZE / 4),
  'JWT run': `eyJ${'a'.repeat(SIZE)}`,
  'JWT segments': 'eyJaaaa.'.repeat(SIZE / 8),
  'bearer words': 'Bearer '.repeat(SIZE / 7),
  'bearer run': `Bearer ${'a'.repeat(SIZE)}`,
  'password pairs': 'password='.repeat(SIZE / 9),
  'pair chain': 'a=a:'.repeat(SIZE / 4),
  'key run': `${'a'.repeat(SIZE)}=x`,
  'authorization schemes': 'authorization: Bearer '.repeat(SIZE / 22),
  colons: ':'.repeat(SIZE),
  'hex groups': 'a:'.repeat(SIZE / 2),
  'dotted digits': '1.'.repeat(SIZE / 2),
  'URL credential starts': '//a:'.repeat(SIZE / 4),
  'URL credential run': `//${'a'.repeat(SIZE / 2)}:${'b'.repeat(SIZE / 2)}`,
  'stripe prefixes': 'sk_live_'.repeat(SIZE / 8),
  'openai prefixes': 'sk-'.repeat(SIZE / 3),
  'slack prefixes': 'xoxb-'.repeat(SIZE / 5),
};

describe('createRedactor', () => {
  describe('redactString (hostile input)', () => {
    const redactor = createRedactor({ ips: true, maxStringLength: 2 * SIZE });

    it.each(Object.entries(HOSTILE))('should finish %s (100 KB) in linear time', (_name, input) => {
      redactor.redactString(input); // warm up the regex compiler
      let out: unknown;
      const took = bestOf3(() => {
        out = redactor.redactString(input);
      });

      expect(typeof out).toBe('string');
      expect(took).toBeLessThan(BUDGET_MS);
    });

    it('should scale linearly: 4x the input takes far less than 16x the time', () => {
      const small = 'a@a.a@ 4 4 4 password=x eyJ-a:b: '.repeat(1000);
      const large = small.repeat(4);
      const time = (s: string): number => {
        let best = Infinity;
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          redactor.redactString(s);
          best = Math.min(best, performance.now() - t);
        }
        return best;
      };
      time(large);
      expect(time(large)).toBeLessThan(Math.max(8 * time(small), 5));
    });
  });
});

describe('neutraliseControlChars', () => {
  it('should escape 100 KB of control characters in linear time', () => {
    const input = '\r\n\u0085\u2028'.repeat(SIZE / 4);
    expect(bestOf3(() => neutraliseControlChars(input))).toBeLessThan(BUDGET_MS);
  });
});
