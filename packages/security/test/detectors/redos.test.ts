import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '@lookout/core';
import { createInjectionDetector, normaliseForInspection, INJECTION_RULES } from '@lookout/security';

const SIZE = 100_000;
/**
 * Loose so a loaded CI machine cannot trip it, and still catches quadratic behaviour, which
 * takes seconds on 100 KB. Best of three runs, so a single descheduling does not count.
 */
const BUDGET_MS = 250;

const HOSTILE: Record<string, string> = {
  quotes: "'".repeat(SIZE),
  'quote or': "' or ".repeat(SIZE / 5),
  'quote or words': "'or a".repeat(SIZE / 5),
  'open tags': '<'.repeat(SIZE),
  'event handler starts': ' on'.repeat(SIZE / 3),
  'long handler name': ` on${'a'.repeat(SIZE)}`,
  'union runs': 'union '.repeat(SIZE / 6),
  'unterminated comments': '/*'.repeat(SIZE / 2),
  'comment pairs': '/**/'.repeat(SIZE / 4),
  'percent runs': '%25'.repeat(SIZE / 3),
  'entity starts': '&#'.repeat(SIZE / 2),
  'long entity': `&#${'9'.repeat(SIZE)}`,
  semicolons: '; update '.repeat(SIZE / 9),
  'update without set': `; update ${'a'.repeat(SIZE)}`,
  whitespace: ' \t\n'.repeat(SIZE / 3),
  'javascript starts': 'java '.repeat(SIZE / 5),
  'data uris': 'data: '.repeat(SIZE / 6),
  'digit tautologies': ' or 1='.repeat(SIZE / 6),
};

describe('createInjectionDetector (hostile input)', () => {
  // Inspect the whole 100 KB: the input cap is lifted to show the rules themselves are linear.
  const detector = createInjectionDetector({ maxInputLength: SIZE * 2, diagnostics: createDiagnostics({ level: 'none' }) });

  it.each(Object.entries(HOSTILE))('should finish %s (100 KB) in bounded time', (_name, input) => {
    detector.inspect('f', input);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      detector.inspect('f', input);
      best = Math.min(best, performance.now() - started);
    }
    expect(best).toBeLessThan(BUDGET_MS);
  });

  it('should run each rule in linear time: 4x the input takes far less than 16x the time', () => {
    const small = normaliseForInspection(Object.values(HOSTILE).map((s) => s.slice(0, 500)).join(''), Infinity);
    const large = small.repeat(4);
    for (const rule of INJECTION_RULES) {
      const time = (s: string): number => {
        let best = Infinity;
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          rule.pattern.exec(s);
          best = Math.min(best, performance.now() - t);
        }
        return best;
      };
      time(large);
      expect(time(large), rule.id).toBeLessThan(Math.max(8 * time(small), 2));
    }
  });

  it('should cap what it inspects by default', () => {
    const capped = createInjectionDetector({ diagnostics: createDiagnostics({ level: 'none' }) });
    const [finding] = capped.inspect('f', `<script>${'a'.repeat(1_000_000)}`);
    expect(finding?.truncated).toBe(true);
  });
});
