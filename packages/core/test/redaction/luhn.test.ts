import { describe, expect, it } from 'vitest';
import { isLikelyCardNumber, passesLuhn } from '../../src/redaction/index.js';

describe('passesLuhn', () => {
  it('should accept valid checksums and reject invalid ones', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  it('should reject empty and non-digit input', () => {
    expect(passesLuhn('')).toBe(false);
    expect(passesLuhn('4111-1111')).toBe(false);
  });
});

describe('isLikelyCardNumber', () => {
  it.each(['4111111111111111', '4012888888881881', '378282246310005', '6011111111111117', '5105105105105100', '2221000000000009', '3530111333300000'])(
    'should accept the test card %s',
    (n) => {
      expect(isLikelyCardNumber(n)).toBe(true);
    },
  );

  it('should reject Luhn-valid numbers of the wrong length or prefix', () => {
    expect(isLikelyCardNumber('79927398713')).toBe(false); // 11 digits
    expect(passesLuhn('1700000000004')).toBe(true);
    expect(isLikelyCardNumber('1700000000004')).toBe(false); // a timestamp that passes Luhn
    expect(passesLuhn('2000000000000006')).toBe(true);
    expect(isLikelyCardNumber('2000000000000006')).toBe(false); // 2-series outside 2221–2720
    expect(passesLuhn('9999999999999995')).toBe(true);
    expect(isLikelyCardNumber('9999999999999995')).toBe(false);
  });
});
