import { describe, expect, it } from 'vitest';
import { neutraliseControlChars } from '../../src/redaction/index.js';

describe('neutraliseControlChars', () => {
  it('should escape CR and LF so one entry cannot forge another', () => {
    const forged = 'user=bob\r\n2024-01-01 INFO login ok user=admin';
    const out = neutraliseControlChars(forged);
    expect(out).toBe('user=bob\\r\\n2024-01-01 INFO login ok user=admin');
    expect(out).not.toMatch(/[\r\n]/);
  });

  it('should escape other C0, DEL and C1 controls, line separators and bidi controls', () => {
    expect(neutraliseControlChars('a\tb\u0000c\u001bd\u007fe')).toBe('a\\tb\\x00c\\x1bd\\x7fe');
    expect(neutraliseControlChars('x\u0085y\u009bz')).toBe('x\\x85y\\x9bz');
    expect(neutraliseControlChars('p\u2028q\u2029r')).toBe('p\\u2028q\\u2029r');
    expect(neutraliseControlChars('admin\u202e\u2066')).toBe('admin\\u202e\\u2066');
  });

  it('should leave printable text, backslashes and non-Latin scripts alone', () => {
    const s = 'Grüße, 世界 😀 C:\\temp "quoted" <tag>';
    expect(neutraliseControlChars(s)).toBe(s);
  });

  it('should never throw on non-strings', () => {
    expect(neutraliseControlChars(42 as unknown as string)).toBe('42');
    expect(neutraliseControlChars(Object.create(null) as string)).toBe('');
    expect(neutraliseControlChars(Symbol('s') as unknown as string)).toBe('Symbol(s)');
  });
});
